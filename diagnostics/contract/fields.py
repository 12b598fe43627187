"""Field and table definitions of the status-data contract.

The contract is declared once (``tables.py``) and everything else is generated
from it: the database schema, the import validation, the Excel template and
the field documentation.  Source: ``shared/status-data.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Field kinds.  Each kind has a parser in ``diagnostics.io.coerce``.
STR = "str"
INT = "int"  # non-negative integer count unless ``minimum`` says otherwise
FLOAT = "float"
BOOL = "bool"
DATE = "date"
CODE = "code"  # one of ``codes``
YEAR = "year"
IDNUMBER = "idnumber"  # resident ID number, hashed on import

YEAR_RANGE = (1900, 2100)  # founded, birth, entry and first-offered years
SCHOOL_YEAR_RANGE = (1990, 2100)  # the data's own school or calendar year
KINDS = (STR, INT, FLOAT, BOOL, DATE, CODE, YEAR, IDNUMBER)

KIND_ZH = {
    STR: "文本",
    INT: "整数",
    FLOAT: "数值",
    BOOL: "是/否",
    DATE: "日期 (YYYY-MM-DD)",
    CODE: "代码",
    YEAR: "年份",
    IDNUMBER: "身份证号 (18位)",
}
KIND_EN = {
    STR: "text",
    INT: "whole number",
    FLOAT: "number",
    BOOL: "yes/no",
    DATE: "date (YYYY-MM-DD)",
    CODE: "code",
    YEAR: "year",
    IDNUMBER: "resident ID number (18 characters)",
}


@dataclass(frozen=True)
class Field:
    """One column of a contract table."""

    name: str
    zh: str
    kind: str
    en: str = ""
    unit: str | None = None
    codes: tuple[str, ...] | None = None
    required: bool = True  # the column must be present in the input
    nullable: bool = False  # a cell may be empty
    minimum: float | None = 0.0  # for INT / FLOAT; None = unbounded
    maximum: float | None = None
    default: object = None  # value used when the column is absent / empty
    doc_zh: str = ""
    doc_en: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r} for {self.name}")
        if self.kind == CODE and not self.codes:
            raise ValueError(f"code field {self.name} needs codes")

    @property
    def labels(self) -> tuple[str, ...]:
        """Every header this field may appear under (English, Chinese, bilingual)."""
        return (self.name, self.zh, f"{self.zh} {self.name}", f"{self.zh}({self.name})",
                f"{self.zh}（{self.name}）", f"{self.name} {self.zh}")

    def year_range(self) -> tuple[int, int]:
        """The plausible range of a year field: the data year itself (``year``) is a school or
        calendar year of digital status data; other years (founded, born, entered) reach further back."""
        return SCHOOL_YEAR_RANGE if self.name == "year" else YEAR_RANGE

    def expected_zh(self) -> str:
        text = KIND_ZH[self.kind]
        if self.codes:
            text = "以下之一: " + "、".join(self.codes)
        if self.kind == YEAR:
            text += "（{}–{}）".format(*self.year_range())
        if self.kind in (INT, FLOAT):
            if self.minimum is not None:
                text += f"，不小于 {self.minimum:g}"
            if self.maximum is not None:
                text += f"，不大于 {self.maximum:g}"
        if self.unit:
            text += f"（单位: {self.unit}）"
        return text

    def expected_en(self) -> str:
        text = KIND_EN[self.kind]
        if self.codes:
            text = "one of: " + ", ".join(self.codes)
        if self.kind == YEAR:
            text += " ({}-{})".format(*self.year_range())
        if self.kind in (INT, FLOAT):
            if self.minimum is not None:
                text += f", at least {self.minimum:g}"
            if self.maximum is not None:
                text += f", at most {self.maximum:g}"
        if self.unit:
            text += f" (unit: {self.unit})"
        return text


@dataclass(frozen=True)
class Table:
    """One table of the contract."""

    name: str
    zh: str
    row_is: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    year_convention: str = "academic"  # academic | calendar | none
    doc: str = ""
    _by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            self._by_name[f.name] = f
        missing = [k for k in self.key if k not in self._by_name]
        if missing:
            raise ValueError(f"table {self.name}: key fields {missing} not declared")

    def field(self, name: str) -> Field:
        return self._by_name[name]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, self.zh, f"{self.zh} {self.name}", f"{self.zh}({self.name})",
                f"{self.zh}（{self.name}）", f"{self.name} {self.zh}")
