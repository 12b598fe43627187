"""The province monitor as an Excel workbook (one sheet per view), written with the reports' table writer."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from openpyxl import Workbook

from ...reports.excel import write_table
from ...reports.fmt import sheet_title
from ..i18n import tr

if TYPE_CHECKING:
    from .model import ProvinceModel


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def workbook(model: ProvinceModel) -> bytes:
    lang, year = model.lang, model.year
    meta = f"{year}–{year + 1} · {model.ctx.user.name}"
    wb = Workbook()
    wb.remove(wb.active)
    t = model.table()
    heads = [tr("school", lang), "ID", tr("school_level", lang), tr("city", lang), tr("status", lang),
             tr("card", lang), *(model.name(i) for i in model.indicators)]
    rows = [[r["name"], r["school_id"], r["level"], r["city"], r["status"], r["card"],
             *(_cell(r[i]) for i in model.indicators)] for r in t.to_dict("records")]
    sheets = [(tr("table", lang), heads, rows)]
    c = model.cards()
    sheets.append((tr("cards", lang), [tr("school", lang), "ID", tr("card", lang), tr("message", lang)],
                   [[r["name"], r["school_id"], r["card"], r["reasons"]] for r in c.to_dict("records")]))
    ranked = [[level, r.rank, f"{r.low}–{r.high}", model.data.school_name(r.school_id), r.school_id,
               round(r.score, 1), r.indicators] for level, rows_ in model.ranking().items() for r in rows_]
    sheets.append((tr("ranking", lang), [tr("school_level", lang), tr("rank", lang), tr("rank_interval", lang),
                                         tr("school", lang), "ID", tr("composite", lang), tr("n_indicators", lang)],
                   ranked))
    roll = model.rollup()
    sheets.append((tr("rollup", lang), [tr("city", lang), tr("schools_n", lang), tr("red_schools", lang),
                                        tr("yellow_schools", lang), tr("card", lang),
                                        *(model.name(i) for i in model.indicators)],
                   [[_cell(v) for v in r] for r in roll.itertuples(index=False)]))
    med = model.medians()
    sheets.append((tr("medians", lang), [tr("indicator", lang), tr("school_level", lang), tr("year", lang), "median"],
                   [[model.name(r.indicator_id), r.school_level, int(r.year), _cell(r.value)]
                    for r in med.itertuples(index=False)]))
    for title, heads_, rows_ in sheets:
        ws = wb.create_sheet(sheet_title(title))
        write_table(ws, title, meta, heads_, rows_)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
