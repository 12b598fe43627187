"""State and actions of the expert-review dashboard (专家复核); no widgets.

A list of the schools in scope with their light, card, open warnings and review progress; for a
chosen school-year, each diagnosis item with its evidence (the board), the school's own diagnosis
(its improvement measures), a suggested score by the ratio method, the current user's review
and the other experts' reviews.  Reviews are written through the scoped door.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from traitlets import Instance, Int, List, Unicode, observe

from ...reports.measures import tasks_by_item
from ...workflow.narratives import SECTIONS
from ...workflow.reviews import conclusions, consolidate
from ..base import AppModel
from ..board import Board, build_board
from ..detail import DetailMixin
from ..pinyin import pinyin_key

STATUS_ORDER = {"red": 0, "yellow": 1, "green": 2, "none": 3}
OVERALL_ITEM = "学校总体结论"  # the expert's conclusion on the school as a whole: saving it submits the review
MIN_COMMENT = 5  # characters: a comment that says something


def _plain(rows: pd.DataFrame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
            for r in rows.to_dict("records")]


class ReviewModel(DetailMixin, AppModel):
    """Year and school chosen; the school list, the board and the reviews they give.

    A review of an item needs a score (0–100), a conclusion and a comment (the rubric); the overall
    conclusion of the school (:data:`OVERALL_ITEM`) can be given once every item with evidence is reviewed:
    giving it submits the review."""

    year = Int(0)
    indicator = Unicode("")
    field_errors = List()  # (item, field, message) of the last refused save
    school = Unicode("")
    years = List()
    schools = List()  # one dict per school: id, name, status, card, warnings, reviewed
    board = Instance(Board, allow_none=True)
    reviews = List()  # every review of the school-year (all reviewers)

    def __init__(self, ctx: Any = None, data: Any = None, school: str | None = None,  # noqa: ANN401
                 year: int | None = None) -> None:
        super().__init__(ctx, data)
        self._quiet = False
        self.years = sorted({int(y) for y in self.data.values["year"]})
        self.choose(year=year or (self.years[-1] if self.years else 0), school=school)

    @property
    def reviewer(self) -> str:
        return self.ctx.user.name

    def conclusion_options(self) -> list[tuple[str, str]]:
        return [(label.split(" / ")[1 if self.lang == "en" else 0], code) for code, label in conclusions().items()]

    def choose(self, year: int | None = None, school: str | None = None) -> None:
        self._quiet = True
        try:
            if year is not None and int(year) != self.year:
                self.year = int(year)
                self._list()
            elif not self.schools:
                self._list()
            ids = [s["school_id"] for s in self.schools]
            want = school or self.school
            self.school = want if want in ids else (ids[0] if ids else "")
        finally:
            self._quiet = False
        self._load()

    def refresh(self) -> None:
        """Read the store again and list the schools anew; the chosen year and school stay where they still exist."""
        self.reload()
        self.years = sorted({int(y) for y in self.data.values["year"]})
        year = self.year if self.year in self.years else (self.years[-1] if self.years else 0)
        self._quiet = True
        try:
            self.year = year
            self._list()
        finally:
            self._quiet = False
        self.choose()

    @observe("year", "school")
    def _changed(self, change: dict) -> None:
        if not self._quiet:
            self.choose(**{change["name"]: change["new"]})

    def _list(self) -> None:
        data, year = self.data, self.year
        reviews = self.ctx.access.reviews(year=year)
        done = reviews.groupby("school_id")["item"].nunique().to_dict() if len(reviews) else {}
        rows = []
        for r in data.schools.to_dict("records"):
            sid = str(r["school_id"])
            if year not in data.years_of(sid):
                continue
            board = build_board(data, sid, year)
            warnings = [w for w in board.warnings if w["severity"] in ("red", "yellow")]
            rows.append({"school_id": sid, "name": str(r["name"]), "level": str(r.get("level") or ""),
                         "city": str(r.get("city") or ""), "status": board.overall, "card": board.card,
                         "warnings": len(warnings), "reviewed": int(done.get(sid, 0)),
                         "items": len([i for i in board.items if i.cells])})
        rows.sort(key=lambda x: (STATUS_ORDER.get(x["status"], 9), -x["warnings"], pinyin_key(x["name"])))
        self.schools = rows

    def _load(self) -> None:
        if not self.school:
            self.board, self.reviews = None, []
            return
        self.check_fresh()
        self.board = build_board(self.data, self.school, self.year)
        self.load_reviews()

    def load_reviews(self) -> None:
        self.reviews = _plain(self.ctx.access.reviews(self.school, self.year))

    # ---- per item -------------------------------------------------------------------------------
    def measures(self) -> dict[str, list]:
        """The school's own diagnosis per item: its improvement measures of the year (TaskRow)."""
        tasks = self.ctx.access.tasks(self.school, self.year)
        return tasks_by_item(tasks, self.year, self.data.models)

    def my_review(self, item: str) -> dict | None:
        return next((r for r in self.reviews if r["item"] == item and r["reviewer"] == self.reviewer), None)

    def other_reviews(self, item: str) -> list[dict]:
        return [r for r in self.reviews if r["item"] == item and r["reviewer"] != self.reviewer]

    def consensus(self, item: str) -> dict | None:
        """Every reviewer of ``item`` together: how many, score range, conclusions and their consensus."""
        rows = [r for r in self.reviews if r["item"] == item]
        if not rows:
            return None
        return consolidate(pd.DataFrame(rows)).iloc[0].to_dict()

    def suggested(self, item: str) -> float | None:
        found = self.board.item(item) if self.board is not None else None
        return found.suggested_score(self.data.models) if found is not None else None

    def check_review(self, item: str, score: object, comment: str | None, conclusion: str | None) -> list[tuple]:
        """What the rubric still needs of a review: a score within 0–100, a conclusion, a comment."""
        errors = []
        value = None
        try:
            value = None if score in (None, "") else float(score)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
        if value is None or not 0 <= value <= 100:
            errors.append((item, "score", self.t("need_score")))
        if not conclusion:
            errors.append((item, "conclusion", self.t("need_conclusion")))
        if len((comment or "").strip()) < MIN_COMMENT:
            errors.append((item, "comment", self.t("need_comment").format(n=MIN_COMMENT)))
        return errors

    def reviewable(self) -> list[str]:
        """The items with evidence to review (indicators or warnings) on the board."""
        return [i.item for i in self.board.items if i.cells or i.warnings] if self.board is not None else []

    def missing_items(self) -> list[str]:
        """Items with evidence the current user has not yet reviewed completely."""
        done = {r["item"] for r in self.reviews if r["reviewer"] == self.reviewer and r.get("score") is not None
                and r.get("conclusion") and (r.get("comment") or "").strip()}
        return [i for i in self.reviewable() if i not in done]

    def submitted(self) -> dict | None:
        """The current user's overall conclusion on the school-year (its presence is the submission)."""
        return self.my_review(OVERALL_ITEM)

    def submit(self, score: object, comment: str | None, conclusion: str | None) -> dict | None:
        """Give the overall conclusion and submit: refused while an item with evidence is unreviewed."""
        missing = self.missing_items()
        if missing:
            self.field_errors = [(OVERALL_ITEM, "items", self.t("need_items").format(items="、".join(missing)))]
            self.tell(self.field_errors[0][2], "error")
            return None
        saved = self.save_review(OVERALL_ITEM, score, comment, conclusion)
        if saved is not None:
            self.tell(self.t("review_submitted"), "ok")
        return saved

    def narratives(self) -> list[tuple[str, str]]:
        """The school's own text of its report, section by section (what it wrote)."""
        saved = self.ctx.access.narratives(self.school, self.year)
        text = {str(k): str(v) for k, v in zip(saved["section"], saved["text"])}
        return [(s.en if self.lang == "en" else s.zh, text.get(s.key, "")) for s in SECTIONS]

    def export(self) -> bytes:
        """The current user's review of the school-year as a workbook (items, then the overall conclusion)."""
        from .export import review_workbook

        return review_workbook(self)

    def save_review(self, item: str, score: object, comment: str | None, conclusion: str | None) -> dict | None:
        """Write (or change) the current user's review of ``item`` (the rubric's fields all given); a stale
        change is refused."""
        self.field_errors = self.check_review(item, score, comment, conclusion)
        if self.field_errors:
            self.tell(self.t("form_errors").format(n=len(self.field_errors)), "error")
            return None
        mine = self.my_review(item)
        saved = None
        with self.guarded(self.t("review_saved")):
            saved = self.ctx.access.save_review(
                self.school, self.year, item, score=float(score),  # type: ignore[arg-type]
                comment=(comment or "").strip() or None, conclusion=conclusion or None,
                expected_version=None if mine is None else int(mine["version"]))
        self.load_reviews()
        if saved is not None:
            self.schools = [{**s, "reviewed": len({r["item"] for r in self.reviews})}
                            if s["school_id"] == self.school else s for s in self.schools]
        return saved
