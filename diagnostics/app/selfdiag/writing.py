"""What a school writes on the self-diagnosis dashboard besides its measures: the text of each section of
its report (报告撰写) and its targets (目标链), both through the scoped door, locked and audited; and the
records behind an indicator value (which interns were not assessed), read within the user's scope.

A mixin of :class:`~diagnostics.app.selfdiag.model.SelfDiagnosisModel` (no widgets).
"""

from __future__ import annotations

import math

import pandas as pd

from ...access import ConflictError
from ...workflow.narratives import SECTIONS
from ...workflow.targets import TARGET
from ..board import num

RECORD_LIMIT = 300


def _version(value: object) -> int | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


class WritingMixin:
    """Narratives, targets and records of the chosen school-year (``self.school``, ``self.year``, ``self.board``)."""

    # ---- the report's sections ------------------------------------------------------------------
    def narratives(self) -> dict[str, dict]:
        """Section key → ``{"text", "version", "updated_by", "updated_at"}`` (empty text when not written)."""
        saved = self.ctx.access.narratives(self.school, self.year)
        rows = {str(r["section"]): r for r in saved.to_dict("records")}
        return {s.key: {"text": str(rows.get(s.key, {}).get("text") or ""),
                        "version": _version(rows.get(s.key, {}).get("version")),
                        "updated_by": rows.get(s.key, {}).get("updated_by"),
                        "updated_at": rows.get(s.key, {}).get("updated_at")} for s in SECTIONS}

    def save_narrative(self, section: str, text: str, version: int | None) -> dict | None:
        """Save one section; a stale save (someone saved first) is refused and says so, keeping what they wrote."""
        saved = None
        with self.guarded(self.t("narrative_saved")):
            try:
                saved = self.ctx.access.save_narrative(self.school, self.year, section, text,
                                                       expected_version=version)
            except ConflictError as err:
                current = str(err.current.get("text") or "")
                raise ValueError(self.t("narrative_conflict").format(who=err.current.get("updated_by") or "",
                                                                     text=current[:80])) from None
        return saved

    # ---- targets (目标链) -------------------------------------------------------------------------
    def target_rows(self) -> list[dict]:
        """The school-layer indicators of the board with their target: value, where it comes from, the
        version to name when changing it, and whether the year's value met it."""
        if self.board is None or self.board.layer != "school":
            return []
        found = self.ctx.access.targets(self.school, self.year)
        mine = found[(found["kind"] == TARGET) & (found["layer"] == "school")] if len(found) else found
        overrides = {str(r["indicator_id"]): r for r in mine.to_dict("records")} if len(mine) else {}
        rows, seen = [], set()
        for item in self.board.items:
            for c in item.cells:
                if c.indicator_id in seen:
                    continue
                seen.add(c.indicator_id)
                own = overrides.get(c.indicator_id, {})
                rows.append({"indicator_id": c.indicator_id, "item": item.item, "cell": c,
                             "target": c.target, "source": c.target_source,
                             "version": _version(own.get("version")) if own.get("source") == "override" else None,
                             "note": own.get("note") or ""})
        return rows

    def save_target(self, indicator_id: str, text: str, note: str = "") -> dict | None:
        """Set the school's target of ``indicator_id`` for the year (a number in the indicator's unit)."""
        value = num(str(text).strip().rstrip("%")) if str(text).strip() else None
        if value is None:
            self.tell(self.t("target_number"), "error")
            return None
        row = next((r for r in self.target_rows() if r["indicator_id"] == indicator_id), None)
        saved = None
        with self.guarded(self.t("target_saved")):
            saved = self.ctx.access.set_target(self.school, self.year, indicator_id, value, note=note or None,
                                               expected_version=None if row is None else row["version"])
        if saved is not None:  # the board judges against the new target
            self.reload()
            self.choose()
            self.tell(self.t("target_saved"), "ok")
        return saved

    # ---- the records behind a value -------------------------------------------------------------
    def records(self, indicator: str | None = None) -> tuple[str, pd.DataFrame]:
        """(what the list is, the records) behind the chosen indicator's value at the board's unit: the rows
        of its denominator with whether each counts in the numerator, not counted first; '' when the
        indicator is not built from one table's rows."""
        board, ind_id = self.board, indicator or self.indicator
        ind = self.data.models.indicators.get(ind_id or "")
        if board is None or ind is None:
            return "", pd.DataFrame()
        models = self.data.models
        if ind.kind == "ratio":
            top, bottom = models.measures.get(ind.numerator), models.measures.get(ind.denominator)
            if top is None or bottom is None or top.table is None or top.table != bottom.table:
                return "", pd.DataFrame()
            measure, also, what = bottom.id, top.id, self.t("records_ratio").format(
                bottom=bottom.name_zh if self.lang == "zh" else bottom.name_en,
                top=top.name_zh if self.lang == "zh" else top.name_en)
        elif ind.kind == "measure" and models.measures.get(ind.measure) is not None \
                and models.measures[ind.measure].table is not None:
            m = models.measures[ind.measure]
            measure, also, what = m.id, None, m.name_zh if self.lang == "zh" else m.name_en
        else:
            return "", pd.DataFrame()
        unit = board.unit if board.layer == "program" else ""
        frame = self.ctx.access.measure_records(board.school_id, board.year, measure, unit=unit, also=also,
                                                limit=RECORD_LIMIT, models=models)
        frame.attrs["table"] = models.measures[measure].table  # the contract's column names label the list
        return what, frame
