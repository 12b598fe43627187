"""The province monitor as an Excel workbook a province officer can hand on.

The first sheet records the choices behind it (year, filters, indicators, sort order, who and when);
then one sheet per view, written with the reports' table writer.  Statuses are words with their symbol
(■ 红灯), every value column names its unit in its heading, shares are Excel percentages (0.0%), counts
whole numbers; a view with nothing to show says so in a row instead of leaving the sheet blank.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ...io.cells import workbook_bytes
from ...palette import STATUS
from ...reports.excel import write_table
from ...reports.fmt import COUNT_UNITS, PERCENT, sheet_title
from ...warnings.verdict import LIGHT_EN, LIGHT_ZH
from ..i18n import tr, unit_text

if TYPE_CHECKING:
    from .model import ProvinceModel

FIRST = 5  # the first data row of a sheet written by write_table


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def status_text(light: str, lang: str) -> str:
    """A light as a word with its symbol (■ 红灯), never a key."""
    st = STATUS.get(light)
    word = LIGHT_EN.get(light, light) if lang == "en" else LIGHT_ZH.get(light, light)
    return f"{st.symbol} {word}" if st is not None else word


def number_format(unit: str) -> str:
    """Excel's format for a value column of ``unit`` (percentages are stored as fractions)."""
    if unit == PERCENT:
        return "0.0%"
    if unit in COUNT_UNITS or unit.startswith("元"):
        return "#,##0"
    return "#,##0.0"


def value(raw: object, unit: str) -> object:
    """A cell's value: shares as fractions of 1 (Excel shows them with %), the rest as they are."""
    raw = _cell(raw)
    return raw / 100 if unit == PERCENT and isinstance(raw, int | float) else raw


def heading(name: str, unit: str, lang: str) -> str:
    return f"{name}（{unit_text(unit, lang)}）" if lang == "zh" else f"{name} ({unit_text(unit, lang)})"


def _formats(ws: Worksheet, rows: int, columns: dict[int, str]) -> None:
    for col, fmt in columns.items():
        for r in range(FIRST, FIRST + rows):
            ws.cell(r, col).number_format = fmt


def _sheet(wb: Workbook, title: str, meta: str, heads: list[str], rows: list[list], empty: str,
           formats: dict[int, str] | None = None, widths: tuple[float, ...] = ()) -> None:
    ws = wb.create_sheet(sheet_title(title))
    rows = rows or [[empty, *([""] * (len(heads) - 1))]]
    write_table(ws, title, meta, heads, rows, widths=widths or (24, *([14] * (len(heads) - 1))))
    _formats(ws, len(rows), formats or {})


def workbook(model: ProvinceModel) -> bytes:
    lang, year = model.lang, model.year
    t = model.t
    meta = f"{year}–{year + 1} · {model.ctx.user.name} · {datetime.now().astimezone():%Y-%m-%d %H:%M}"
    wb = Workbook()
    wb.remove(wb.active)
    filters = [*model.filters(), (tr("exported_at", lang), datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))]
    _sheet(wb, tr("filters", lang), meta, [tr("item", lang), tr("content", lang)], [list(f) for f in filters], "",
           widths=(18, 90))
    units = [model.unit(i) for i in model.indicators]
    tab = model.table()
    heads = [t("school"), t("school_code"), t("school_level"), t("city"), t("status"), t("card"),
             *(heading(model.name(i), u, lang) for i, u in zip(model.indicators, units))]
    rows = [[r["name"], r["school_id"], r["level"], r["city"], status_text(r["status"], lang), r["card"] or "—",
             *(value(r[i], u) for i, u in zip(model.indicators, units))] for r in tab.to_dict("records")]
    _sheet(wb, t("table"), meta, heads, rows, t("no_data"),
           {7 + n: number_format(u) for n, u in enumerate(units)})
    cards = model.cards()
    _sheet(wb, t("cards"), meta, [t("school"), t("school_code"), t("city"), t("card"), t("message")],
           [[r["name"], r["school_id"], r["city"], r["card"], r["reasons"]] for r in cards.to_dict("records")],
           t("no_cards"), widths=(24, 14, 12, 10, 80))
    ranked = [[level, r.rank, f"{r.low}–{r.high}", model.data.school_name(r.school_id), r.school_id,
               status_text(r.light, lang), round(r.score, 1), r.indicators]
              for level, rows_ in model.ranking().items() for r in rows_]
    _sheet(wb, t("ranking"), meta, [t("school_level"), t("rank"), t("rank_interval"), t("school"), t("school_code"),
                                    t("status"), heading(t("composite"), "分", lang),
                                    heading(t("n_indicators"), "项", lang)],
           ranked, t("no_data"), {2: "0", 7: "0.0", 8: "0"})
    roll = model.rollup()
    counts = [heading(t(k), "所", lang) for k in ("schools_n", "red_schools", "yellow_schools", "card")]
    _sheet(wb, t("rollup"), meta, [t("city"), *counts,
                                   *(heading(model.name(i), u, lang) for i, u in zip(model.indicators, units))],
           [[r["city"], *(int(r[k]) for k in ("schools", "red", "yellow", "cards")),
             *(value(r[i], u) for i, u in zip(model.indicators, units))] for r in roll.to_dict("records")],
           t("no_data"), {2: "0", 3: "0", 4: "0", 5: "0", **{6 + n: number_format(u) for n, u in enumerate(units)}})
    med = model.medians()
    ws_rows = [[model.name(r.indicator_id), unit_text(model.unit(r.indicator_id), lang), r.school_level,
                f"{int(r.year)}–{int(r.year) + 1}", value(r.value, model.unit(r.indicator_id))]
               for r in med.itertuples(index=False)]
    _sheet(wb, t("medians"), meta, [t("indicator"), t("unit"), t("school_level"), t("year"), t("median_value")],
           ws_rows, t("no_data"), widths=(30, 12, 12, 14, 16))
    ws = wb[sheet_title(t("medians"))]
    for n, r in enumerate(med.itertuples(index=False)):
        ws.cell(FIRST + n, 5).number_format = number_format(model.unit(r.indicator_id))
    return workbook_bytes(wb)
