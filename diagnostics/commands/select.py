"""``zhengai select``: the top-k selection (遴选) on the composite management index.

Acts through :class:`diagnostics.access.Access` as the current user (a province officer; local mode is one).
"""

from __future__ import annotations

import argparse

from ..cli import EXIT_OK, command
from .output import FORMATS, emit
from .workflow import _access, _failed


def _select_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, help="学年 / year")
    p.add_argument("--top", type=int, default=None, help="入选学校数（默认取指数配置，30）/ how many to select")
    p.add_argument("--index", default=None,
                   help="综合指数 YAML（默认内置 top30.yaml）/ the index YAML (default: the packaged top30.yaml)")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format")


@command("select", "遴选：综合指数、名次区间与权重敏感性 / selection: index, rank intervals, weight sensitivity")(
    _select_args)
def run_select(args: argparse.Namespace) -> int:
    from ..workflow.errors import BilingualError

    try:
        out = _access(args).selection(args.year, index=args.index, top=args.top)
    except BilingualError as exc:
        return _failed(exc)
    if args.format == "table":
        spec, top = out.attrs["spec"], out.attrs["top"]
        print(f"{spec.name_zh} / {spec.name_en} — 前 {top} 名 / top {top}; 名次区间 {spec.interval:.0%}"
              f"（{spec.bootstrap} 次重抽样 / bootstrap replicates），权重变动 {spec.weight_draws} 次 / weight draws")
        shown = out.drop(columns=["reason_en"]).astype(object).where(out.notna(), "")
        emit(shown, "table")
    else:
        emit(out, args.format)
    return EXIT_OK
