"""State and actions of the data-import dashboard (数据导入); no widgets.

Uploaded files are kept in a private temporary folder (a workbook or a zip as it is; CSV files
together in one folder), validated with a dry run of the importer through the scoped door
(nothing is written: located errors, or the changes an import would make), then imported, and
the indicators and warnings recomputed for the school-years that changed, each step with progress.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Any

from traitlets import Instance, List, Unicode

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
        self._dir = Path(tempfile.mkdtemp(prefix="zhengai-upload-"))

    @property
    def path(self) -> Path | None:
        """What the importer reads: the single workbook or zip, or the folder of CSV files."""
        found = sorted(p for p in self._dir.iterdir() if p.is_file())
        if not found:
            return None
        return found[0] if len(found) == 1 and found[0].suffix.lower() in (".xlsx", ".zip") else self._dir

    def add_files(self, uploads: list[tuple[str, bytes]]) -> None:
        """Stage uploaded ``(name, content)`` files (a new workbook or zip replaces what was staged)."""
        with self.guarded():
            names = [PurePath(name).name for name, _ in uploads]
            bad = [n for n in names if Path(n).suffix.lower() not in ACCEPTED]
            if bad:
                raise ValueError(f"不支持的文件类型 {', '.join(bad)}，请上传 .xlsx、.zip 或 .csv / "
                                 f"unsupported file type: {', '.join(bad)}")
            if any(Path(n).suffix.lower() != ".csv" for n in names) or self.stage in ("imported",):
                self.clear()
            for name, content in uploads:
                (self._dir / PurePath(name).name).write_bytes(bytes(content))
            self.files = sorted(p.name for p in self._dir.iterdir() if p.is_file())
            self.issues, self.summary, self.stage = [], "", "staged"
            self.tell("")

    def clear(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir.mkdir(parents=True, exist_ok=True)
        self.files, self.issues, self.summary, self.stage = [], [], "", "empty"

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
            self.summary = result.issues.summary() if not ok else result.to_text()
            self.stage = "valid" if ok else "invalid"
            self.tell(self.t("valid") if ok else self.t("issues_found"), "ok" if ok else "error")
        return ok

    def start_import(self, compute: bool = True) -> bool:
        """Import in a thread, then (``compute``) recompute the changed school-years and their warnings."""
        path = self.path
        if path is None or self.stage != "valid":
            self.tell(self.t("no_file") if path is None else self.t("validate"), "error")
            return False
        ctx = self.ctx

        def work(report: Any) -> str:  # noqa: ANN401
            report(0.05, "导入 / importing")
            result = ctx.access.import_data(path)
            if not result.ok:
                raise ValueError(result.issues.summary())
            text = result.to_text()
            summary = result.summary
            if compute and summary is not None and summary.changed:
                text += "\n" + recompute(ctx, report, sorted({s for s, _, _ in summary.new_versions}
                                                             | set(summary.schools_added)))
            return text

        def done(text: str) -> None:
            self.summary, self.stage = text, "imported"
            self.tell(self.t("imported"), "ok")
            self.ctx.reset()

        return self.job.start(work, on_done=done)


def recompute(ctx: Any, report: Any, schools: list[str] | None = None) -> str:  # noqa: ANN401
    """Compute the indicators (of ``schools``) and the warnings, as ``zhengai compute`` does."""
    from ...engine import compute
    from ...warnings import run_warnings

    if ctx.model_errors:
        raise ValueError("指标模型有错误，未计算 / the indicator models have errors: nothing computed")
    report(0.35, "计算指标 / computing indicators")
    result = compute(ctx.engine, ctx.models, schools=schools or None)
    report(0.7, "计算预警 / computing warnings")
    flags = run_warnings(ctx.engine, models=ctx.models)
    return (f"指标 {len(result.to_frame())} 个值，预警 {len(flags)} 条 / "
            f"{len(result.to_frame())} values, {len(flags)} flags")
