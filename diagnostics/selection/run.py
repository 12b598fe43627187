"""The selection (遴选) of a year: who is eligible and why not, scores, ranks, rank intervals and the
probability of being in the top ``k`` when the weights vary.  Cards come from the one verdict
(:func:`diagnostics.warnings.verdict.load_verdict`), never recounted here."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .score import Inputs, rank_intervals, ranks, scores, top_probability
from .spec import SelectionSpec

RESULT_COLUMNS = ["school_id", "name", "level", "city", "eligible", "score", "rank", "rank_low", "rank_high",
                  "p_top", "selected", "depends_on_weights", "reason_zh", "reason_en"]


@dataclass(frozen=True)
class Facts:
    """What eligibility and scores are read from, for one year."""

    schools: pd.DataFrame  # school_id, name, level, city (the reporting schools)
    values: pd.DataFrame  # school layer: school_id, indicator_id, value, numerator, denominator
    cards: dict[str, str]  # school_id -> 红牌 / 黄牌 / ''
    open_warnings: dict[str, list[str]]  # school_id -> the open warnings' short texts


def eligibility(spec: SelectionSpec, facts: Facts) -> pd.DataFrame:
    """``school_id, eligible, reason_zh, reason_en`` for every reporting school."""
    have = facts.values.dropna(subset=["value"])
    present = have.groupby("school_id")["indicator_id"].agg(set).to_dict()
    wanted = [c.id for c in spec.components]
    rows = []
    for s in facts.schools.to_dict("records"):
        sid = str(s["school_id"])
        zh, en = [], []
        if spec.levels and s.get("level") not in spec.levels:
            zh.append(f"层次 {s.get('level')} 不在遴选范围"), en.append(f"level {s.get('level')} not in scope")
        card = facts.cards.get(sid, "")
        if card and card in spec.no_card:
            zh.append(f"有{card}"), en.append({"红牌": "red card", "黄牌": "yellow card"}.get(card, card))
        found = facts.open_warnings.get(sid, [])
        if found:
            zh.append(f"有 {len(found)} 条未关闭的预警（{'、'.join(found[:3])}）")
            en.append(f"{len(found)} open warning(s) ({', '.join(found[:3])})")
        missing = [i for i in wanted if i not in present.get(sid, set())]
        if spec.data_complete and missing:
            zh.append(f"数据不全（缺 {'、'.join(missing)}）"), en.append(f"data incomplete (no {', '.join(missing)})")
        rows.append((sid, not zh, "；".join(zh), "; ".join(en)))
    return pd.DataFrame(rows, columns=["school_id", "eligible", "reason_zh", "reason_en"])


def inputs_of(spec: SelectionSpec, values: pd.DataFrame, school_ids: list[str]) -> Inputs:
    """The arrays of the eligible schools' values (school order = ``school_ids``)."""
    ids = [c.id for c in spec.components]
    v = values[values["indicator_id"].isin(ids)].drop_duplicates(["school_id", "indicator_id"])

    def grid(col: str) -> np.ndarray:
        table = v.pivot(index="school_id", columns="indicator_id", values=col)
        return table.reindex(index=school_ids, columns=ids).to_numpy(dtype=float)

    comps = spec.components
    return Inputs(grid("value"), grid("numerator"), grid("denominator"), np.array([c.sign for c in comps]),
                  np.array([c.weight for c in comps]), np.array([c.weight_range[0] for c in comps]),
                  np.array([c.weight_range[1] for c in comps]))


def select(spec: SelectionSpec, facts: Facts, top: int | None = None) -> pd.DataFrame:
    """Every reporting school (:data:`RESULT_COLUMNS`): eligible ones ranked, the others with the reason."""
    top = int(top or spec.top)
    elig = eligibility(spec, facts)
    out = facts.schools[["school_id", "name", "level", "city"]].assign(school_id=lambda f: f["school_id"].astype(str))
    out = out.merge(elig, on="school_id", how="left")
    ids = sorted(out.loc[out["eligible"], "school_id"])
    for col in ("score", "p_top"):
        out[col] = np.nan
    for col in ("rank", "rank_low", "rank_high"):
        out[col] = pd.array([pd.NA] * len(out), dtype="Int64")
    if ids:
        inp = inputs_of(spec, facts.values, ids)
        rng = np.random.default_rng(spec.seed)
        point = scores(inp.values, inp.signs, inp.weights)
        low, high = rank_intervals(inp, spec.bootstrap, spec.interval, rng)
        computed = pd.DataFrame({"school_id": ids, "score": point, "rank": ranks(point), "rank_low": low,
                                 "rank_high": high, "p_top": top_probability(inp, top, spec.weight_draws, rng)})
        out = out.drop(columns=["score", "p_top", "rank", "rank_low", "rank_high"]).merge(
            computed, on="school_id", how="left")
        for col in ("rank", "rank_low", "rank_high"):
            out[col] = out[col].astype("Int64")
    out["selected"] = out["eligible"] & (out["rank"].fillna(top + 1) <= top)
    out["depends_on_weights"] = out["eligible"] & out["p_top"].between(0, 1, inclusive="neither")
    out = out.sort_values(["eligible", "rank", "school_id"], ascending=[False, True, True], na_position="last")
    return out[RESULT_COLUMNS].reset_index(drop=True)


def gather(engine: object, spec: SelectionSpec, year: int, models: object) -> Facts:
    """The facts of ``year`` from the store: schools that reported, school-layer values, the verdict's
    cards, and the open warnings of the methods the index names (red/yellow flags without a closed
    follow-up)."""
    import sqlalchemy as sa

    from ..engine import current_values
    from ..engine.persist import school_info
    from ..store.schema import data_versions
    from ..store.workflow_schema import follow_ups
    from ..warnings.persist import load_flags
    from ..warnings.verdict import load_verdict

    with engine.connect() as conn:  # type: ignore[attr-defined]
        info = school_info(conn)
        reported = {str(s) for s in conn.execute(sa.select(data_versions.c.school_id).where(
            data_versions.c.is_current.is_(True), data_versions.c.year == int(year))).scalars()}
        closed = pd.read_sql(sa.select(follow_ups).where(follow_ups.c.year == int(year),
                                                         follow_ups.c.status == "closed"), conn)
    info = info[info["school_id"].astype(str).isin(reported)].sort_values("school_id")
    verdict = load_verdict(engine, models, year=int(year))
    cards = {str(s): verdict.school(s, int(year))["card"] for s in info["school_id"]}
    values = current_values(engine, year=int(year), layer="school")
    values = values[values["unit"].fillna("") == ""].assign(school_id=lambda f: f["school_id"].astype(str))
    flags = load_flags(engine, year=int(year))
    flags = flags[flags["method"].isin(spec.warning_methods) & flags["severity"].isin(spec.warning_severities)]
    done = {_key(r) for r in closed.to_dict("records")}
    open_w: dict[str, list[str]] = {}
    for f in flags.to_dict("records"):
        key = _key(f)
        if key not in done:
            open_w.setdefault(key[0], []).append(str(f["message_zh"])[:40])
    return Facts(info, values, cards, open_w)


def _key(row: dict) -> tuple[str, ...]:
    """The follow-up key of a flag or a follow-up (missing parts as '')."""
    return tuple("" if row.get(k) is None or (isinstance(row.get(k), float) and pd.isna(row.get(k)))
                 else str(row.get(k)) for k in ("school_id", "layer", "unit", "indicator_id", "method"))
