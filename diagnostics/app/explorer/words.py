"""The indicator models' keys in the reader's words (层面 学校/专业, 口径, 缺失值处理 …), Chinese or English."""

from __future__ import annotations

from ...contract import BY_NAME

LAYERS = {"school": ("学校", "school"), "program": ("专业", "program"), "course": ("课程", "course"),
          "teacher": ("教师", "teacher"), "student": ("学生", "student")}
YEARS = {"academic": ("学年", "academic year"), "calendar": ("自然年", "calendar year")}
KINDS = {"stock": ("时点数（学年初）", "stock at the start of the year"), "flow": ("期间数（全学年）", "flow over the year")}
MISSING = {"skip_if_any_missing": ("任一组成部分缺失即不计算", "not computed when any part is missing"),
           "skip_if_all_missing": ("全部组成部分缺失才不计算", "not computed only when every part is missing"),
           "zero_if_missing": ("缺失部分按 0 计", "missing parts count as 0")}
AGGS = {"count": ("计数", "count"), "sum": ("求和", "sum"), "mean": ("平均", "mean"), "share": ("比例", "share"),
        "distinct_count": ("去重计数", "distinct count")}
KIND_NAMES = {"ratio": ("比率：分子 ÷ 分母", "ratio"), "measure": ("度量", "measure"), "derived": ("由其他指标导出", "derived")}


def word(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(str(key))
    return (pair[1] if lang == "en" else pair[0]) if pair else str(key)


def table_name(name: str, lang: str) -> str:
    t = BY_NAME.get(name or "")
    return name if t is None or lang == "en" else f"{t.zh}"


def column_words(text: str, table: str, lang: str) -> str:
    """A filter or expression with the columns of ``table`` named in Chinese (``employment = '专任'`` →
    ``类别 = '专任'``)."""
    t = BY_NAME.get(table or "")
    if not text or t is None or lang == "en":
        return text or "—"
    out = text
    for f in sorted(t.fields, key=lambda f: -len(f.name)):
        out = out.replace(f.name, f.zh)
    return out.replace(" and ", " 且 ").replace(" or ", " 或 ").replace(" not ", " 非 ")
