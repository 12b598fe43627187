"""The tables of the annual quality report (质量年度报告, domain.md §5) for a school and two years.

Rows are declared in ``templates/layout.yaml``: a row names the indicator that fills it, or
names none when the status data holds nothing for it.  Indicators the models tag
``质量年报:<table title>`` that no row names follow the declared rows.  A cell the data cannot
fill says :data:`~diagnostics.reports.fmt.NO_DATA` ("数据暂缺"), never 0.
"""

from __future__ import annotations

import pandas as pd

from ..models.spec import ModelSet
from .fmt import NO_DATA, format_value, is_missing, unit_label
from .layout import RowSpec, TableSpec
from .model import QualityRow, QualityTable


def quality_tables(specs: tuple[TableSpec, ...], values: pd.DataFrame, year: int,
                   models: ModelSet) -> list[QualityTable]:
    """The tables for ``year − 1`` and ``year`` from the school-layer ``values`` of one school."""
    years = (year - 1, year)
    school = values[values["layer"] == "school"]
    lookup = {(int(y), str(i)): v for y, i, v in zip(school["year"], school["indicator_id"], school["value"])}
    tables = []
    for spec in specs:
        rows = []
        named = {r.indicator for r in spec.rows if r.indicator}
        tagged = [RowSpec(ind.name_zh, ind.id) for ind in models.indicators.values()
                  if f"质量年报:{spec.title}" in ind.items and ind.id not in named]
        for row in (*spec.rows, *tagged):
            ind = models.indicators.get(row.indicator) if row.indicator else None
            unit = ind.unit if ind is not None else row.unit
            cells = tuple(None if ind is None or is_missing(lookup.get((y, ind.id))) else float(lookup[(y, ind.id)])
                          for y in years)
            texts = tuple(NO_DATA if v is None else format_value(v, unit) for v in cells)
            note = row.note or ("状态数据中暂无此项" if ind is None else "")
            rows.append(QualityRow(row.label, unit_label(unit), cells, texts, ind.id if ind else "", note))
        tables.append(QualityTable(spec.key, spec.title, years, tuple(rows), spec.note))
    return tables
