"""State and actions of the data-import dashboard (数据导入); no widgets.

Uploaded files are kept in a private temporary folder (a workbook or a zip as it is; CSV files
together in one folder), validated with a dry run of the importer through the scoped door
(nothing is written: located errors, or the changes an import would make), then imported, and
the indicators and warnings recomputed for the school-years that changed, each step with progress.
"""

from __future__ import annotations

import weakref
from pathlib import Path, PurePath
from typing import Any

from traitlets import Instance, List, Unicode

from ...store.files import private_dir, private_temp_dir, remove_tree, write_private
from ..base import AppModel
from ..jobs import Job

ACCEPTED = (".xlsx", ".zip", ".csv")
ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "message_zh", "message_en", "expected_zh", "expected_en"]


class ImportModel(AppModel):
    """Files staged, the validation outcome (issues or summary), and the import / compute job."""

    files = List()
    issues = List()  # located errors of the last validation (dicts)
    summary = Unicode("")  # what the last validation or import found or did
    stage = Unicode("empty")  # empty | staged | invalid | valid | imported
    job = Instance(Job)

    def __init__(self, ctx: Any = None, data: Any = None) -> None:  # noqa: ANN401
        super().__init__(ctx, data)
        self.job = Job()
        self._dir = private_temp_dir("zhengai-upload-")  # 0700; uploads hold clear ID numbers
        self._finalizer = weakref.finalize(self, remove_tree, self._dir)  # gone with the kernel at the latest

    @property
    def path(self) -> Path | None:
        """What the importer reads: the single workbook or zip, or the folder of CSV files."""
        found = sorted(p for p in self._dir.iterdir() if p.is_file())
        if not found:
            return None
        return found[0] if len(found) == 1 and found[0].suffix.lower() in (".xlsx", ".zip") else self._dir

    def add_files(self, uploads: list[tuple[str, bytes]]) -> None:
        """Add uploaded ``(name, content)`` files to what is staged (a file of the same name is replaced).

        CSV files are imported together; a workbook or a zip is imported on its own, so it cannot be added
        beside other files: the user removes them first (said so, nothing silently replaced)."""
        with self.guarded():
            names = [PurePath(name).name for name, _ in uploads]
            bad = [n for n in names if Path(n).suffix.lower() not in ACCEPTED]
            if bad:
                raise ValueError(self.t("bad_type").format(files="、".join(bad)))
            if self.stage == "imported":
                self.clear()
            after = set(self.files) | set(names)
            whole = [n for n in after if Path(n).suffix.lower() != ".csv"]
            if whole and len(after) > 1:
                raise ValueError(self.t("one_workbook").format(files="、".join(sorted(whole))))
            for name, content in uploads:
                write_private(self._dir / PurePath(name).name, bytes(content))  # 0600
            self.files = sorted(p.name for p in self._dir.iterdir() if p.is_file())
            self.issues, self.summary, self.stage = [], "", "staged"
            self.tell("")

    def remove_file(self, name: str) -> None:
        """Take one staged file out."""
        (self._dir / PurePath(name).name).unlink(missing_ok=True)
        self.files = sorted(p.name for p in self._dir.iterdir() if p.is_file())
        self.issues, self.summary, self.stage = [], "", "staged" if self.files else "empty"
        self.tell("")

    def template(self) -> bytes:
        """The blank workbook to fill (generated from the contract, as ``zhengai template`` writes it)."""
        from ...io.template import write_template

        folder = private_temp_dir("zhengai-template-")
        try:
            return write_template(folder / "template.xlsx").read_bytes()
        finally:
            remove_tree(folder)

    def issues_workbook(self) -> bytes:
        """The located problems of the last validation as a workbook to fix the data from."""
        from openpyxl import Workbook

        from ...io.cells import workbook_bytes
        from ...reports.excel import write_table

        wb = Workbook()
        ws = wb.active
        ws.title = self.t("problems_sheet")
        zh = self.lang != "en"
        heads = [self.t(k) for k in ("col_file", "col_sheet", "col_row", "col_column", "col_value", "message",
                                     "expected")]
        rows = [[r["file"], r["sheet"], r["row"], r["column"], r["value"],
                 r["message_zh"] if zh else r["message_en"], r["expected_zh"] if zh else r["expected_en"]]
                for r in self.issues]
        write_table(ws, self.t("problems_sheet"), self.summary, heads, rows, widths=(18, 14, 8, 16, 18, 50, 40))
        return workbook_bytes(wb)

    def clear(self) -> None:
        self._drop_files()
        self.issues, self.summary, self.stage = [], "", "empty"

    def _drop_files(self) -> None:
        """Remove every staged file (their folder stays, empty and private)."""
        remove_tree(self._dir)
        private_dir(self._dir)
        self.files = []

    def close(self) -> None:
        """Remove the staging folder and what it holds (the kernel ends, or the app is dropped)."""
        self._finalizer()

    def validate(self) -> bool:
        """Dry run: located errors into ``issues``, or the changes into ``summary``; True when valid."""
        path = self.path
        if path is None:
            self.tell(self.t("no_file"), "error")
            return False
        ok = False
        with self.guarded():
            result = self.ctx.access.import_data(path, dry_run=True)
            frame = result.issues.to_frame().reindex(columns=ISSUE_COLUMNS)
            self.issues = [{k: ("" if v is None or v != v else v) for k, v in r.items()}
                           for r in frame.to_dict("records")]
            ok = result.ok
            self.summary = (self.t("n_problems").format(n=len(self.issues)) if not ok
                            else describe(self.ctx, result.summary, self.lang, planned=True))
            self.stage = "valid" if ok else "invalid"
            self.tell(self.t("valid") if ok else self.t("issues_found"), "ok" if ok else "error")
        return ok

    def start_import(self, compute: bool = True) -> bool:
        """Import in a thread, then (``compute``) recompute the changed school-years and their warnings."""
        path = self.path
        if path is None or self.stage != "valid":
            self.tell(self.t("no_file") if path is None else self.t("validate"), "error")
            return False
        ctx, lang = self.ctx, self.lang

        def work(report: Any) -> str:  # noqa: ANN401
            report(0.05, "导入" if lang == "zh" else "importing")
            result = ctx.access.import_data(path)
            if not result.ok:
                raise ValueError(self.t("n_problems").format(n=len(result.issues.to_frame())))
            summary = result.summary
            text = describe(ctx, summary, lang)
            if compute and summary is not None and summary.changed:
                text += "\n" + recompute(ctx, report, sorted({s for s, _, _ in summary.new_versions}
                                                             | set(summary.schools_added)), lang)
            return text

        def done(text: str) -> None:
            self._drop_files()  # imported: the uploads (clear ID numbers) are not kept
            self.summary, self.stage = text, "imported"
            self.tell(self.t("imported"), "ok")
            self.ctx.reset()

        return self.job.start(work, on_done=done)


def describe(ctx: Any, summary: Any, lang: str, planned: bool = False) -> str:  # noqa: ANN401
    """What an import writes (``planned``: would write), in words: which school, which year, how many rows."""
    from ...contract import BY_NAME

    if summary is None or not summary.changed:
        return ("The data are identical to what is stored: nothing changes." if lang == "en"
                else "数据与已导入的当前版本相同，不做任何更改。")
    names = dict(zip(ctx.access.schools()["school_id"].astype(str), ctx.access.schools()["name"]))
    lines = []
    for school, year, version in summary.new_versions:
        name = names.get(str(school), str(school))
        if lang == "en":
            lines.append(f"{name}, {year}–{year + 1}: data version {version}" + (" (to be written)" if planned else ""))
        else:
            lines.append(f"{name} {year}–{year + 1} 学年：{'将建立' if planned else '已建立'}第 {version} 版数据")
    for school in summary.schools_added:
        lines.append(f"{'New school' if lang == 'en' else '新增学校'}：{names.get(str(school), school)}")
    rows = "，".join(f"{BY_NAME[t].zh if t in BY_NAME and lang != 'en' else t} {n:,} 行" if lang != "en"
                    else f"{t} {n:,} rows" for t, n in summary.rows.items() if n)
    if rows:
        lines.append(("Rows: " if lang == "en" else "涉及记录：") + rows)
    return "\n".join(lines)


def recompute(ctx: Any, report: Any, schools: list[str] | None = None, lang: str = "zh") -> str:  # noqa: ANN401
    """Compute the indicators (of ``schools``) and the warnings, as ``zhengai compute`` does; what was
    computed for the imported schools, in words."""
    from ...engine import compute
    from ...warnings import run_warnings

    if ctx.model_errors:
        raise ValueError("指标模型有错误，未计算" if lang == "zh" else "the indicator models have errors: nothing computed")
    report(0.35, "计算指标" if lang == "zh" else "computing indicators")
    result = compute(ctx.engine, ctx.models, schools=schools or None)
    report(0.7, "计算预警" if lang == "zh" else "computing warnings")
    flags = run_warnings(ctx.engine, models=ctx.models).to_frame("warnings")  # one per problem
    values = result.to_frame()
    if schools:  # what the import changed: the imported schools' numbers, not the province's
        values = values[values["school_id"].astype(str).isin(schools)]
        flags = flags[flags["school_id"].astype(str).isin(schools)]
    if lang == "en":
        return f"Recomputed: {len(values):,} indicator values and {len(flags):,} warnings of the imported schools"
    return f"已重新计算本次导入学校的指标值 {len(values):,} 个、预警 {len(flags):,} 条"
