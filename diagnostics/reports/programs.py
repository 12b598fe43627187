"""Program-layer highlights of a diagnosis item: programs below a standard, the weakest and the strongest.

Rates resting on fewer than :data:`MIN_N` people are not singled out as weakest or strongest
(a program of three graduates says little; domain.md §7 suppresses groups below about 23).
"""

from __future__ import annotations

import pandas as pd

from ..models.spec import ModelSet
from .fmt import format_value, is_missing
from .model import ProgramNote

MIN_N = 23
BELOW = {"不合格": "未达合格标准", "限制招生": "低于限制招生线"}


def _label(code: str, names: dict[str, str]) -> str:
    return f"{code} {names.get(code, '')}".strip()


def program_notes(values: pd.DataFrame, ids: list[str], models: ModelSet, names: dict[str, str],
                  limit: int) -> tuple[list[ProgramNote], str]:
    """Notes on the program-layer ``values`` (judged, one school-year) of the indicators ``ids``."""
    rows = values[values["layer"] == "program"] if (values["layer"] != "program").any() else values
    rows = rows.loc[rows["indicator_id"].isin(ids) & rows["value"].notna(),
                    ["indicator_id", "unit", "value", "qualified", "level", "n"]]  # what a note reads
    if rows.empty:
        return [], ""
    below, extremes = [], []
    groups: dict[str, list[dict]] = {}
    for rec in rows.to_dict("records"):  # a few hundred rows: plain Python beats per-group frames
        groups.setdefault(rec["indicator_id"], []).append(rec)
    for ind_id in [i for i in ids if i in groups]:
        ind, group = models.indicators[ind_id], groups[ind_id]
        for r in group:
            if r["level"] in BELOW:
                below.append(ProgramNote(_label(r["unit"], names), ind.name_zh, format_value(r["value"], ind.unit),
                                         format_value(r["qualified"], ind.unit), r["level"], BELOW[r["level"]]))
        if any(not is_missing(r["qualified"]) for r in group):
            continue
        solid = [r for r in group if (0 if is_missing(r["n"]) else r["n"]) >= MIN_N] if ind.unit == "%" else group
        if len(solid) < 3:
            continue
        ranked = sorted(solid, key=lambda r: r["value"], reverse=ind.higher_is_better)  # best first, stable
        for r, note in ((ranked[-1], "全校各专业中最弱"), (ranked[0], "全校各专业中最好")):
            extremes.append(ProgramNote(_label(r["unit"], names), ind.name_zh, format_value(r["value"], ind.unit),
                                        "—", "" if is_missing(r["level"]) else r["level"], note))
    n_programs = rows["unit"].nunique()
    n_below = len({n.program for n in below})
    if n_below:
        verdict = f"{n_below} 个专业有指标未达合格标准。"
    elif rows["qualified"].notna().any():
        verdict = "各专业均达到专业层面的合格标准。"
    else:
        verdict = "这些指标在专业层面暂无合格标准，下表列出各专业中最弱与最好者。"
    summary = f"本项目涉及 {n_programs} 个专业的 {rows['indicator_id'].nunique()} 项专业层面指标；{verdict}"
    return (below + extremes)[:limit], summary
