"""Yellow and red cards of 教发〔2004〕2号 (domain.md §4.1).

At school layer of a 高职 school, a basic indicator whose value is below its
限制招生 level (``level == '限制招生'``) counts against the school-year:

* one such indicator → yellow card (黄牌: enrolment may not exceed that year's graduates);
* two or more → red card (红牌: enrolment suspended);
* a carded year whose two previous years were carded too → red card (three in a row).
"""

from __future__ import annotations

import pandas as pd

from ..models.spec import RESTRICTED, ModelSet
from .results import ResultSet

YELLOW, RED = "黄牌", "红牌"
CARD_COLUMNS = ["school_id", "year", "card", "reasons"]


def cards(values: pd.DataFrame | ResultSet, schools: pd.DataFrame | None = None,
          models: ModelSet | None = None) -> pd.DataFrame:
    """The school-years that earn a card: ``school_id, year, card, reasons``.

    ``values`` is a :class:`ResultSet` or a values frame (``level`` as computed by the
    engine).  With ``schools`` (columns ``school_id, level``) only 高职 schools are
    judged; with ``models`` only the indicators marked ``cards: true`` count and the
    reasons carry their Chinese names.  A ResultSet brings both.
    """
    if isinstance(values, ResultSet):
        schools = values.schools if schools is None else schools
        models = values.models if models is None else models
        values = values.to_frame()
    rows = values[(values["layer"] == "school") & (values["level"] == RESTRICTED)]
    if models is not None:
        basic = {i for i, ind in models.indicators.items() if ind.cards}
        rows = rows.loc[rows["indicator_id"].isin(basic)]
    if schools is not None and len(schools):
        higher_vocational = set(schools.loc[schools["level"] == "高职", "school_id"].astype(str))
        rows = rows.loc[rows["school_id"].isin(higher_vocational)]

    def reason(ind_id: str, value: float) -> str:
        ind = models.indicators.get(ind_id) if models is not None else None
        name = f"{ind.name_zh} ({ind_id})" if ind is not None else ind_id
        side_zh, side_en = ("高于", "above") if ind is not None and not ind.higher_is_better else ("低于", "below")
        return f"{name} = {value:.4g} {side_zh}限制招生线 / {side_en} the 限制招生 level"

    failing: dict[tuple[str, int], list[str]] = {}
    for row in rows.sort_values(["school_id", "year", "indicator_id"]).itertuples(index=False):
        failing.setdefault((row.school_id, int(row.year)), []).append(reason(row.indicator_id, row.value))
    out = []
    for (school, year), reasons in sorted(failing.items()):
        three = all((school, year - k) in failing for k in (1, 2))
        card = RED if len(reasons) >= 2 or three else YELLOW
        if three:
            reasons = [*reasons, "连续三年黄牌 / cards three years in a row"]
        out.append({"school_id": school, "year": year, "card": card, "reasons": "；".join(reasons)})
    return pd.DataFrame(out, columns=CARD_COLUMNS)
