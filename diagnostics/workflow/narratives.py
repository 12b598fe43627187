"""The school's own text of its self-diagnosis report (自我诊断与改进报告), one per section and school-year.

The sections are those of the report a school files (教职成厅〔2015〕2号: the school diagnoses itself
and reports; the platform supplies the evidence, the school writes what it did, why and what next).
The store side (scoped, audited, locked) is :class:`diagnostics.access.Access`.

>>> [s.key for s in SECTIONS][:3]
['overview', 'work', 'chains']
>>> check_narrative({"text": "  本校……  "})
{'text': '本校……'}
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidChange

MAX_CHARS = 20_000  # a section of a filed report is a few pages at most
EDITABLE = frozenset({"text"})


@dataclass(frozen=True)
class Section:
    key: str
    zh: str
    en: str
    hint_zh: str  # what the section is for, shown beside the text box (never printed in the report)


SECTIONS: tuple[Section, ...] = (
    Section("overview", "学校概况", "The school",
            "办学定位、规模、专业布局与本学年的主要变化。"),
    Section("work", "诊改工作开展情况", "How the diagnosis and improvement work was run",
            "组织机构与制度、8字形质量改进螺旋的运行、状态数据的采集与使用、质量预警的处理。"),
    Section("chains", "目标链与标准链（质控点建设）", "Target chain and standard chain (quality control points)",
            "学校、专业、课程、教师、学生五个层面的目标与标准，质控点的设置与更新。"),
    Section("problems", "问题与原因", "Problems and their causes",
            "对照目标与标准发现的主要问题，以及原因分析。"),
    Section("measures", "改进措施与成效", "Improvement measures and results",
            "针对问题采取的改进措施、责任部门、完成情况与成效。"),
    Section("features", "特色与创新", "Distinctive practice and innovation",
            "本校在诊改工作中的特色做法与创新。"),
    Section("plans", "下一步计划", "Next steps",
            "下一学年的改进计划、目标调整与保障措施。"),
)
BY_KEY = {s.key: s for s in SECTIONS}


def section(key: str) -> Section:
    """The section ``key``; an unknown key is an :class:`InvalidChange`."""
    if key not in BY_KEY:
        raise InvalidChange(f"未知的报告部分 {key!r}，应为 {', '.join(BY_KEY)}",
                            f"unknown report section {key!r}; one of {', '.join(BY_KEY)}")
    return BY_KEY[key]


def check_narrative(changes: dict) -> dict:
    """The change, normalised (surrounding blanks removed), if the text is acceptable."""
    out = dict(changes)
    text = out.get("text")
    text = "" if text is None else str(text).replace("\r\n", "\n").strip()
    if len(text) > MAX_CHARS:
        raise InvalidChange(f"文字过长（{len(text)} 字），每部分不超过 {MAX_CHARS} 字",
                            f"text too long ({len(text)} characters); at most {MAX_CHARS} per section")
    out["text"] = text
    return out
