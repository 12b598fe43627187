"""``benford``: first-digit test of each school's finance and equipment money figures.

Honest money figures of many sizes follow Benford's law; invented ones often do not.  Each school's
figures (the fields of ``benford.tables`` in ``thresholds.yaml``, over all years up to the one
judged) are tested with the chi-square test (8 degrees of freedom) and Nigrini's mean absolute
deviation (detector ``benford``).  Only a school with at least ``benford.min_figures`` figures is
judged; a flag needs both a small p-value and a MAD above the nonconformity level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from .. import registry
from ..config import Thresholds
from ..current import current, read_frame
from ..detectors.benford import BENFORD, first_digit_counts
from ..flags import Flag
from .common import to_frame

SOURCE = "财务数据真实性：金额的首位数字分布应接近自然形成的数据（首位数字检验）"
MONEY_COLUMNS = ["school_id", "year", "table", "field", "value"]


def money_figures(engine: Engine, cfg: Thresholds, school: str | None = None) -> pd.DataFrame:
    """The money figures to test, long: school_id, year, table, field, value."""
    parts = []
    for table, fields in cfg.value("benford.tables").items():
        t = current(table, school)
        frame = read_frame(engine, select(t.c.school_id, t.c.year, *[t.c[f] for f in fields]))
        parts.append(frame.melt(id_vars=["school_id", "year"], var_name="field", value_name="value")
                     .assign(table=table))
    return pd.concat(parts, ignore_index=True)[MONEY_COLUMNS] if parts else pd.DataFrame(columns=MONEY_COLUMNS)


def benford_flags(money: pd.DataFrame, cfg: Thresholds, year: int | None = None) -> pd.DataFrame:
    """One flag per school whose pooled figures (years ≤ ``year``) do not conform."""
    if year is not None:
        money = money[money["year"] <= year]
    rows, counts = [], []
    for school, part in money.groupby("school_id"):
        c = first_digit_counts(pd.to_numeric(part["value"], errors="coerce").to_numpy(),
                               cfg.value("benford.min_value"))
        if c.sum() >= cfg.value("benford.min_figures"):
            rows.append((str(school), int(part["year"].max()), sorted(part["year"].unique().tolist())))
            counts.append(c)
    if not rows:
        return to_frame([])
    X = np.asarray(counts, dtype=np.float64)
    det = registry.make(cfg.value("benford.detector"), mad_threshold=cfg.value("benford.mad_nonconformity")).fit(X)
    mad = -det.score_samples(X)
    _, p = det.chi_square(X)
    flags = []
    for k, (school, last, years) in enumerate(rows):
        if not (p[k] < cfg.value("benford.alpha") and det.predict(X[k:k + 1])[0] == -1):
            continue
        share = X[k] / X[k].sum()
        worst = int(np.argmax(np.abs(share - BENFORD))) + 1
        flags.append(Flag(
            school_id=school, year=last, layer="school", unit="", indicator_id=None, method="benford",
            severity=cfg.value("benford.severity"), observed=float(mad[k]),
            expected=f"≤ {cfg.value('benford.mad_nonconformity')}", n=int(X[k].sum()),
            rule="货币数据首位数字应近似服从本福特定律", source=SOURCE,
            message_zh=(f"{years[0]}–{years[-1]} 年经费与设备金额共 {int(X[k].sum())} 个，首位数字分布与正常数据差异显著"
                        f"（首位为 {worst} 的占 {share[worst - 1]:.0%}，正常约 {BENFORD[worst - 1]:.0%}），"
                        "建议核对原始凭证"),
            message_en=(f"the {int(X[k].sum())} finance and equipment money figures of {years[0]}–{years[-1]} have "
                        f"an unusual first-digit pattern ({share[worst - 1]:.0%} start with {worst}, about "
                        f"{BENFORD[worst - 1]:.0%} is normal): check against the books"),
            evidence={"counts": X[k].astype(int).tolist(), "mad": float(mad[k]), "chi2_p": float(p[k]),
                      "years": years}))
    return to_frame(flags)
