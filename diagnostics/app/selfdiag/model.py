"""State and actions of the self-diagnosis dashboard (学校自我诊断); no widgets.

Choose a school, a year, a layer (and a program at the program layer): ``board`` is rebuilt from
the cached frames.  Choose an indicator: :meth:`SelfDiagnosisModel.detail` gathers its history,
place among peers, programs, flags and follow-ups.  Improvement measures, follow-ups and comments
are written through the scoped door and read back live.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from traitlets import Instance, Int, List, Unicode, observe

from ...workflow.tasks import PLANNED
from ..base import AppModel
from ..board import Board, Cell, build_board, num
from ..jobs import Job

TASK_FIELDS = ("problem", "cause", "measure", "owner", "deadline", "status")
REPORT_FORMATS = {"html": ("网页 HTML", "text/html"), "pdf": ("PDF", "application/pdf"),
                  "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                  "xlsx": ("Excel 数据表", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


@dataclass(frozen=True)
class Detail:
    """Everything the detail panel shows about one indicator of the current board."""

    cell: Cell
    school_level: str
    history: tuple[tuple[int, float | None, float | None, float | None, float | None], ...]  # year, value, q1, med, q3
    peers: tuple[float, ...]
    programs: tuple[dict, ...]
    warnings: tuple[dict, ...]
    follow_ups: tuple[dict, ...]


@dataclass(frozen=True)
class ReportFile:
    name: str
    mime: str
    data: bytes


class SelfDiagnosisModel(AppModel):
    """School, year, layer, program and indicator chosen; the board, tasks and report job they give."""

    school = Unicode("")
    year = Int(0)
    layer = Unicode("school")
    program = Unicode("")
    indicator = Unicode("")
    schools = List()
    years = List()
    programs = List()
    board = Instance(Board, allow_none=True)
    tasks = List()
    report_job = Instance(Job)

    def __init__(self, ctx: Any = None, data: Any = None, school: str | None = None,  # noqa: ANN401
                 year: int | None = None) -> None:
        super().__init__(ctx, data)
        self._quiet, self._years_of = True, None
        self.report_job = Job()
        self.schools = [(f"{r['name']}（{r['school_id']}）", str(r["school_id"]))
                        for r in self.data.schools.to_dict("records") if self.data.years_of(r["school_id"])]
        self._quiet = False
        if self.schools:
            self.choose(school=school or self.schools[0][1], year=year)

    # ---- choosing -------------------------------------------------------------------------------
    def choose(self, school: str | None = None, year: int | None = None, layer: str | None = None,
               program: str | None = None) -> None:
        """Change several choices at once; the board is rebuilt once."""
        self._quiet = True
        try:
            if school is not None:
                self.school = school
            if self._years_of != self.school:
                self.years, self._years_of = self.data.years_of(self.school), self.school
            want = year if year is not None else self.year
            self.year = int(want) if want in self.years else int(self.years[-1]) if self.years else 0
            if layer is not None:
                self.layer = layer
            self.programs = [(f"{c} {n}".strip(), c) for c, n in self.data.programs_of(self.school, self.year)]
            codes = [c for _, c in self.programs]
            want_program = program if program is not None else self.program
            self.program = want_program if want_program in codes else (codes[0] if codes else "")
        finally:
            self._quiet = False
        self._rebuild()

    @observe("school", "year", "layer", "program")
    def _changed(self, change: dict) -> None:
        if self._quiet:
            return
        if change["name"] == "school":
            self.choose(school=change["new"])
        elif change["name"] == "year":
            self.choose(year=change["new"])
        else:
            self._rebuild()

    def _rebuild(self) -> None:
        if not self.school or not self.year:
            self.board = None
            return
        unit = self.program if self.layer == "program" else ""
        self.check_fresh()
        self.board = build_board(self.data, self.school, self.year, self.layer, unit)
        self.load_tasks()

    def load_tasks(self) -> None:
        frame = self.ctx.access.tasks(self.school, self.year)
        self.tasks = [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
                      for r in frame.to_dict("records")]

    # ---- detail ---------------------------------------------------------------------------------
    def detail(self, indicator: str | None = None) -> Detail | None:
        """The detail of ``indicator`` (default: the chosen one) on the current board."""
        board, ind = self.board, indicator or self.indicator
        cell = board.cell(ind) if board is not None and ind else None
        if cell is None:
            return None
        data, level = self.data, board.school_level
        group = data.peer_group(board.school_id)  # the one comparison group, as the warnings quote it
        history = []
        for year, value in cell.trend:
            key = (group, board.layer, year, ind)
            q = data.quartiles.loc[key] if key in data.quartiles.index else None
            history.append((year, value, *(num(q[c]) if q is not None else None
                                           for c in ("peer_q1", "peer_median", "peer_q3"))))
        peers = tuple(float(v) for v in data.peer_values(group, board.layer, board.year, ind))
        programs: tuple[dict, ...] = ()
        if board.layer == "school":
            vals = data.values_of(board.school_id)
            rows = vals[(vals["layer"] == "program") & (vals["year"] == board.year) & (vals["indicator_id"] == ind)]
            programs = tuple({"code": r["unit"], "label": data.program_label(board.school_id, board.year, r["unit"]),
                              "value": num(r["value"]), "level": str(r["level"] or ""),
                              "qualified": num(r["qualified"]), "percentile": num(r["percentile"])}
                             for r in rows.sort_values("value").to_dict("records"))
        warnings = tuple(w for w in board.warnings if w["indicator_id"] == ind)
        return Detail(cell, level, tuple(history), peers, programs, warnings, self._follow_ups(ind))

    def _follow_ups(self, indicator: str) -> tuple[dict, ...]:
        access, board = self.ctx.access, self.board
        frame = access.follow_ups(board.school_id, board.year, status=None)
        if frame.empty:
            return ()
        keep = (frame["indicator_id"].fillna("") == indicator) & (frame["layer"] == board.layer)
        if board.layer != "school":
            keep &= frame["unit"].fillna("") == board.unit
        out = []
        for r in frame[keep].to_dict("records"):
            comments = access.follow_up_comments(int(r["id"])) if r.get("comments") else pd.DataFrame()
            out.append({**r, "thread": comments.to_dict("records")})
        return tuple(out)

    # ---- follow-ups -----------------------------------------------------------------------------
    def mark_follow_up(self, indicator: str | None = None, note: str | None = None) -> dict | None:
        """Mark the indicator's warning (or the indicator) of the current unit-year for follow-up."""
        ind, board = indicator or self.indicator, self.board
        out = None
        with self.guarded(self.t("mark_follow") + " ✓"):
            out = self.ctx.access.mark_follow_up(board.school_id, board.year, ind, layer=board.layer,
                                                 unit=board.unit, method="", note=note or None)
        return out

    def comment_follow_up(self, follow_up_id: int, text: str) -> dict | None:
        out = None
        with self.guarded(self.t("add_comment") + " ✓"):
            out = self.ctx.access.comment_follow_up(int(follow_up_id), text)
        return out

    # ---- improvement measures -------------------------------------------------------------------
    def warning_options(self) -> list[tuple[str, int]]:
        """(label, index in ``board.warnings``) of the warnings a measure can answer."""
        if self.board is None:
            return []
        names = self.data.models.indicators
        out = []
        for i, w in enumerate(self.board.warnings):
            ind = names.get(w["indicator_id"] or "")
            what = (ind.name_en if self.lang == "en" else ind.name_zh) if ind else self.t("whole_school")
            sev = {"red": "■", "yellow": "▲"}.get(w["severity"], "○")
            text = w["message_en"] if self.lang == "en" else w["message_zh"]
            out.append((f"{sev} {what}：{str(text)[:60]}", i))
        return out

    def save_measure(self, fields: dict, warning: int | None = None, task_id: int | None = None) -> dict | None:
        """Create a measure for ``board.warnings[warning]`` (or a free one), or change task ``task_id``.

        ``fields``: problem, cause, measure, owner, deadline, status.  A stale change (someone saved
        first) is refused with the current text in the notice, and the list is read again.
        """
        clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in TASK_FIELDS}
        clean = {k: (None if v == "" else v) for k, v in clean.items()}
        saved = None
        with self.guarded(self.t("measure_saved")):
            access, board = self.ctx.access, self.board
            if task_id is not None:
                current = next(t for t in self.tasks if int(t["id"]) == int(task_id))
                saved = access.update_task(int(task_id), int(current["version"]), **clean)
            elif warning is not None:
                saved = access.create_task_from_warning(board.warnings[int(warning)],
                                                        **{k: v for k, v in clean.items() if v is not None})
            else:
                saved = access.create_task(board.school_id, board.year, clean.pop("problem", None) or "",
                                           layer=board.layer, unit=board.unit,
                                           **{k: v for k, v in clean.items() if v is not None})
        self.load_tasks()
        return saved

    def default_fields(self, warning: int | None) -> dict:
        """The form of a new measure for a warning: the problem is its message."""
        if self.board is None or warning is None or warning >= len(self.board.warnings):
            return {"problem": "", "status": PLANNED}
        w = self.board.warnings[int(warning)]
        return {"problem": str(w["message_en"] if self.lang == "en" else w["message_zh"]), "status": PLANNED,
                "deadline": dt.date(self.year + 1, 6, 30)}

    # ---- report ---------------------------------------------------------------------------------
    def start_report(self, fmt: str = "html") -> bool:
        """Make the self-diagnosis report of the school-year in a thread; ``report_job.result`` is a :class:`ReportFile`."""
        from ...reports.build import write_school
        from ...reports.school import gather_school

        school, year, ctx = self.school, self.year, self.ctx

        def work(report: Any) -> ReportFile:  # noqa: ANN401
            report(0.1, "汇总数据 / gathering")
            gathered = gather_school(ctx.source, school, year)
            report(0.45, "排版 / rendering")
            with tempfile.TemporaryDirectory() as tmp:
                built = write_school(gathered, [fmt], Path(tmp))
                path = built.paths[fmt]
                report(0.95, "完成 / done")
                return ReportFile(path.name, REPORT_FORMATS[fmt][1], path.read_bytes())

        return self.report_job.start(work)
