"""Located, bilingual import errors collected into one table.

An error says where (file, sheet, row, column), what was there (value, masked
when it may be personal data) and what was expected, in Chinese and English.
Rows are numbered as the user sees them in a spreadsheet (header = row 1).
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, fields

import pandas as pd

from .cells import write_csv
from .idnumber import mask_shaped


def scrub(text: str) -> str:
    """``text`` with every ID-number-shaped run of digits masked, also when spaces or hyphens break it up
    (anything shaped like one is masked wherever it appears in an issue: a header row that is really
    data, a value in the wrong column, a parser message)."""
    return mask_shaped(text)

COLUMNS_ZH = {
    "file": "文件",
    "sheet": "工作表",
    "row": "行",
    "column": "列",
    "value": "值",
    "expected_zh": "应为",
    "expected_en": "expected",
    "message_zh": "问题",
    "message_en": "problem",
}


@dataclass(frozen=True)
class ImportIssue:
    """One located problem in the input."""

    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    expected_zh: str
    expected_en: str
    message_zh: str
    message_en: str

    def __post_init__(self) -> None:
        for name in ("column", "value", "message_zh", "message_en"):
            object.__setattr__(self, name, scrub(str(getattr(self, name))))

    def text(self) -> str:
        where = f"{self.file}"
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" 第{self.row}行 row {self.row}"
        if self.column:
            where += f" 列 column '{self.column}'"
        value = f" 值 value {self.value!r}" if self.value != "" else ""
        return (f"{where}{value}: {self.message_zh}，应为 {self.expected_zh} / "
                f"{self.message_en}; expected {self.expected_en}")


class IssueTable:
    """All problems of one import, renderable as text, a frame, CSV or HTML."""

    def __init__(self, issues: list[ImportIssue] | None = None, limit: int = 100_000) -> None:
        self.issues: list[ImportIssue] = list(issues or [])
        self.limit = limit
        self.truncated = 0

    def add(self, issue: ImportIssue) -> None:
        if len(self.issues) < self.limit:
            self.issues.append(issue)
        else:
            self.truncated += 1

    def extend(self, issues: list[ImportIssue]) -> None:
        for issue in issues:
            self.add(issue)

    def __len__(self) -> int:
        return len(self.issues) + self.truncated

    def __bool__(self) -> bool:
        return len(self) > 0

    def to_frame(self) -> pd.DataFrame:
        cols = [f.name for f in fields(ImportIssue)]
        frame = pd.DataFrame([asdict(i) for i in self.issues], columns=cols)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_csv(self, path: str) -> None:
        """Write the table with bilingual headers, UTF-8 with BOM so Excel opens it."""
        frame = self.to_frame().rename(columns=lambda c: f"{COLUMNS_ZH[c]} {c}" if COLUMNS_ZH[c] != c else c)
        write_csv(frame, path, encoding="utf-8-sig")  # a value like =cmd|... stays text in Excel

    def summary(self) -> str:
        more = f"（另有 {self.truncated} 条未列出 / {self.truncated} more not listed）" if self.truncated else ""
        return f"发现 {len(self)} 个问题{more} / found {len(self)} problem(s)"

    def to_text(self, max_lines: int = 50) -> str:
        lines = [self.summary()]
        lines += [f"  {i.text()}" for i in self.issues[:max_lines]]
        if len(self.issues) > max_lines:
            lines.append(f"  … 其余 {len(self) - max_lines} 条见 --errors 文件 / "
                         f"{len(self) - max_lines} more: use --errors FILE.csv")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(COLUMNS_ZH[f.name])}</th>" for f in fields(ImportIssue))
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>"
                             for v in asdict(i).values()) + "</tr>"
            for i in self.issues[:500]
        )
        return (f"<p>{html.escape(self.summary())}</p>"
                f"<table class='zhengai-errors'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def file_issue(file: str, message_zh: str, message_en: str, expected_zh: str = "",
               expected_en: str = "", sheet: str = "", column: str = "", value: str = "",
               row: int | None = None) -> ImportIssue:
    """An issue about a whole file, sheet or column (not a single cell)."""
    return ImportIssue(file, sheet, row, column, value, expected_zh, expected_en, message_zh, message_en)
