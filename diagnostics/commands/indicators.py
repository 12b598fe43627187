"""Indicator subcommands: indicators list|show|validate, compute, values."""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from ..cli import EXIT_FAIL, EXIT_INVALID, EXIT_OK, command, engine_from
from .output import FORMATS, emit

VALUE_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator", "denominator",
                 "n", "level"]


def _load_models():  # noqa: ANN202
    from ..models import load_models

    models, issues = load_models()
    errors = [i for i in issues if getattr(i, "level", "error") == "error"]
    for issue in errors:
        print(f"指标模型问题 / model problem: {issue}", file=sys.stderr)
    return models, errors


def _indicators_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "show", "validate"])
    p.add_argument("target", nargs="?", default=None, help="show: 指标代码 indicator id; validate: 路径 path")
    p.add_argument("--format", choices=["table", "json"], default="table")


def indicator_frame(models) -> pd.DataFrame:  # noqa: ANN001
    rows = [{"indicator_id": i.id, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit,
             "direction": i.direction, "layers": ",".join(i.layers), "items": ",".join(i.items),
             "kind": i.kind, "standards": len(i.standards)} for i in models.indicators.values()]
    return pd.DataFrame(rows)


def standard_info(s) -> dict:  # noqa: ANN001 - a models.spec.Standard
    """One standard as ``indicators show`` lists it: whether it is verified and whether it sets a level
    (a reference value, 参考值, is shown but decides nothing)."""
    return {"level": s.level, "value": s.value, "school_levels": list(s.school_levels or ()),
            "categories": list(s.categories or ()), "layers": list(s.layers), "from_year": s.from_year,
            "to_year": s.to_year, "founded_from": s.founded_from, "source": s.source, "article": s.article or None,
            "printed": s.printed or None, "verified": s.verified, "sets_level": s.sets_level,
            "role": ("sets_level" if s.sets_level else "default_target" if s.decides else "reference"),
            "note": s.note or None}


def _show(models, ident: str, fmt: str) -> int:  # noqa: ANN001
    resolved = models.resolve(ident)
    if resolved is None:
        print(f"没有指标“{ident}” / no indicator '{ident}'", file=sys.stderr)
        return EXIT_FAIL
    ind = models.indicators[resolved]
    info = {
        "id": ind.id, "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
        "direction": ind.direction, "definition_zh": ind.definition_zh, "definition_en": ind.definition_en,
        "layers": list(ind.layers), "items": list(ind.items), "kind": ind.kind,
        "measure": ind.measure, "numerator": ind.numerator, "denominator": ind.denominator,
        "factor": ind.factor, "expr": ind.expr_text or None, "period": f"{ind.year_convention}/{ind.period_kind}",
        "missing": ind.missing, "file": ind.file,
        "aliases": list(ind.aliases),
        "standards": [standard_info(s) for s in ind.standards],
    }
    if fmt == "json":
        import json

        print(json.dumps(info, ensure_ascii=False, indent=1, default=str))
    else:
        for k, v in info.items():
            print(f"{k:>14}: {v}")
    return EXIT_OK


@command("indicators", "指标模型：列出、查看、校验 / list, show or validate indicator models")(_indicators_args)
def run_indicators(args: argparse.Namespace) -> int:
    from ..models import validate_paths

    if args.action == "validate":
        issues = validate_paths([args.target] if args.target else None)
        frame = pd.DataFrame([{"file": str(i.file), "key": i.key, "level": i.level, "message_zh": i.message_zh,
                               "message_en": i.message_en} for i in issues])
        if issues:
            emit(frame, args.format)
        else:
            print("全部指标模型有效 / all models valid")
        return EXIT_INVALID if any(i.level == "error" for i in issues) else EXIT_OK
    models, _ = _load_models()
    if args.action == "show":
        if not args.target:
            print("请给出指标代码 / give an indicator id", file=sys.stderr)
            return EXIT_FAIL
        return _show(models, args.target, args.format)
    emit(indicator_frame(models), args.format)
    return EXIT_OK


def _compute_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", action="append", default=None, help="只算这所学校（可重复）/ only this school")
    p.add_argument("--year", action="append", type=int, default=None, help="只算这一年（可重复）/ only this year")
    p.add_argument("--no-warnings", action="store_true", help="不运行预警 / skip the warning engine")


@command("compute", "计算全部指标（增量）与预警 / compute every indicator (incrementally) and the warnings")(_compute_args)
def run_compute(args: argparse.Namespace) -> int:
    from ..engine import compute

    engine = engine_from(args)
    models, errors = _load_models()
    if errors:
        return EXIT_INVALID
    t0 = time.perf_counter()
    # a whole-province compute hands its values over instead of reading them back
    whole = args.school is None and args.year is None

    def computed(background: bool = True):  # noqa: ANN202 - a ResultSet, or None to read the stored values
        # a whole-province compute writes its values while the warnings run (run_warnings waits for them)
        result = compute(engine, models, schools=args.school, years=args.year, background=whole and background)
        frame = result.to_frame()
        print(f"指标计算完成 / indicators computed: {len(frame)} 个值 values, "
              f"{frame[['school_id', 'year']].drop_duplicates().shape[0]} 个学校学年 school-years, "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        return result if whole else None

    if args.no_warnings:
        computed(background=False)
        return EXIT_OK
    try:
        from ..warnings import run_warnings
    except ImportError:
        computed(background=False)
        return EXIT_OK
    # the data checks (SQL over the status data only) run beside the compute
    flags = run_warnings(engine, models=models, values=computed)
    print(f"预警完成 / warnings computed: {len(flags)} 条 flags, 共 total {time.perf_counter() - t0:.1f} s")
    return EXIT_OK


def _values_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", default=None)
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--layer", choices=["school", "program"], default=None)
    p.add_argument("--indicator", default=None, help="指标代码或中文名 / indicator id or Chinese name")
    p.add_argument("--format", choices=FORMATS, default="table")


@command("values", "列出已计算的指标值 / list computed indicator values")(_values_args)
def run_values(args: argparse.Namespace) -> int:
    from ..access import Access, resolve_user

    engine = engine_from(args)
    frame = Access(engine, resolve_user(engine)).indicator_values(args.school, args.year, args.layer)
    if args.indicator:
        models, _ = _load_models()
        ident = models.resolve(args.indicator) or args.indicator
        frame = frame[frame["indicator_id"] == ident]
    frame = frame.reindex(columns=VALUE_COLUMNS)
    emit(frame.sort_values(["school_id", "year", "layer", "unit", "indicator_id"]), args.format)
    return EXIT_OK
