"""From answers to ``surveys`` rows, and how far the result can be trusted.

Each question feeds one ``surveys`` item: ``respondents`` is the number of answers to it, ``satisfied`` the
number of answers the instrument's scale counts as satisfied.  The response rate is submitted links ÷
issued links.  The margin of error is the half-width of the 95 % Wilson interval of the satisfaction
share (all items pooled, as the indicator pools them) over the number of respondents, narrowed by the
finite-population correction √((N − n) / (N − 1)) with N the links issued — the people invited.

>>> round(margin_of_error(0.8, 100, 400), 1)
6.8
>>> margin_of_error(0.8, 400, 400)
0.0
"""

from __future__ import annotations

import math

import pandas as pd
from sqlalchemy import Connection, case, func, select

from ..store.surveys_schema import survey_answers, survey_links, survey_rounds

SURVEY_COLUMNS = ["school_id", "year", "survey", "item", "respondents", "satisfied"]


def online_rows(conn: Connection, round_ids: list[int]) -> pd.DataFrame:
    """The ``surveys`` rows the answers of these rounds make (contract columns, one row per item)."""
    r, a = survey_rounds, survey_answers
    query = (select(r.c.school_id, r.c.year, r.c.feeds.label("survey"), a.c.item,
                    func.count().label("respondents"),
                    func.sum(case((a.c.satisfied.is_(True), 1), else_=0)).label("satisfied"))
             .join(r, r.c.id == a.c.round_id).where(a.c.round_id.in_(round_ids or [-1]))
             .group_by(r.c.school_id, r.c.year, r.c.feeds, a.c.item).order_by(a.c.item))
    frame = pd.read_sql(query, conn)
    return frame.astype({"year": "int64", "respondents": "int64", "satisfied": "int64"})[SURVEY_COLUMNS]


def responses(conn: Connection, round_ids: list[int]) -> dict[int, int]:
    """Submitted links per round."""
    query = (select(survey_links.c.round_id, func.count()).where(survey_links.c.used.is_(True),
                                                                 survey_links.c.round_id.in_(round_ids or [-1]))
             .group_by(survey_links.c.round_id))
    return {rid: int(n) for rid, n in conn.execute(query)}


def margin_of_error(share: float, n: int, population: int, confidence: float = 0.95) -> float:
    """± percentage points of a satisfaction share from ``n`` of ``population`` invited (NaN if n = 0)."""
    if n <= 0 or math.isnan(share):
        return math.nan
    from ..warnings.methods.uncertainty import wilson  # scipy: only when a margin is asked for

    low, high = wilson(share * n, n, confidence)
    fpc = math.sqrt(max(population - n, 0) / (population - 1)) if population > 1 else 0.0
    return round(float(high - low) / 2 * fpc * 100, 10)


def round_figures(links: int, submitted: int, answers: pd.DataFrame) -> dict[str, float | int]:
    """Response rate, pooled satisfaction and its margin of error for one round's ``surveys`` rows."""
    respondents, satisfied = int(answers["respondents"].sum()), int(answers["satisfied"].sum())
    share = satisfied / respondents if respondents else math.nan
    return {
        "responses": submitted,
        "response_rate": round(100 * submitted / links, 1) if links else math.nan,
        "respondents": respondents,
        "satisfied": satisfied,
        "satisfaction": round(100 * share, 1) if respondents else math.nan,
        "margin_of_error": round(margin_of_error(share, submitted, links), 1),
    }
