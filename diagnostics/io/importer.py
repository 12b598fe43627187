"""``zhengai import``: read, validate everything, then write in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from ..store.writer import WriteSummary, write_tables
from .errors import IssueTable, file_issue
from .read import Sheet
from .stage import stage
from .validate import Parsed


@dataclass
class ImportResult:
    """The outcome of an import: either located issues, or what was written."""

    path: str
    issues: IssueTable = field(default_factory=IssueTable)
    summary: WriteSummary | None = None
    rows_read: int = 0
    notes: IssueTable = field(default_factory=IssueTable)  # plausibility warnings of an accepted input

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_text(self) -> str:
        if not self.ok:
            return "导入未执行，数据库未改动 / nothing imported, the store is unchanged\n" + self.issues.to_text()
        text = self.summary.to_text() if self.summary else ""
        if self.notes:
            text += ("\n请核对（已导入）/ please check (imported): "
                     + self.notes.to_text().replace("发现", "提示", 1).replace("problem(s)", "warning(s)", 1))
        return text

    def _repr_html_(self) -> str:
        if not self.ok:
            return self.issues._repr_html_()
        import html

        return f"<pre>{html.escape(self.to_text())}</pre>"


_CONFLICTS = ("ix_data_versions_school_year", "data_versions.school_id", "schools_pkey", "schools.school_id")


def concurrent_import_conflict(exc: Exception) -> bool:
    """Whether an integrity error is two imports writing the same school-year (or the same new school)."""
    return any(name in str(getattr(exc, "orig", exc)) for name in _CONFLICTS)


def concurrent_import_result(path: Path) -> ImportResult:
    """The answer when another import of the same school-year committed first (a unique index said no)."""
    issue = file_issue(Path(path).name, "同一学校学年的另一次导入同时进行并已先完成，本次未导入",
                       "another import of the same school-year ran at the same time and finished first; "
                       "nothing was imported", "稍后重新导入（将与已导入的数据比较）",
                       "run the import again (it is compared with what was imported)")
    return ImportResult(str(path), IssueTable([issue]))


def validate_path(path: Path, engine: Engine | None = None) -> tuple[dict[str, Parsed], IssueTable, bytes]:
    """Read and validate every table; nothing is written.

    Returns the typed tables (whole, in memory: for big inputs use :func:`import_path`),
    every issue, and the SHA-256 digest of the raw input.
    """
    with stage(Path(path), engine) as staged:
        parsed: dict[str, Parsed] = {}
        if staged.schools is not None:
            source = staged.sources["schools"]
            parsed["schools"] = Parsed(source.table, staged.schools,
                                       Sheet(source.file, "", source.table, staged.schools, pd.Series(dtype="int64")))
        for name in staged.tables:
            entries = list(staged.store.entries(name))
            if not entries:
                continue
            source = staged.sources[name]
            frame = pd.concat([f for f, _ in entries], ignore_index=True)
            rows = pd.concat([r for _, r in entries], ignore_index=True)
            parsed[name] = Parsed(source.table, frame, Sheet(source.file, "", source.table, frame, rows))
        return parsed, IssueTable(staged.issues), bytes.fromhex(staged.sha256)


def import_path(engine: Engine, path: Path, imported_by: str | None = None,
                dry_run: bool = False, check_schools: Callable[[set[str]], None] | None = None,
                allow_hidden: bool = False) -> ImportResult:
    """Validate ``path`` completely; write only when there is no error at all (in one transaction).

    ``check_schools``: called with the school ids of the input's schools table before anything is
    compared with the store (a scope check raises there, whether the data is new or not).
    ``allow_hidden`` imports hidden workbook sheets, rows and columns, with a warning naming them.
    """
    with stage(Path(path), engine, allow_hidden) as staged:
        result = ImportResult(str(path), IssueTable(staged.issues), rows_read=staged.rows,
                              notes=IssueTable(staged.notes))
        if check_schools is not None and staged.schools is not None:
            check_schools(set(staged.schools["school_id"].dropna().astype(str)))
        if staged.issues:
            return result
        result.summary = write_tables(engine, staged.schools, staged.tables, Path(path).name, staged.sha256,
                                      imported_by=imported_by, dry_run=dry_run)
    return result
