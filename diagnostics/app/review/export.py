"""An expert's review of a school-year as a workbook: each item's light, suggested and given score,
conclusion and comment, then the overall conclusion (written with the reports' table writer)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from openpyxl import Workbook

from ...io.cells import workbook_bytes
from ...reports.excel import write_table
from ...workflow.reviews import conclusions
from ..i18n import item_name
from ..province.export import status_text

if TYPE_CHECKING:
    from .model import ReviewModel


def review_workbook(model: ReviewModel) -> bytes:
    lang, t = model.lang, model.t
    labels = {k: v.split(" / ")[1 if lang == "en" else 0] for k, v in conclusions().items()}
    from .model import OVERALL_ITEM

    rows = []
    for item in [*model.reviewable(), OVERALL_ITEM]:
        found = model.board.item(item) if model.board is not None else None
        mine = model.my_review(item) or {}
        suggested = model.suggested(item) if found is not None else None
        rows.append([item_name(item, lang) if item != OVERALL_ITEM else t("overall_conclusion"),
                     status_text(found.status, lang) if found is not None else status_text(model.board.overall, lang),
                     None if suggested is None else round(suggested, 1),
                     None if mine.get("score") is None else float(mine["score"]),
                     labels.get(mine.get("conclusion") or "", "—"), mine.get("comment") or ""])
    wb = Workbook()
    ws = wb.active
    ws.title = t("app_review")
    name = model.data.school_name(model.school)
    meta = f"{name} · {model.year}–{model.year + 1} · {t('reviewer')} {model.reviewer} · " \
           f"{datetime.now().astimezone():%Y-%m-%d %H:%M}"
    write_table(ws, f"{name} {t('app_review')}", meta,
                [t("items"), t("status"), t("suggested_pts"), t("score_pts"), t("conclusion"), t("comment")], rows,
                widths=(22, 14, 16, 12, 12, 70))
    for r in range(5, 5 + len(rows)):
        for c in (3, 4):
            ws.cell(r, c).number_format = "0.0"
    return workbook_bytes(wb)
