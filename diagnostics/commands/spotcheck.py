"""Spot-check subcommands (随机抽查): draw a sample, record outcomes, show records and estimates.

They act through :class:`diagnostics.access.Access` as the current user (``resolve_user``: the hub's
user, the registered OS account of a shared deployment, else local mode: a province officer), like the
dashboards do.
"""

from __future__ import annotations

import argparse
import sys

from ..cli import EXIT_OK, command
from .output import FORMATS, emit
from .workflow import _access, _failed


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _spot_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    draw = sub.add_parser("draw", help="抽取样本 / draw a sample")
    draw.add_argument("--year", type=int, required=True, help="学年 / year")
    draw.add_argument("--seed", type=int, required=True, help="随机种子（公开，可复现）/ seed (published, reproducible)")
    draw.add_argument("--schools", type=int, default=10, help="抽取学校数 / schools to draw (default 10)")
    draw.add_argument("--records", type=int, default=20, help="每校每类抽取记录数 / records per school and kind")
    draw.add_argument("--strata", type=_csv, default=("city", "level"),
                      help="分层字段 / strata fields (city,level,category,ownership; default city,level)")
    draw.add_argument("--kind", type=_csv, default=("students",),
                      help="抽查对象 / kinds: students,teachers,internships (default students)")
    draw.add_argument("--dry-run", action="store_true", help="只抽取显示，不保存 / draw and print, do not store")
    draw.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format")
    rec = sub.add_parser("record", help="登记核查结果 / record a checked record's outcome")
    rec.add_argument("record_id", type=int, help="抽查记录编号 / record id (the id column of `show`)")
    rec.add_argument("--outcome", required=True, choices=("confirmed", "discrepancy"),
                     help="confirmed 核实无误 / discrepancy 存在差错")
    rec.add_argument("--note", default=None, help="差错内容 / what is wrong (required for a discrepancy)")
    rec.add_argument("--version", type=int, default=None,
                     help="记录的当前版本（默认读取）/ the record's version (default: the current one)")
    for name, text in (("show", "列出抽查记录 / list the sampled records"),
                       ("estimate", "各校差错率估计 / estimated discrepancy rate per school")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--sample", type=int, default=None, help="样本编号 / sample id")
        s.add_argument("--school", default=None, help="学校代码 / school id")
        s.add_argument("--year", type=int, default=None, help="学年 / year")
        s.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format")


@command("spotcheck", "随机抽查：抽样、登记核查结果、差错率估计 / spot checks: draw, record, estimate")(_spot_args)
def run_spotcheck(args: argparse.Namespace) -> int:
    from ..workflow.errors import BilingualError

    try:
        access = _access(args)
        if args.action == "draw":
            return _draw(access, args)
        if args.action == "record":
            version = args.version
            if version is None:
                found = access.spot_check_records()
                match = found[found["id"] == args.record_id]
                version = int(match["version"].iloc[0]) if len(match) else 1
            row = access.record_spot_check(args.record_id, version, args.outcome, args.note)
            print(f"已登记 / recorded: #{row['id']} {row['school_id']} {row['kind']} {row['record_key']} → "
                  f"{row['outcome']} (version {row['version']})")
            return EXIT_OK
        if args.action == "show":
            emit(access.spot_check_records(args.sample, args.school, args.year), args.format)
        else:
            emit(access.spot_check_estimates(args.sample, args.school, args.year), args.format)
    except BilingualError as exc:
        return _failed(exc)
    return EXIT_OK


def _draw(access: object, args: argparse.Namespace) -> int:
    sample = access.draw_spot_check(args.year, args.seed, schools=args.schools, records=args.records,  # type: ignore[attr-defined]
                                    strata=args.strata, kinds=args.kind, store=not args.dry_run)
    meta = sample.attrs
    head = (f"样本 / sample: {meta['sample_id'] if meta['sample_id'] is not None else '（未保存 / not stored）'}  "
            f"种子 / seed: {meta['seed']}\n方法：{meta['method_zh']}\nMethod: {meta['method_en']}\n")
    if args.format == "table":
        sys.stdout.write(head)
    else:
        sys.stderr.write(head)  # the data stream stays clean CSV / JSON
    emit(sample, args.format)
    return EXIT_OK
