"""Data subcommands: init, import, template, export, sample."""

from __future__ import annotations

import argparse
import sys

from ..cli import EXIT_INVALID, EXIT_OK, command, engine_from, out_path


def _init_args(p: argparse.ArgumentParser) -> None:
    pass


@command("init", "创建或升级数据库结构 / create or upgrade the database schema")(_init_args)
def run_init(args: argparse.Namespace) -> int:
    from .. import store

    engine = store.make_engine(args.db)
    rev = store.init_db(engine)
    print(f"数据库已就绪 / database ready: {engine.url.render_as_string(hide_password=True)} (schema {rev})")
    return EXIT_OK


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=out_path, help="CSV 文件夹、.zip 或 .xlsx 工作簿 / folder of CSVs, .zip or .xlsx")
    p.add_argument("--errors", type=out_path, default=None,
                   help="把全部问题写入 CSV 文件 / write all problems to this CSV file")
    p.add_argument("--dry-run", action="store_true", help="只校验并显示将发生的更改 / validate and show changes only")
    p.add_argument("--allow-hidden", action="store_true",
                   help="导入工作簿中隐藏的工作表、行和列（并列出它们）；默认拒绝 / import hidden sheets, rows and "
                        "columns of a workbook (naming them); refused by default")
    p.add_argument("--user", default=None,
                   help="以此登记用户身份导入（仅本机单用户模式；默认：本机省级用户）/ act as this registered user (local mode only)")


@command("import", "校验并导入状态数据 / validate and import status data")(_import_args)
def run_import(args: argparse.Namespace) -> int:
    from ..access import Access, resolve_user
    from ..io.errors import IssueTable
    from ..io.importer import ImportResult
    from ..io.limits import errors_path_issue

    if args.errors and (issue := errors_path_issue(args.errors)):  # before anything is read or written
        print(ImportResult(str(args.path), IssueTable([issue])).to_text(), file=sys.stderr)
        return EXIT_INVALID
    engine = engine_from(args, migrate=True)
    # through the scoped door: the user's scope is checked and the import audited in its transaction
    result = Access(engine, resolve_user(engine, args.user)).import_data(args.path, dry_run=args.dry_run,
                                                                         allow_hidden=args.allow_hidden)
    if not result.ok:
        print(result.to_text(), file=sys.stderr)
        if args.errors:
            try:
                result.issues.to_csv(str(args.errors))
                print(f"问题清单已写入 / problems written to {args.errors}", file=sys.stderr)
            except OSError as exc:
                print(f"问题清单无法写入 {args.errors}（{exc.strerror}）/ cannot write the problems to "
                      f"{args.errors} ({exc.strerror})", file=sys.stderr)
        return EXIT_INVALID
    # a successful import leaves any file named by --errors alone: it may not be ours to delete
    prefix = "（试运行，未写入 / dry run, nothing written）\n" if args.dry_run else ""
    print(prefix + result.to_text())
    return EXIT_OK


def _template_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", type=out_path, help="输出 .xlsx 路径 / output workbook")


@command("template", "生成空白填报模板 / write a blank template workbook")(_template_args)
def run_template(args: argparse.Namespace) -> int:
    from ..io.template import write_template

    print(f"模板已生成 / template written: {write_template(args.out)}")
    return EXIT_OK


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", type=out_path, help="输出文件夹或 .xlsx / output folder or .xlsx")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--school", default=None)
    p.add_argument("--year", type=int, default=None)


@command("export", "导出当前数据 / export the current data")(_export_args)
def run_export(args: argparse.Namespace) -> int:
    from ..access import Access, resolve_user
    from ..io.export import export

    engine = engine_from(args)
    door = Access(engine, resolve_user(engine))  # the user's scope; researchers get the pseudonymised rows
    paths = export(engine, args.out, args.format, args.school, args.year,
                   read=lambda name, school, year: door.status_table(name, school, year))
    print(f"已导出 {len(paths)} 个文件 / exported {len(paths)} file(s) to {args.out}")
    return EXIT_OK


def _sample_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", type=out_path, help="输出文件夹 / output folder")
    p.add_argument("--schools", type=int, default=30)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--scale", type=float, default=1.0, help="学生与教师人数倍率 / scale of head counts")
    p.add_argument("--first-year", type=int, default=2020)
    p.add_argument("--realistic", action="store_true",
                   help="真实化省份：多数学校无问题且达到已核实标准，逐年小幅波动，问题只在少数学校（部分只持续一年），"
                        "目标按学校习惯的指标名填写 / a realistic province: clean schools meeting every verified "
                        "standard, a few per cent of yearly noise, faults in a minority of schools, some for one year")


@command("sample", "生成样例省份数据 / generate a sample province")(_sample_args)
def run_sample(args: argparse.Namespace) -> int:
    from ..sample import generate

    summary = generate(args.out, schools=args.schools, years=args.years, seed=args.seed,
                       first_year=args.first_year, scale=args.scale, realistic=args.realistic)
    print(f"样例省份已生成 / sample province written to {args.out}\n{summary}")
    return EXIT_OK
