"""``zhengai import``: read, validate everything, then write in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from ..store.schema import schools
from ..store.writer import WriteSummary, write_import
from .errors import IssueTable
from .personal import protect_students
from .read import read_path
from .validate import Parsed, check_school_references, no_tables_issue, validate_sheet


@dataclass
class ImportResult:
    """The outcome of an import: either located issues, or what was written."""

    path: str
    issues: IssueTable = field(default_factory=IssueTable)
    summary: WriteSummary | None = None
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_text(self) -> str:
        if not self.ok:
            return "导入未执行，数据库未改动 / nothing imported, the store is unchanged\n" + self.issues.to_text()
        return self.summary.to_text() if self.summary else ""

    def _repr_html_(self) -> str:
        if not self.ok:
            return self.issues._repr_html_()
        import html

        return f"<pre>{html.escape(self.to_text())}</pre>"


def validate_path(path: Path, engine: Engine | None = None) -> tuple[dict[str, Parsed], IssueTable, bytes]:
    """Read and validate every table; nothing is written."""
    sheets, read_issues, raw = read_path(Path(path))
    issues = list(read_issues)
    parsed: dict[str, Parsed] = {}
    for sheet in sheets:
        p = validate_sheet(sheet, issues)
        if p is not None:
            parsed[p.table.name] = p
    if "students" in parsed:
        protect_students(parsed["students"], issues)
    known: set[str] = set()
    if engine is not None:
        with engine.connect() as conn:
            known = set(conn.execute(select(schools.c.school_id)).scalars())
    check_school_references(parsed, known, issues)
    if not sheets and not issues:
        issues.append(no_tables_issue(str(path)))
    return parsed, IssueTable(issues), raw


def import_path(engine: Engine, path: Path, imported_by: str | None = None,
                dry_run: bool = False) -> ImportResult:
    """Validate ``path`` completely; write only when there is no error at all."""
    parsed, issues, raw = validate_path(path, engine)
    result = ImportResult(str(path), issues, rows_read=sum(len(p.frame) for p in parsed.values()))
    if issues:
        return result
    frames = {name: p.frame for name, p in parsed.items()}
    result.summary = write_import(engine, frames, Path(path).name, hashlib.sha256(raw).hexdigest(),
                                  imported_by=imported_by, dry_run=dry_run)
    return result
