"""Warning subcommands: warn (run the warning methods), flags (list stored flags), peers (choose peers)."""

from __future__ import annotations

import argparse
import json
import sys

from ..cli import EXIT_INVALID, EXIT_OK, command, engine_from

FORMATS = ("table", "csv", "json")


def _scope_args(p: argparse.ArgumentParser, several_methods: bool = False, stored: tuple[str, ...] = ()) -> None:
    from ..warnings import METHODS

    p.add_argument("--school", default=None, help="学校代码 / school id")
    p.add_argument("--year", type=int, default=None, help="学年 / year")
    p.add_argument("--method", choices=(*METHODS, *stored), default=None, action="append" if several_methods else "store",
                   help="方法 / method" + ("（可重复 / repeat for several）" if several_methods else ""))


def _warn_args(p: argparse.ArgumentParser) -> None:
    _scope_args(p, several_methods=True)
    p.add_argument("--thresholds", default=None, help="阈值配置文件 / thresholds YAML (default: packaged)")
    p.add_argument("--rules", default=None, help="校验规则文件 / validation rules YAML (default: packaged)")
    p.add_argument("--compute", action="store_true", help="先计算指标 / compute the indicators first")


@command("warn", "运行质量预警与数据核查 / run the warning methods and data checks")(_warn_args)
def run_warn(args: argparse.Namespace) -> int:
    from ..warnings import run_warnings

    engine = engine_from(args)
    values = None
    if args.compute:
        from ..engine import compute
        from ..models import load_models

        values = compute(engine, load_models()[0])  # the whole province: peers and trends need it
    result = run_warnings(engine, school=args.school, year=args.year, methods=args.method,
                          thresholds=args.thresholds, rules=args.rules, values=values)
    print(result.to_text(rows=20))
    print(result.counts().to_string(index=False))
    return EXIT_OK


def _flags_args(p: argparse.ArgumentParser) -> None:
    from ..spotcheck import METHOD as SPOTCHECK

    _scope_args(p, stored=(SPOTCHECK,))  # flags the spot checks store; `zhengai warn` does not run them
    p.add_argument("--severity", choices=("red", "yellow", "info"), default=None, help="级别 / severity")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format")


@command("flags", "列出预警标记 / list the stored warning flags")(_flags_args)
def run_flags(args: argparse.Namespace) -> int:
    from ..access import Access, resolve_user
    from ..warnings import EXPORT_COLUMNS, load_thresholds
    from ..warnings.result import display_frame

    engine = engine_from(args)
    flags = Access(engine, resolve_user(engine)).flags(args.school, args.year, args.method)
    if args.severity:
        flags = flags[flags["severity"] == args.severity]
    indicators = _indicator_meta()
    out = display_frame(flags, indicators, int(load_thresholds().value("uncertainty.n_floor")))[EXPORT_COLUMNS]
    if args.format == "csv":
        from ..io.cells import write_csv

        write_csv(out, sys.stdout)
    elif args.format == "json":
        records = json.loads(out.to_json(orient="records", force_ascii=False))
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif out.empty:
        print("没有预警标记 / no flags (run `zhengai warn` first)")
    else:
        shown = out[["school_id", "year", "unit", "method", "severity", "message_zh"]]
        print(shown.astype(object).fillna("").to_string(index=False))
    return EXIT_OK


def _indicator_meta() -> dict:
    from ..models import load_models
    from ..warnings.inputs import meta_from_models

    return meta_from_models(load_models()[0])


def _peers_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("school", help="学校代码 / school id")
    p.add_argument("peers", nargs="*", help="比较院校代码 / the peer schools' ids (none: show the current group)")
    p.add_argument("--clear", action="store_true", help="恢复默认比较组 / back to the default group")
    p.add_argument("--user", default=None, help="记录为选择人 / recorded as chosen by")


@command("peers", "选择或查看本校的比较院校组 / choose or show a school's peer group")(_peers_args)
def run_peers(args: argparse.Namespace) -> int:
    from ..warnings import load_peer_groups, set_peer_group

    engine = engine_from(args)
    if args.clear or args.peers:
        known = _known_schools(engine)
        unknown = sorted(set(args.peers) - known)
        if unknown or args.school not in known:
            print(f"未知的学校 / unknown school(s): {', '.join(unknown or [args.school])}", file=sys.stderr)
            return EXIT_INVALID
        chosen = set_peer_group(engine, args.school, [] if args.clear else args.peers, args.user)
        print(f"{args.school} 的比较组 / peer group: {', '.join(chosen) or '默认（同层次同类别）/ default'}")
        return EXIT_OK
    group = load_peer_groups(engine).get(args.school, [])
    print(f"{args.school} 的比较组 / peer group: {', '.join(group) or '默认（同层次同类别）/ default'}")
    return EXIT_OK


def _known_schools(engine: object) -> set[str]:
    from sqlalchemy import select

    from ..store.schema import schools

    with engine.connect() as conn:
        return set(conn.execute(select(schools.c.school_id)).scalars())


def _status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", default=None, help="学校代码 / school id")
    p.add_argument("--year", type=int, default=None, help="学年 / year")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format")


@command("status", "红黄灯与黄牌红牌（学校与诊断项目）/ the verdict: lights of schools and items, and cards")(_status_args)
def run_status(args: argparse.Namespace) -> int:
    """The one verdict (``diagnostics.warnings.verdict``): columns school_id, year, scope (school|item),
    item, light (green|yellow|red|unreported), red, yellow, card — the same lights every view shows."""
    from ..access import Access, resolve_user
    from .output import emit

    engine = engine_from(args)
    frame = Access(engine, resolve_user(engine)).verdict(args.school, args.year)
    emit(frame, args.format)
    return EXIT_OK
