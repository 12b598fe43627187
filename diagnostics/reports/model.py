"""The plain structure a report is rendered from: numbers already judged and formatted, no database.

:func:`diagnostics.reports.gather_school` and :func:`diagnostics.reports.gather_province` fill
these records from a :class:`~diagnostics.reports.source.ReportSource`; every renderer (HTML, PDF,
Word, Excel) and the dashboards read the same records, so a number is computed once and shows
the same everywhere.  Every text field holds plain text (escaping is the renderer's job).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..palette import STATUS
from ..workflow.narratives import BY_KEY as NARRATIVE_SECTIONS
from .fmt import DIRECTION_LABELS, LEVEL_LABELS, SEVERITY_LABELS, numeral
from .provenance import Provenance

NO_CARD, NOT_APPLICABLE = "", "不适用"
TARGET_MET, TARGET_MISSED, TARGET_NO_VALUE = "达成", "未达成", "无数值"


@dataclass(frozen=True)
class Heading:
    """A chapter of a report: its anchor (ASCII, for links and bookmarks), title and level."""

    anchor: str
    title: str
    level: int = 1


@dataclass(frozen=True)
class SchoolInfo:
    school_id: str
    name: str
    level: str = ""
    category: str = ""
    city: str = ""


@dataclass(frozen=True)
class Light:
    """The traffic light of a diagnosis item (or of the school): status and warning counts."""

    item: str
    status: str  # red | yellow | green | none
    red: int = 0
    yellow: int = 0
    info: int = 0

    @property
    def label(self) -> str:
        return STATUS[self.status].label

    @property
    def meaning(self) -> str:
        return STATUS[self.status].meaning

    @property
    def colour(self) -> str:
        return STATUS[self.status].colour


@dataclass(frozen=True)
class Card:
    """Yellow / red card of 教发〔2004〕2号 (domain.md §4.1) for the school-year."""

    card: str  # 黄牌 | 红牌 | "" (none) | 不适用 (not a 高职 school)
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return {"红牌": "■ 红牌（暂停招生）", "黄牌": "▲ 黄牌（限制招生）",
                NOT_APPLICABLE: "— 不适用（仅对高职院校）"}.get(self.card, "● 无黄牌、红牌")

    @property
    def status(self) -> str:
        return {"红牌": "red", "黄牌": "yellow", NOT_APPLICABLE: "none"}.get(self.card, "green")


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | None
    peer_median: float | None = None
    peer_q1: float | None = None
    peer_q3: float | None = None


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of one school-year: value, standard, target, last year, peers, trend."""

    indicator_id: str
    name: str
    unit: str
    direction: str
    value: float | None
    text: str  # the value as printed (fmt.format_value)
    level: str = ""  # 合格 | 不合格 | 限制招生 | ''
    previous_text: str = "—"
    change_text: str = "—"
    qualified_text: str = "—"
    restriction_text: str = "—"
    standard_source: str = ""
    target_text: str = "—"
    target_source: str = ""
    gap_text: str = "—"
    target_met: bool | None = None
    peer_median_text: str = "—"
    peer_rank_text: str = "—"
    definition: str = ""
    trend: tuple[TrendPoint, ...] = ()
    qualified: float | None = None
    restriction: float | None = None
    target: float | None = None

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS.get(self.direction, "")

    @property
    def target_state(self) -> str:
        """达成 / 未达成 against the school's target, 无数值 without a value, '' without a target."""
        if self.target is None:
            return ""
        if self.value is None:
            return TARGET_NO_VALUE
        return TARGET_MET if self.target_met else TARGET_MISSED

    @property
    def is_control_point(self) -> bool:
        """A 质控点 with something to hold it to: a standard or a target."""
        return self.qualified is not None or self.target is not None


@dataclass(frozen=True)
class Problem:
    """A warning as the report states it (one per problem, with its evidence)."""

    item: str
    severity: str  # red | yellow | info
    where: str  # 全校 / 专业 510201 计算机应用技术 / 学生记录 …
    indicator: str  # the indicator's Chinese name ('' for data checks)
    message: str
    observed: str = "—"
    expected: str = "—"
    n: str = "—"
    methods: str = ""
    rule: str = ""
    source: str = ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def evidence(self) -> str:
        """What was compared, in one line (parts the method did not record are left out)."""
        parts = [f"观测值 {self.observed}" if self.observed != "—" else "",
                 f"参照 {self.expected}" if self.expected != "—" else "", f"n = {self.n}" if self.n != "—" else "",
                 f"方法：{self.methods}" if self.methods else "", f"规则：{self.rule}" if self.rule else "",
                 f"依据：{self.source}" if self.source else ""]
        return "；".join(p for p in parts if p)


@dataclass(frozen=True)
class ProgramNote:
    """A program-layer value worth pointing out (below standard, or the best / weakest)."""

    program: str  # code and name
    indicator: str
    value_text: str
    standard_text: str
    level: str
    note: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)


@dataclass(frozen=True)
class TaskRow:
    """An improvement measure (改进任务) set for the report year."""

    problem: str
    cause: str
    measure: str
    owner: str
    deadline: str
    status: str
    indicator: str = ""


@dataclass(frozen=True)
class Outcome:
    """What a measure set last year achieved: the indicator's change since it was set."""

    measure: str
    indicator: str
    baseline_text: str
    value_text: str
    change_text: str
    verdict: str
    status: str


@dataclass
class ItemSection:
    """One diagnosis item: its 质控点 (standards and targets), state, warnings, measures and last year's results."""

    anchor: str  # item-1, item-2, … (ASCII: links, bookmarks)
    number: str  # 一、二、… (its place among the items of 问题与原因)
    item: str
    light: Light
    indicators: list[IndicatorRow] = field(default_factory=list)
    programs: list[ProgramNote] = field(default_factory=list)
    program_summary: str = ""
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # problems left to the appendix
    tasks: list[TaskRow] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"（{self.number}）{self.item}"

    @property
    def has_indicators(self) -> bool:
        return bool(self.indicators)

    @property
    def control_points(self) -> list[IndicatorRow]:
        """The item's 质控点 held to a standard or a target (the 目标链 and 标准链 of the item)."""
        return [r for r in self.indicators if r.is_control_point]

    @property
    def untreated(self) -> bool:
        """Warned (red or yellow) but no measure set."""
        return self.light.status in ("red", "yellow") and not self.tasks


@dataclass(frozen=True)
class QualityRow:
    label: str
    unit: str
    values: tuple[float | None, ...]  # one per year of the table
    texts: tuple[str, ...]
    indicator_id: str = ""
    note: str = ""


@dataclass(frozen=True)
class QualityTable:
    """One table of the annual quality report (质量年度报告, domain.md §5)."""

    key: str
    title: str
    years: tuple[int, ...]
    rows: tuple[QualityRow, ...]
    note: str = ""


@dataclass(frozen=True)
class Narrative:
    """One section of the report as the school wrote it (empty when it has not)."""

    key: str
    title: str
    text: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n") if p.strip()]


@dataclass
class SchoolReport:
    """Everything the 自我诊断与改进报告 of one school-year shows, in the order of the document.

    Cover; 一、学校概况; 二、诊改工作开展情况 (the verdict of the year); 三、目标链与标准链（质控点建设）;
    四、问题与原因 (one part per diagnosis item: the indicator evidence and the warnings); 五、改进措施与成效;
    六、特色与创新; 七、下一步计划; appendices: the quality-report tables, the warnings (each once), the
    indicators' definitions and where the numbers come from.  Each section starts with the school's own text.
    """

    school: SchoolInfo
    year: int
    title: str
    provenance: Provenance
    overall: Light
    lights: list[Light]
    card: Card
    top_problems: list[Problem]
    key_figures: list[IndicatorRow]
    sections: list[ItemSection]
    data_quality: ItemSection | None
    quality_tables: list[QualityTable]
    appendix_problems: list[Problem]  # every warning of the school-year, once
    definitions: list[IndicatorRow]
    notes: list[str] = field(default_factory=list)  # about the data behind the numbers (closing appendix)
    peers: str = ""  # the comparison group the report's peer figures and its warning texts use
    narratives: dict[str, Narrative] = field(default_factory=dict)
    quality_title: str = "质量年度报告数据表"
    programs: int = 0  # programs with program-layer values in the year
    open_tasks: list[TaskRow] = field(default_factory=list)  # measures not finished: the next steps

    @property
    def academic_year(self) -> str:
        return f"{self.year}–{self.year + 1} 学年"

    def narrative(self, key: str) -> Narrative:
        return self.narratives.get(key) or Narrative(key, NARRATIVE_SECTIONS[key].zh)

    @property
    def monitored(self) -> int:
        """质控点 with a value this year (school layer)."""
        return sum(1 for r in self.definitions if r.value is not None)

    def chain_groups(self) -> list[tuple[str, list[IndicatorRow], list[str]]]:
        """Per diagnosis item: its 质控点 not shown under an earlier item, and the names of those that were
        (an indicator of two items is one 质控点, listed once)."""
        seen: dict[str, str] = {}
        out = []
        for s in self.sections:
            rows = [r for r in s.control_points if r.indicator_id not in seen]
            again = [f"{r.name}（见{seen[r.indicator_id]}）" for r in s.control_points if r.indicator_id in seen]
            seen.update({r.indicator_id: s.item for r in rows})
            if rows or again:
                out.append((s.item, rows, again))
        return out

    @property
    def control_points(self) -> int:
        """质控点 held to a standard or a target, each counted once."""
        return len({r.indicator_id for s in self.sections for r in s.control_points})

    @property
    def tasks(self) -> list[TaskRow]:
        """The measures of the year, each once (a measure shows under every item of its indicator)."""
        return list(dict.fromkeys(t for s in self.chapters for t in s.tasks))

    def outline(self) -> list[Heading]:
        """The sections and appendices, numbered: the table of contents of every format."""
        keys = list(NARRATIVE_SECTIONS)
        heads = []
        for n, key in enumerate(keys, 1):
            heads.append(Heading(key, f"{numeral(n)}、{NARRATIVE_SECTIONS[key].zh}"))
            if key == "problems":
                heads += [Heading(s.anchor, s.title, 2) for s in self.chapters]
        appendices = [("appendix-quality", self.quality_title)]
        if self.appendix_problems:
            appendices.append(("appendix-problems", "预警明细"))
        appendices.append(("appendix-definitions", "指标说明与数据来源"))
        heads += [Heading(anchor, f"附录{numeral(n)}　{title}") for n, (anchor, title) in enumerate(appendices, 1)]
        return heads

    @property
    def chapters(self) -> list[ItemSection]:
        """The diagnosis items, then data quality when it has something to say."""
        return self.sections + ([self.data_quality] if self.data_quality else [])

    def heading(self, anchor: str) -> Heading:
        return next(h for h in self.outline() if h.anchor == anchor)

    def indicator(self, indicator_id: str) -> IndicatorRow | None:
        """The school-layer row of an indicator (first section that shows it)."""
        for row in [*self.key_figures, *(r for s in self.sections for r in s.indicators)]:
            if row.indicator_id == indicator_id:
                return row
        return None
