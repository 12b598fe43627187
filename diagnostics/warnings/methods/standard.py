"""``standard`` and ``target``: every standard level and every own target a value misses.

The thresholds that apply to each value come from the indicator engine (教发〔2004〕2号 合格 / 限制招生
values with their sources, ``shared/domain.md`` §4): below 限制招生 is red, below 合格 yellow
(``thresholds.yaml``).  Targets are the school's own annual targets (一校一策) and standards (校标), or
the model's default target (a note only).  An outcome rate is judged with its Wilson interval
(:mod:`.uncertainty`): the miss keeps its severity only when the whole interval misses; otherwise it
becomes an ``uncertainty`` note showing the interval.  Yellow and red cards of 教发〔2004〕2号 are
flagged per school-year from the engine's card table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...engine.standards import meets
from ..config import Thresholds
from ..flags import Flag, fmt_number
from ..inputs import QUALIFIED, RESTRICTED, IndicatorMeta, WarningInputs
from .common import (
    LEVEL_EN,
    SYMBOL,
    context_medians,
    context_phrase,
    side_words,
    to_frame,
    value_flag,
    where_en,
    where_zh,
)
from .uncertainty import BELOW, MET, is_count_rate, judge, rate_interval, uncertain_flag

OWN_TARGET = "本校年度目标（一校一策）"
SCHOOL_STANDARD = "本校自定标准（校标）/ school standard"

CARD_SOURCE = "教发〔2004〕2号（一项基本指标低于限制招生值：黄牌；两项及以上或连续三年黄牌：红牌）"


def _rate_verdict(row: dict, meta: IndicatorMeta, threshold: float, op: str,
                  cfg: Thresholds) -> tuple[str, float | None, float | None]:
    """(verdict, low, high) of a value that misses ``threshold``: a count rate is judged with its
    interval (BELOW only when the whole interval misses); any other value is BELOW."""
    if not is_count_rate(meta, row, cfg):
        return BELOW, None, None
    low, high = rate_interval(row, meta, cfg.value("uncertainty.confidence"))
    return judge(row["value"], low, high, threshold, op), low, high


def _is_true(value: object) -> bool:
    return bool(value) if isinstance(value, bool | np.bool_) else False


def _interval_evidence(low: float | None, high: float | None) -> dict:
    return {} if low is None else {"low": low, "high": high}


def _misses(vals: pd.DataFrame, inputs: WarningInputs, column: str) -> pd.Series:
    """Rows whose value misses the threshold in ``column`` (engine rule: ≥ or ≤ with 1e-9 slack)."""
    if column not in vals:
        return pd.Series(False, index=vals.index)
    higher = inputs.per_row(vals, "higher_is_better").astype(bool)
    threshold = pd.to_numeric(vals[column], errors="coerce").astype(float)
    return threshold.notna() & vals["value"].notna() & ~meets(vals["value"], threshold, higher)


def standard_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """One flag per value below a standard, citing the most serious level missed."""
    vals = inputs.values
    restricted, qualified = _misses(vals, inputs, "restriction"), _misses(vals, inputs, "qualified")
    vals = inputs.with_school_attrs(vals.assign(_restricted=restricted, _qualified=qualified)[restricted | qualified])
    if vals.empty:
        return to_frame([])
    by = list(cfg.value("standard.context_group"))
    medians = context_medians(inputs, by, cfg.value("peer.min_group"), vals[["indicator_id", "year", "layer"]])
    vals = vals.merge(medians, on=["indicator_id", "year", "layer", *by], how="left")
    flags: list[Flag] = []
    for row in vals.to_dict("records"):
        meta = inputs.meta(row["indicator_id"])
        level, col = (RESTRICTED, "restriction") if row["_restricted"] else (QUALIFIED, "qualified")
        threshold, op = float(row[col]), ">=" if meta.higher_is_better else "<="
        source, verified = str(row[f"{col}_source"] or ""), _is_true(row[f"{col}_verified"])
        verdict, low, high = _rate_verdict(row, meta, threshold, op, cfg)
        if verdict == MET:
            continue
        if verdict != BELOW:
            flags.append(uncertain_flag(row, meta, cfg, threshold, op, f"{level}标准",
                                        f"{LEVEL_EN[level]} standard", low, high, source))
            continue
        missed = [lvl for lvl, hit in ((RESTRICTED, row["_restricted"]), (QUALIFIED, row["_qualified"])) if hit]
        severity = cfg.value("standard.severity_below_restricted" if level == RESTRICTED
                             else "standard.severity_below_qualified")
        flags.append(_standard_flag(row, meta, level, threshold, op, source, verified, severity, missed,
                                    _interval_evidence(low, high)))
    return to_frame(flags)


def _standard_flag(row: dict, meta: IndicatorMeta, level: str, threshold: float, op: str, source: str,
                   verified: bool, severity: str, missed: list[str], extra: dict) -> Flag:
    side_zh, side_en = side_words(row["value"], threshold)
    ctx_zh, ctx_en = context_phrase(row.get("context_median"), meta, row["layer"])
    shown = fmt_number(threshold, meta.unit)
    return value_flag(
        row, meta, method="standard", severity=severity, expected=f"{SYMBOL[op]} {shown}",
        rule=f"{meta.name_zh} {SYMBOL[op]} {shown}（{level}）", source=source,
        message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh} {fmt_number(row['value'], meta.unit)}，"
                    f"{side_zh}{level}标准 {shown}（{source}）{ctx_zh}"),
        message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} {fmt_number(row['value'], meta.unit)} "
                    f"is {side_en} the {LEVEL_EN[level]} standard {shown} ({source}){ctx_en}"),
        evidence={"standard_level": level, "threshold": threshold, "op": op, "levels_missed": missed,
                  "verified": verified, "context_median": row.get("context_median"), **extra})


# --------------------------------------------------------------------------- own targets
#: (column of the threshold, column or text of its source) judged by ``target``
TARGET_KINDS = (("target", "target_source"), ("school_standard", SCHOOL_STANDARD))


def target_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """One flag per value that misses its target (the school's own or the model's default) or its
    school standard (校标, a threshold a school sets for itself)."""
    higher = inputs.per_row(inputs.values, "higher_is_better").astype(bool)
    flags: list[Flag] = []
    for column, source_column in TARGET_KINDS:
        if column not in inputs.values:
            continue
        threshold = pd.to_numeric(inputs.values[column], errors="coerce").astype(float)
        missed = threshold.notna() & inputs.values["value"].notna() & ~meets(inputs.values["value"], threshold, higher)
        for row in inputs.values[missed].to_dict("records"):
            meta = inputs.meta(row["indicator_id"])
            op, target = (">=" if meta.higher_is_better else "<="), float(row[column])
            source = str(row.get(source_column) or OWN_TARGET) if source_column in inputs.values else source_column
            verdict, low, high = _rate_verdict(row, meta, target, op, cfg)
            if verdict != BELOW:
                flags.append(uncertain_flag(row, meta, cfg, target, op, "目标", "target", low, high, source))
                continue
            own = column == "school_standard" or not _is_true(row.get("target_is_default"))
            severity = cfg.value("target.severity" if own else "target.severity_default")
            flags.append(_target_flag(row, meta, op, target, source, severity, _interval_evidence(low, high)))
    return to_frame(flags)


def _target_flag(row: dict, meta: IndicatorMeta, op: str, target: float, source: str, severity: str,
                 extra: dict) -> Flag:
    gap = row["value"] - target
    side_zh, side_en = side_words(row["value"], target)
    return value_flag(
        row, meta, method="target", severity=severity, expected=f"{SYMBOL[op]} {fmt_number(target, meta.unit)}",
        rule=f"{meta.name_zh} {SYMBOL[op]} 目标 {fmt_number(target, meta.unit)}", source=source,
        message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh} {fmt_number(row['value'], meta.unit)}，"
                    f"{side_zh}年度目标 {fmt_number(target, meta.unit)}（{source}），差距 {fmt_number(abs(gap), meta.unit)}"),
        message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} {fmt_number(row['value'], meta.unit)} "
                    f"is {side_en} the target {fmt_number(target, meta.unit)} ({source}) "
                    f"(gap {fmt_number(abs(gap), meta.unit)})"),
        evidence={"target": target, "gap": gap, **extra})


# --------------------------------------------------------------------------- cards
CARDS = {"黄牌": "yellow", "红牌": "red", "yellow": "yellow", "red": "red"}


def card_flags(cards: pd.DataFrame, cfg: Thresholds) -> pd.DataFrame:
    """A school-year flag for each yellow or red card (the engine's ``cards``: school_id, year, card, reasons;
    card 黄牌 / 红牌, reasons a list or a text joined by '；')."""
    flags = []
    for row in cards.itertuples(index=False):
        card = CARDS.get(str(row.card))
        if card is None:
            continue
        reasons = row.reasons if isinstance(row.reasons, list) else [
            r for r in str(row.reasons or "").split("；") if r]
        zh = "黄牌" if card == "yellow" else "红牌"
        effect_zh = "招生数不得超过当年毕业生数" if card == "yellow" else "暂停招生"
        effect_en = "intake may not exceed this year's graduates" if card == "yellow" else "enrolment suspended"
        flags.append(Flag(
            school_id=str(row.school_id), year=int(row.year), layer="school", unit="", indicator_id=None,
            method="standard", severity=cfg.value(f"standard.severity_{card}_card"), observed=float(len(reasons)),
            expected="0", n=None, rule=f"基本办学条件{zh}（{QUALIFIED} / {RESTRICTED}）", source=CARD_SOURCE,
            message_zh=f"基本办学条件{zh}（{effect_zh}）：{'；'.join(reasons)}",
            message_en=f"{card} card for basic school-running conditions ({effect_en}): {'; '.join(reasons)}",
            evidence={"card": card, "reasons": reasons}))
    return to_frame(flags)
