"""Judging values against standards: levels, the ratio-method score, gaps to targets.

Levels (column ``level``):

* ``合格`` — the value meets the 合格 standard that applies to it;
* ``不合格`` — it misses 合格 but is not below a 限制招生 level (or none applies);
* ``限制招生`` — it is below the 限制招生 level that applies (教发〔2004〕2号: the school's
  enrolment is restricted; these values raise the yellow and red cards);
* ``''`` — no 合格 or 限制招生 standard applies (school level, category, layer, year).

"Meets" is ``≥`` for higher-is-better and ``≤`` for lower-is-better indicators,
with a relative tolerance of 1e-9 so that 18.000000000000004 still meets 18.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..models.spec import BELOW, QUALIFIED, RESTRICTED, TARGET, ModelSet, Standard

TOLERANCE = 1e-9
_COLUMN = {QUALIFIED: "qualified", RESTRICTED: "restriction", TARGET: "default_target"}
#: The thresholds that decide (verified standards only), then the reference values (参考值: unverified
#: standards, shown labelled where an indicator is explained, deciding nothing).
THRESHOLD_COLUMNS = ["school_level", "category", "qualified", "qualified_source", "qualified_verified",
                     "restriction", "restriction_source", "restriction_verified", "default_target",
                     "reference_qualified", "reference_restriction", "reference_source"]


def _applies(std: Standard, rows: dict[str, np.ndarray]) -> np.ndarray:
    mask = np.isin(rows["layer"], list(std.layers))
    if std.school_levels:
        mask &= np.isin(rows["school_level"], list(std.school_levels))
    if std.categories:
        mask &= np.isin(rows["category"], list(std.categories))
    if std.from_year is not None:
        mask &= rows["year"] >= std.from_year
    if std.to_year is not None:
        mask &= rows["year"] <= std.to_year
    if std.founded_from is not None:  # 新建学校: schools founded since the standard (unknown founding: no)
        mask &= np.nan_to_num(rows["founded"], nan=-1.0) >= std.founded_from
    return mask


def thresholds(values: pd.DataFrame, models: ModelSet, schools: pd.DataFrame) -> pd.DataFrame:
    """For every value row: the school's level and category, the thresholds that apply, and the
    reference values (参考值) of unverified standards.

    ``schools`` has columns ``school_id, level, category`` (and ``founded``, for standards of new
    schools); where several standards of one level apply, the first declared wins (the model check
    forbids overlaps).  Only verified standards fill ``qualified``, ``restriction`` and
    ``default_target``: an unverified value goes to ``reference_*`` and decides nothing.
    """
    info = schools.set_index("school_id") if len(schools) else pd.DataFrame(columns=["level", "category"])
    size = len(values)
    school_level = values["school_id"].map(info["level"]).fillna("").to_numpy(dtype=object)
    category = values["school_id"].map(info["category"]).fillna("").to_numpy(dtype=object)
    founded = (pd.to_numeric(values["school_id"].map(info["founded"]), errors="coerce").to_numpy(dtype=float)
               if "founded" in info else np.full(size, np.nan))
    rows = {"layer": values["layer"].to_numpy(dtype=object), "year": values["year"].to_numpy(),
            "school_level": school_level, "category": category, "founded": founded}
    out: dict[str, np.ndarray] = {c: np.full(size, np.nan) for c in (
        "qualified", "restriction", "default_target", "reference_qualified", "reference_restriction")}
    for col in ("qualified", "restriction", "reference"):
        out[f"{col}_source"] = np.full(size, "", dtype=object)
    for col in ("qualified", "restriction"):
        out[f"{col}_verified"] = np.full(size, None, dtype=object)
    for ind_id, pos in values.groupby("indicator_id", sort=False).indices.items():
        ind = models.indicators.get(str(ind_id))
        if ind is None:
            continue
        sub = {k: v[pos] for k, v in rows.items()}
        for std in ind.standards:
            col = _COLUMN[std.level] if std.decides else (
                f"reference_{_COLUMN[std.level]}" if std.level != TARGET else None)
            if col is None:
                continue
            hit = pos[_applies(std, sub) & np.isnan(out[col][pos])]
            out[col][hit] = std.value
            if not std.decides:
                out["reference_source"][hit] = std.source
            elif std.level != TARGET:
                out[f"{col}_source"][hit] = std.source
                out[f"{col}_verified"][hit] = True
    frame = pd.DataFrame({"school_level": school_level, "category": category, **out}, index=values.index)
    for col in ("qualified_verified", "restriction_verified"):
        frame[col] = pd.array(out[col], dtype="boolean")
    return frame[THRESHOLD_COLUMNS]


def higher_is_better(values: pd.DataFrame, models: ModelSet) -> pd.Series:
    direction = {i: ind.higher_is_better for i, ind in models.indicators.items()}
    # an unknown indicator counts as higher-is-better; a dict lookup keeps the result boolean even when empty
    return pd.Series([direction.get(i, True) for i in values["indicator_id"]], index=values.index, dtype=bool)


def meets(value: pd.Series, threshold: pd.Series, higher: pd.Series) -> pd.Series:
    """Whether ``value`` meets ``threshold`` (false where either is missing)."""
    slack = TOLERANCE * threshold.abs()
    ok = np.where(higher, value >= threshold - slack, value <= threshold + slack)
    return pd.Series(ok, index=value.index) & value.notna() & threshold.notna()


def levels(values: pd.DataFrame, th: pd.DataFrame, models: ModelSet) -> pd.Series:
    """The level of every value (see the module docstring)."""
    higher = higher_is_better(values, models)
    value = values["value"].astype(float)
    restricted = th["restriction"].notna() & ~meets(value, th["restriction"], higher)
    qualified = meets(value, th["qualified"], higher)
    level = np.select([restricted, qualified, th["qualified"].notna()], [RESTRICTED, QUALIFIED, BELOW],
                      default="")
    return pd.Series(level, index=values.index, dtype=object)


def ratio_score(value: pd.Series, qualified: pd.Series, restriction: pd.Series, weight: pd.Series,
                higher: pd.Series) -> pd.Series:
    """The ratio-method score (比率法, domain.md §4.4).

    Full weight at or beyond 合格; 0 beyond the 限制招生 level; in between (or below
    合格 where no 限制招生 level applies) actual ÷ 合格 × weight, or 合格 ÷ actual ×
    weight for lower-is-better indicators.  Missing where no 合格 standard applies.
    """
    value = value.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(higher, value / qualified, qualified / value) * weight
    score = pd.Series(np.clip(part, 0, None), index=value.index).where(qualified.notna())
    score = score.where(~meets(value, qualified, higher), weight)
    below = restriction.notna() & ~meets(value, restriction, higher) & qualified.notna()
    return score.where(~below, 0.0).clip(upper=weight)


def target_gaps(values: pd.DataFrame, targets: pd.DataFrame, models: ModelSet,
                default_target: pd.Series | None = None) -> pd.DataFrame:
    """The school's own target for each value and the gap to it.

    ``targets`` has columns ``school_id, year, indicator_id, program_code, target``
    (``indicator_id`` may hold the id or the Chinese name; a ``program_code`` makes it
    a program-layer target; rows with a ``teacher_key`` are for the teacher layer and
    are ignored here).  Where the school set none, a ``目标`` standard of the model
    (``default_target``) is used.  ``gap`` = value − target; ``met`` follows the
    indicator's direction.
    """
    out = pd.DataFrame(index=values.index)
    out["target"], out["target_source"] = np.nan, ""
    if len(targets):
        t = targets.copy()
        if "teacher_key" in t:
            t = t[t["teacher_key"].fillna("").astype(str) == ""]
        t["indicator_id"] = t["indicator_id"].map(lambda name: models.resolve(str(name)))
        t["unit"] = t.get("program_code", pd.Series("", index=t.index)).fillna("").astype(str)
        t["layer"] = np.where(t["unit"] == "", "school", "program")
        t = t.dropna(subset=["indicator_id"]).drop_duplicates(
            ["school_id", "year", "layer", "unit", "indicator_id"], keep="last")
        keys = ["school_id", "year", "layer", "unit", "indicator_id"]
        own = values[keys].merge(t[[*keys, "target"]], on=keys, how="left")["target"].to_numpy()
        out["target"] = own
        out.loc[out["target"].notna(), "target_source"] = "学校目标 / school target"
    if default_target is not None:
        fill = out["target"].isna() & default_target.notna()
        out.loc[fill, "target"] = default_target[fill]
        out.loc[fill, "target_source"] = "模型默认目标 / model default target"
    higher = higher_is_better(values, models)
    out["gap"] = values["value"].astype(float) - out["target"]
    out["met"] = meets(values["value"].astype(float), out["target"], higher).where(out["target"].notna())
    return out
