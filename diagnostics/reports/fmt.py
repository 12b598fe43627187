"""How numbers, levels and statuses are written in every report format (one place, so they agree).

:func:`format_value` is the formatting of an indicator value everywhere a person reads it: the
HTML and PDF report, the Word report and the labels of the Excel tables.  Excel cells hold the
raw number with a number format that shows the same digits (:func:`excel_format`).
"""

from __future__ import annotations

import math
import re

MISSING = "—"  # no value (no data, or the indicator does not apply)
NO_DATA = "数据暂缺"  # a quality-report cell the status data cannot fill
PERCENT = "%"
#: Units of whole things: counts of people, books, rooms, programs, enterprises, hours, areas, money.
COUNT_UNITS = frozenset({"人", "册", "m²", "台", "个", "门", "家", "项", "次", "学时", "元", "Mbps"})

LEVEL_LABELS = {
    "合格": "● 达到合格标准",
    "不合格": "▲ 未达合格标准",
    "限制招生": "■ 低于限制招生线",
    "": "—",  # no standard applies: nothing to say, no noise in every row
}
SEVERITY_LABELS = {"red": "■ 红色预警", "yellow": "▲ 黄色预警", "info": "○ 提示"}
METHOD_LABELS = {
    "standard": "国家标准对照", "target": "学校目标对照", "rule": "数据校验规则", "trend": "历年趋势",
    "peer": "同类院校比较", "multivariate": "多指标综合异常", "uncertainty": "置信区间判断",
    "integrity": "学籍与资金核查", "completeness": "填报完整性", "benford": "首位数字分布",
    "spotcheck": "随机抽查",
}
DIRECTION_LABELS = {"higher_is_better": "越高越好", "lower_is_better": "越低越好"}
DIGITS = "零一二三四五六七八九"
HUGE = 1e15  # from here on a value is written in scientific notation (1.700e+308)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(value != value) or (isinstance(value, float) and not math.isfinite(value))
    except TypeError:  # pandas NA
        return True


def decimals(value: float, unit: str) -> int:
    """Digits after the decimal point for a value of ``unit``."""
    if unit == PERCENT:
        return 1
    if unit.startswith("元") or unit in COUNT_UNITS:
        return 0
    return 1 if abs(value) >= 10 else 2


def format_value(value: object, unit: str = "", missing: str = MISSING) -> str:
    """An indicator value as a reader expects it.

    >>> format_value(85.3846, "%"), format_value(4092.88, "元/人"), format_value(16.234, "1")
    ('85.4%', '4,093', '16.2')
    >>> format_value(2.5, "册/人"), format_value(21094.2, "m²"), format_value(None, "%")
    ('2.50', '21,094', '—')
    >>> format_value(0.0, "家"), format_value(15.0, "家"), format_value(275.0, "门")
    ('0', '15', '275')
    """
    if is_missing(value):
        return missing
    number = float(value)  # type: ignore[arg-type]
    if abs(number) >= HUGE:  # not a plausible value; 309 digits help no reader
        return f"{number:.3e}" + (PERCENT if unit == PERCENT else "")
    text = f"{number:,.{decimals(number, unit)}f}"
    if text.startswith("-") and float(text.replace(",", "").lstrip("-") or 0) == 0:
        text = text[1:]
    return text + (PERCENT if unit == PERCENT else "")


def format_change(change: object, unit: str = "", reference: object = None) -> str:
    """A signed change (``+1.2``, ``−3.4 个百分点``) with the digits of ``reference`` (the value
    changed, default the change itself); percentages change in percentage points."""
    if is_missing(change):
        return MISSING
    number = float(change)  # type: ignore[arg-type]
    like = float(reference) if not is_missing(reference) else number  # type: ignore[arg-type]
    if abs(number) >= HUGE:
        return f"{'+' if number > 0 else '−'}{abs(number):.3e}" + (" 个百分点" if unit == PERCENT else "")
    body = f"{abs(number):,.{decimals(like, unit)}f}"
    if float(body.replace(",", "")) == 0:
        return "持平"
    sign = "+" if number > 0 else "−"
    return f"{sign}{body}" + (" 个百分点" if unit == PERCENT else "")


def excel_format(value: float, unit: str) -> str:
    """The Excel number format showing ``value`` with the digits :func:`format_value` uses."""
    places = decimals(value, unit)
    return "#,##0" + ("." + "0" * places if places else "")


def unit_label(unit: str) -> str:
    """A unit for a table heading (the engine writes dimensionless ratios as ``1``)."""
    return "" if unit in ("", "1") else unit


def numeral(n: int) -> str:
    """Chinese numeral for 0…99 (一, 十, 十二, 二十一).

    >>> numeral(1), numeral(10), numeral(12), numeral(21)
    ('一', '十', '十二', '二十一')
    """
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "") if n else DIGITS[0]


def clean_text(value: object) -> str:
    """Text from data, safe to put in XML (Word, Excel): control characters removed."""
    if is_missing(value):
        return ""
    return _CONTROL.sub("", str(value))


def sheet_title(text: str) -> str:
    """A worksheet title Excel accepts (≤ 31 characters, none of ``[]:*?/\\``)."""
    return re.sub(r"[\[\]:*?/\\]", "", text)[:31]
