"""Texts of the warning engine as a filed document and a Chinese screen print them.

The warning engine records, for every flag, the rule and the source it applied, in the words its
authors use: notes of the platform's own reference files (``domain.md §7``), the names of the
methods it learnt from (WHO, DHIS2, UK Office for Students, Nigrini), machine keys of rules
(``practice_hours_le_hours：…``) and both languages (``模型默认目标 / model default target``).  A
school's report, an expert's screen and an export state the ground of a verdict in the reader's
words: the rule and the standard, never a method's name or a file of the code.

>>> public_source("domain.md §7（WHO 数据质量工具：与前三年均值之比）")
'与前三年均值之比'
>>> public_source("教发〔2004〕2号: 低于合格值 (domain.md §4.1)")
'教发〔2004〕2号: 低于合格值'
>>> public_source("issue 4（首位数字检验：卡方与平均绝对偏差，Nigrini 2012）")
'首位数字检验：卡方与平均绝对偏差'
>>> public_source("status-data.md 一致性规则；行动计划（实习学生全部投保实习责任保险）")
'状态数据一致性规则；行动计划（实习学生全部投保实习责任保险）'
>>> public_rule("practice_hours_le_hours：实践学时不超过总学时"), public_rule("GB 11643-1999 身份证号校验（sex_mismatch）")
('实践学时不超过总学时', 'GB 11643-1999 身份证号校验')
>>> zh_only("低于年度目标 20.0%（模型默认目标 / model default target）")
'低于年度目标 20.0%（模型默认目标）'
"""

from __future__ import annotations

import re

#: Names of methods and of the organisations that published them: never the stated ground of a verdict.
METHOD_NAMES = ("WHO", "DHIS2", "IPEDS", "UK Office for Students", "Office for Students", "英国学生事务办公室",
                "Nigrini", "OfS")
_OWN_NOTE = re.compile(r"^(?:domain|status-data|architecture)\.md\s*(?:§\s*[\d.]+)?\s*[（(](.*)[）)]$")
_OWN_REF = re.compile(r"\s*[（(]?(?:domain|architecture)\.md\s*§\s*[\d.]+[）)]?")
_ISSUE = re.compile(r"^issue\s*\d+\s*[（(](.*)[）)]$", re.IGNORECASE)
_METHOD = re.compile(r"(?:" + "|".join(re.escape(n) for n in METHOD_NAMES) + r")[^：:，,；;）)]*[：:]?\s*")
_YEAR_REF = re.compile(r"[，,]\s*[A-Z][A-Za-z]+\s+\d{4}")  # ", Nigrini 2012"
_RULE_KEY = re.compile(r"^[a-z][a-z0-9_]*[：:]\s*")
_ASCII_KEY = re.compile(r"[（(][a-z][a-z0-9_]*[）)]")
_ENGLISH = re.compile(r"\s*/\s*[A-Za-z][^（）()；;]*")


def zh_only(text: str) -> str:
    """A bilingual ``中文 / English`` text in Chinese only (a part in brackets keeps its brackets)."""
    return _ENGLISH.sub("", str(text)).strip()


def public_source(text: str) -> str:
    """A source as a filed document cites it: the platform's reference notes and the names of methods
    dropped, what they state kept."""
    text = zh_only(str(text or "").strip())
    text = _OWN_NOTE.sub(r"\1", text)
    text = _ISSUE.sub(r"\1", text)
    text = _OWN_REF.sub("", text)
    text = text.replace("status-data.md ", "状态数据").replace("status-data.md", "状态数据规范")
    text = _YEAR_REF.sub("", text)
    text = _METHOD.sub("", text)
    return text.strip(" ：:；;，,")


def public_rule(text: str) -> str:
    """A rule in words: the machine key in front or in brackets dropped."""
    text = zh_only(str(text or "").strip())
    return _ASCII_KEY.sub("", _RULE_KEY.sub("", text)).strip()


def public_message(text: str) -> str:
    """A warning's message for a Chinese reader (its English parts and method names dropped)."""
    return _METHOD.sub("", zh_only(str(text or "")))
