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
from traitlets import Bool, Instance, Int, List, Unicode, observe

from ...reports.wording import public_message
from ...workflow.tasks import DROPPED, PLANNED
from ..base import AppModel
from ..board import Board, build_board, num
from ..detail import Detail, DetailMixin  # noqa: F401  (Detail: re-exported)
from ..jobs import Job
from ..pinyin import pinyin_key
from .writing import WritingMixin

TASK_FIELDS = ("problem", "cause", "measure", "owner", "deadline", "status", "drop_reason", "evidence",
               "target_value")
REPORT_FORMATS = {"html": ("网页 HTML", "text/html"), "pdf": ("PDF", "application/pdf"),
                  "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                  "xlsx": ("Excel 数据表", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


@dataclass(frozen=True)
class ReportFile:
    name: str
    mime: str
    data: bytes


class SelfDiagnosisModel(WritingMixin, DetailMixin, AppModel):
    """School, year, layer, program and indicator chosen; the board, tasks and report job they give.

    ``only_warned`` (只看红黄), ``query`` (search) and ``focus`` (one item, chosen by clicking its card)
    choose what the board lists; the lights and counts stay the verdict's.
    """

    school = Unicode("")
    only_warned = Bool(False)
    query = Unicode("")
    focus = Unicode("")
    field_errors = List()  # (field, message) of the last refused save of a measure
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
        rows = sorted(self.data.schools.to_dict("records"), key=lambda r: pinyin_key(r["name"]))
        self.schools = [(f"{r['name']}（{r['school_id']}）", str(r["school_id"]))
                        for r in rows if self.data.years_of(r["school_id"])]
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
            found = sorted(self.data.programs_of(self.school, self.year), key=lambda p: pinyin_key(p[1] or p[0]))
            self.programs = [(f"{n or c}（{c}）" if n else c, c) for c, n in found]
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
        current = next((t for t in self.tasks if int(t["id"]) == int(task_id)), {}) if task_id is not None else {}
        self.field_errors = self.check_measure({**{k: current.get(k) for k in TASK_FIELDS if k in current}, **clean})
        if self.field_errors:
            self.tell(self.t("form_errors").format(n=len(self.field_errors)), "error")
            return None
        if clean.get("target_value") is not None:
            clean["target_value"] = float(str(clean["target_value"]).rstrip("%"))
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

    def check_measure(self, fields: dict) -> list[tuple[str, str]]:
        """Every problem of a measure's form, by field (shown next to the field and listed at the top)."""
        errors = []
        if not fields.get("problem"):
            errors.append(("problem", self.t("need_problem")))
        if fields.get("status") == DROPPED and not fields.get("drop_reason"):
            errors.append(("drop_reason", self.t("need_reason")))
        deadline = fields.get("deadline")
        if deadline is not None and not isinstance(deadline, dt.date):
            try:
                dt.date.fromisoformat(str(deadline))
            except ValueError:
                errors.append(("deadline", self.t("need_date")))
        target = fields.get("target_value")
        if target is not None and num(str(target).rstrip("%")) is None:
            errors.append(("target_value", self.t("target_number")))
        return errors

    def withdraw_measure(self, task_id: int) -> bool:
        """Withdraw a measure entered by mistake: nothing is deleted on the platform; it is set to 已放弃
        with the reason that it was entered by mistake (the audit log keeps who and when)."""
        current = next((t for t in self.tasks if int(t["id"]) == int(task_id)), None)
        done = False
        with self.guarded(self.t("measure_withdrawn")):
            if current is None:
                raise LookupError(self.t("no_measures"))
            self.ctx.access.update_task(int(task_id), int(current["version"]), status=DROPPED,
                                        drop_reason=self.t("withdrawn_reason"))
            done = True
        self.load_tasks()
        return done

    def program_overview(self) -> tuple[list[dict], list[tuple[str, str, str]]]:
        """Programs × program-layer indicators of the school-year: rows (code, label, light, values by
        indicator as (value, level)) and the indicators (id, name, unit) in model order."""
        vals = self.data.values_of(self.school)
        vals = vals[(vals["layer"] == "program") & (vals["year"] == int(self.year))]
        models = self.data.models.indicators
        ids = [i for i in models if i in set(vals["indicator_id"])]
        name = (lambda i: models[i].name_en) if self.lang == "en" else (lambda i: models[i].name_zh)
        rows = []
        for code, label in self.programs:
            mine = vals[vals["unit"] == code]
            lights = self.data.verdict.unit_items(self.school, self.year, "program", code)
            worst = next((s for s in ("red", "yellow") if any(r["light"] == s for r in lights.values())), "green")
            rows.append({"code": code, "label": label, "light": worst,
                         "values": {r["indicator_id"]: (num(r["value"]), str(r["level"] or ""))
                                    for r in mine.to_dict("records")}})
        return rows, [(i, name(i), models[i].unit) for i in ids]

    def visible_items(self) -> list:
        """The items the board lists: all, or the clicked one; with 只看红黄 only red and yellow ones."""
        if self.board is None:
            return []
        items = [i for i in self.board.items if not self.focus or i.item == self.focus]
        return [i for i in items if i.status in ("red", "yellow")] if self.only_warned else items

    def default_fields(self, warning: int | None) -> dict:
        """The form of a new measure for a warning: the problem is its message."""
        if self.board is None or warning is None or warning >= len(self.board.warnings):
            return {"problem": "", "status": PLANNED}
        w = self.board.warnings[int(warning)]
        return {"problem": str(w["message_en"] if self.lang == "en" else public_message(w["message_zh"])),
                "status": PLANNED, "deadline": dt.date(self.year + 1, 6, 30)}

    # ---- report ---------------------------------------------------------------------------------
    def start_report(self, fmt: str = "html") -> bool:
        """Make the self-diagnosis report of the school-year in a thread; ``report_job.result`` is a :class:`ReportFile`."""
        from ...reports.build import write_school
        from ...reports.school import gather_school

        school, year, ctx = self.school, self.year, self.ctx

        def work(report: Any) -> ReportFile:  # noqa: ANN401
            report(0.1, "汇总数据" if self.lang == "zh" else "gathering")
            gathered = gather_school(ctx.source, school, year)
            report(0.45, "排版" if self.lang == "zh" else "rendering")
            with tempfile.TemporaryDirectory() as tmp:
                built = write_school(gathered, [fmt], Path(tmp))
                path = built.paths[fmt]
                report(0.95, "完成" if self.lang == "zh" else "done")
                return ReportFile(path.name, REPORT_FORMATS[fmt][1], path.read_bytes())

        return self.report_job.start(work)
