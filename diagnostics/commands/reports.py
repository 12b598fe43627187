"""The ``report`` subcommand: a school's self-diagnosis report, the province report, or every school.

    zhengai report --school ID --year Y [--format html,pdf,docx,xlsx] [--out DIR]
    zhengai report --province --year Y [--format html,pdf] [--out DIR]
    zhengai report --all --year Y [--format ...] [--out DIR] [--workers N]
    zhengai report --city C --year Y [--format html,pdf] [--out DIR]

Reads go through the scoped door as the current user, like the dashboards.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import EXIT_FAIL, EXIT_INVALID, EXIT_OK, command, engine_from, out_path


def _report_args(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--school", help="学校代码 / school id")
    which.add_argument("--province", action="store_true", help="全省质量报告 / the province report")
    which.add_argument("--all", action="store_true", help="每所学校各一份（并行）/ every school, in parallel")
    which.add_argument("--city", help="设区市年度质量报告（本市用户与省级用户）/ a city's report (its officers, the province)")
    p.add_argument("--year", type=int, required=True, help="学年（起始年份）/ academic year (its starting year)")
    p.add_argument("--format", default=None,
                   help="html,pdf,docx,xlsx 中的一个或多个（默认：单校全部格式；--all 为 pdf,xlsx；全省 html,pdf）/ formats")
    p.add_argument("--out", type=out_path, default=Path("reports"), help="输出文件夹 / output folder")
    p.add_argument("--workers", type=int, default=None, help="--all 的并行进程数 / processes for --all")


def _print_built(built: object) -> None:
    for fmt, path in built.paths.items():  # type: ignore[attr-defined]
        print(f"  {fmt:<5} {path}")


@command("report", "生成自我诊断与改进报告、质量年报数据表或全省报告 / make reports")(_report_args)
def run_report(args: argparse.Namespace) -> int:
    from ..access import AccessError, resolve_user
    from ..reports import ReportDataError, StoreSource
    from ..reports.build import BATCH_DEFAULT, FORMATS, build_city, build_province, build_school, formats
    from ..reports.layout import LayoutError

    try:
        default = "html,pdf" if args.province or args.city else (",".join(BATCH_DEFAULT) if args.all else ",".join(FORMATS))
        wanted = formats(args.format or default)
        engine = engine_from(args)
        user = resolve_user(engine)
        source = StoreSource(engine, user)
        if args.all:
            return _run_all(args, engine, source, user, wanted)
        if args.city:
            schools = source.access.city_schools(args.city)  # only the city's officers and the province
            built = build_city(source, args.city, schools, args.year, wanted, args.out)
            print(f"设区市报告已生成 / city report written: {args.city} {args.year}")
        elif args.province:
            built = build_province(source, args.year, wanted, args.out)
            print(f"全省报告已生成 / province report written ({args.year}):")
        else:
            built = build_school(source, args.school, args.year, wanted, args.out)
            print(f"报告已生成 / report written: {args.school} {args.year}")
        _print_built(built)
        return EXIT_OK
    except (ReportDataError, LayoutError, ValueError, AccessError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID


def _run_all(args: argparse.Namespace, engine: object, source: object, user: object, wanted: list[str]) -> int:
    from datetime import datetime

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..reports.batch import build_all

    schools = sorted(source.schools()["school_id"].astype(str))  # type: ignore[attr-defined]
    if not schools:
        print("没有可生成报告的学校 / no schools in scope", file=sys.stderr)
        return EXIT_INVALID
    url = engine.url.render_as_string(hide_password=False)  # type: ignore[attr-defined]
    failed = []
    with Progress(TextColumn("生成报告 / reports"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}"), transient=False) as progress:
        task = progress.add_task("reports", total=len(schools), last="")

        def done(result: object) -> None:
            if result.error:  # type: ignore[attr-defined]
                failed.append(result)
            progress.update(task, advance=1, last=result.school_id)  # type: ignore[attr-defined]

        results = build_all(url, schools, args.year, wanted, args.out, args.workers, user,
                            datetime.now().astimezone(), on_done=done)
    print(f"已生成 {len(results) - len(failed)} / {len(results)} 所学校的报告 / reports written to {args.out}")
    for r in failed:
        print(f"  失败 / failed {r.school_id}: {r.error}", file=sys.stderr)
    return EXIT_FAIL if failed else EXIT_OK
