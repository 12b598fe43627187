"""The one flag record that every warning method produces.

A flag says where (school, year, layer, unit, indicator), how (method, rule and
its source), how bad (severity red / yellow / info), what was seen against what
was expected (observed, expected, the n behind it) and a message in Chinese and
English that a non-statistician understands.  ``evidence`` carries every number
the method compared, so a warning explains itself (DHIS2 validation results
record unit, period, rule, left and right side, importance: ``shared/style.md``).
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

METHODS = ("standard", "target", "rule", "trend", "peer", "multivariate", "uncertainty",
           "integrity", "completeness", "benford")
SEVERITIES = ("red", "yellow", "info")
SEVERITY_RANK = {"info": 0, "yellow": 1, "red": 2}
SEVERITY_ZH = {"red": "红色预警", "yellow": "黄色预警", "info": "提示"}
#: Columns of ``zhengai flags --format csv`` (a public interface: add, never rename).
EXPORT_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "method", "severity", "observed",
                  "expected", "n", "rule", "source", "message_zh", "message_en"]
FLAG_COLUMNS = EXPORT_COLUMNS + ["evidence"]
#: Layer of flags about raw records (data checks); their unit is ``table:key``.
DATA_LAYER = "data"


@dataclass(frozen=True)
class Flag:
    """One finding of one method about one unit.

    >>> f = Flag("S1", 2024, "school", "S1", "student_teacher_ratio", "standard", "yellow",
    ...          23.4, "≤ 18", 4100, "生师比 ≤ 18（合格）", "教发〔2004〕2号",
    ...          "生师比 23.4，高于合格标准 18", "Student-teacher ratio 23.4 is above the standard 18")
    >>> f.severity
    'yellow'
    """

    school_id: str
    year: int | None
    layer: str
    unit: str
    indicator_id: str | None
    method: str
    severity: str
    observed: float | None
    expected: str | None
    n: int | None
    rule: str
    source: str
    message_zh: str
    message_en: str
    evidence: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; one of {METHODS}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; one of {SEVERITIES}")


def data_unit(table: str, key: object) -> str:
    """The unit of a data-check flag: the record's table and key (``students:A001``)."""
    return f"{table}:{key}"


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):  # a date or a timestamp read from the store
        return value.isoformat()
    return value


def evidence_json(evidence: dict) -> str:
    return json.dumps(_plain(evidence), ensure_ascii=False, sort_keys=True)


def empty_flags() -> pd.DataFrame:
    return flags_frame([])


def flags_frame(flags: Iterable[Flag]) -> pd.DataFrame:
    """Flags as a frame with :data:`FLAG_COLUMNS` (``evidence`` stays a dict)."""
    # shallow rows (asdict would deep-copy every evidence dict: most of the time for large runs)
    rows = [tuple(getattr(f, c) for c in FLAG_COLUMNS) for f in flags]
    frame = pd.DataFrame(rows, columns=FLAG_COLUMNS) if rows else pd.DataFrame(columns=FLAG_COLUMNS)
    for col in ("observed",):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    frame["n"] = pd.array(pd.to_numeric(frame["n"], errors="coerce"), dtype="Int64")
    return frame


def concat_flags(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_flags()
    return pd.concat(parts, ignore_index=True)[FLAG_COLUMNS]


def worst(severities: Iterable[str]) -> str:
    """The highest severity of several (red > yellow > info)."""
    return max(severities, key=SEVERITY_RANK.__getitem__, default="info")


# --------------------------------------------------------------------------- formatting
def fmt_number(value: float | None, unit: str | None = None) -> str:
    """A value as a reader expects it: shares as percentages, money with separators."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if unit == "%":  # engine percentages are 0…100
        return f"{value:.1f}%"
    if unit == "元" or abs(value) >= 10000:
        return f"{value:,.0f}" + (" 元" if unit == "元" else "")
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def fmt_range(low: float, high: float, unit: str | None = None) -> str:
    return f"{fmt_number(low, unit)}–{fmt_number(high, unit)}"
