"""The objects a model file declares: measures, indicators, standards, issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .expr import Node

AGGREGATIONS = ("count", "sum", "mean", "share", "distinct_count")
DIRECTIONS = ("higher_is_better", "lower_is_better")
LAYERS = ("school", "program")
DIAGNOSIS_ITEMS = ("专业设置与条件", "教师队伍建设", "课程体系改革", "学校管理", "校企合作", "质量监控与成效")
#: The tables of the 高职 annual quality report (domain.md §5), tagged ``质量年报:<table>``.
QUALITY_REPORT_TABLES = ("人才培养质量计分卡", "教学资源表", "服务贡献表", "落实政策表", "国际影响表", "学生反馈表")
ITEMS = (*DIAGNOSIS_ITEMS, "基本办学条件", "质量年报", *(f"质量年报:{t}" for t in QUALITY_REPORT_TABLES))
#: The items every verdict shows a light for, in order: the six diagnosis items, then 基本办学条件
#: (where cards count); 数据质量 (the data checks) is added by the verdict.
VERDICT_ITEMS = (*DIAGNOSIS_ITEMS, "基本办学条件")
YEAR_CONVENTIONS = ("academic", "calendar")
PERIOD_KINDS = ("stock", "flow")
MISSING = ("skip_if_any_missing", "skip_if_all_missing", "treat_as_zero")
QUALIFIED, RESTRICTED, TARGET = "合格", "限制招生", "目标"
STANDARD_LEVELS = (QUALIFIED, RESTRICTED, TARGET)
BELOW = "不合格"  # the level of a value that meets 合格 nowhere and is not below 限制招生
ERROR, WARNING = "error", "warning"


def normal_name(name: str) -> str:
    """A name as it is compared: no blanks, half-width brackets, lower case.

    >>> normal_name(" 双师 比例（%） ")
    '双师比例(%)'
    """
    text = "".join(str(name).split()).replace("（", "(").replace("）", ")")
    return text.lower()


@dataclass(frozen=True)
class ModelIssue:
    """One problem in a model file, located by file and key."""

    file: str
    key: str
    message_zh: str
    message_en: str
    level: str = ERROR  # error | warning

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: [{self.level}] {self.message_zh} / {self.message_en}"


@dataclass(frozen=True)
class Standard:
    """A threshold an indicator's value is judged against.

    Only a standard read in its published text (``verified``) decides anything: it sets the
    level of a value (合格 / 不合格 / 限制招生), cards, lights and rankings, or serves as the
    model's default target.  An unverified value is a *reference value* (参考值): it is shown,
    labelled, where the indicator is explained, and decides nothing.

    >>> Standard("合格", 18, source="教发〔2004〕2号", verified=True).sets_level
    True
    >>> Standard("限制招生", 22, source="from memory", verified=False).sets_level
    False
    """

    level: str  # 合格 | 限制招生 | 目标
    value: float
    school_levels: tuple[str, ...] = ()  # 高职 / 中职; empty = every school
    categories: tuple[str, ...] = ()  # empty = every category
    layers: tuple[str, ...] = ("school",)
    from_year: int | None = None
    to_year: int | None = None
    source: str = ""
    verified: bool = False
    note: str = ""
    op: str | None = None  # as declared; otherwise implied by the indicator's direction
    key: str = ""
    article: str = ""  # the table or article of the source where the value is printed
    printed: str = ""  # the value as printed there ("1:20", "15%", "4000")
    founded_from: int | None = None  # applies only to schools founded in or after this year (新建学校)

    @property
    def sets_level(self) -> bool:
        """Whether this standard sets a level, a card, a light or a ranking (合格 / 限制招生, verified)."""
        return self.verified and self.level in (QUALIFIED, RESTRICTED)

    @property
    def decides(self) -> bool:
        """Whether the value is used at all (a level, or the model's default target): verified only."""
        return self.verified

    def applies(self, school_level: str, category: str, layer: str, year: int,
                founded: int | None = None) -> bool:
        return ((not self.school_levels or school_level in self.school_levels)
                and (not self.categories or category in self.categories)
                and layer in self.layers
                and (self.from_year is None or year >= self.from_year)
                and (self.to_year is None or year <= self.to_year)
                and (self.founded_from is None or (founded is not None and founded >= self.founded_from)))


@dataclass(frozen=True)
class Measure:
    """How one quantity is aggregated from one table (or by a registered function)."""

    id: str
    name_zh: str
    name_en: str
    unit: str
    table: str | None = None
    agg: str | None = None
    filter: Node | None = None
    expr: Node | None = None
    filter_text: str = ""
    expr_text: str = ""
    python: str | None = None  # a function registered in the entry-point group zhengai.measures
    layers: tuple[str, ...] = ("school",)  # for python measures: layers the function serves
    description: str = ""
    source: str = ""
    file: str = ""
    key: str = ""


@dataclass(frozen=True)
class Indicator:
    """A named, documented quantity built from measures or from other indicators."""

    id: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    definition_zh: str = ""
    definition_en: str = ""
    layers: tuple[str, ...] = ("school",)
    items: tuple[str, ...] = ()
    year_convention: str = "academic"
    period_kind: str = "stock"
    missing: str = "skip_if_any_missing"
    measure: str | None = None  # kind "measure"
    numerator: str | None = None  # kind "ratio"
    denominator: str | None = None
    factor: float = 1.0
    expr: Node | None = None  # kind "derived"
    expr_text: str = ""
    standards: tuple[Standard, ...] = ()
    cards: bool = False  # a basic indicator of 教发〔2004〕2号 (yellow / red cards)
    weight: float = 1.0  # weight in the ratio-method score
    file: str = ""
    key: str = ""
    aliases: tuple[str, ...] = ()  # other names schools use for it (就业率, 生师比, 双师比例…)

    @property
    def kind(self) -> str:
        if self.expr is not None:
            return "derived"
        return "ratio" if self.numerator is not None else "measure"

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures this indicator reads directly."""
        names = (self.measure, self.numerator, self.denominator)
        return tuple(n for n in names if n is not None)

    @property
    def inputs(self) -> tuple[str, ...]:
        """The indicators a derived indicator is computed from."""
        return tuple(sorted(self.expr.names())) if self.expr is not None else ()

    @property
    def higher_is_better(self) -> bool:
        return self.direction != "lower_is_better"


@dataclass
class ModelSet:
    """The valid measures and indicators of a set of model files.

    ``indicators`` is ordered so that every derived indicator follows its inputs.
    ``version`` is a hash of the model files' names and contents.
    """

    measures: dict[str, Measure] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    version: str = ""
    registry: object = None  # the MeasureRegistry that python measures resolve against
    _names: tuple | None = field(default=None, repr=False, compare=False)

    def resolve(self, name: str) -> str | None:
        """The id of the indicator called ``name``: its id, its Chinese name or one of its aliases
        (surrounding blanks and full-width brackets ignored)."""
        if name in self.indicators:
            return name
        return self.names().get(normal_name(name))

    def names(self) -> dict[str, str]:
        """Every name an indicator answers to (normalised, see :func:`normal_name`) → its id."""
        key = tuple(self.indicators)
        if self._names is None or self._names[0] != key:
            out: dict[str, str] = {}
            for ind in self.indicators.values():
                for name in (ind.id, ind.name_zh, *ind.aliases):
                    out.setdefault(normal_name(name), ind.id)
            self._names = (key, out)
        return self._names[1]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The indicators whose names are nearest to ``name``, as 'id（中文名）': close spellings first,
        then names that contain it or are contained in it."""
        import difflib

        names, wanted = self.names(), normal_name(name)
        close = difflib.get_close_matches(wanted, list(names), n=n * 3, cutoff=0.5)
        close += [k for k in names if wanted and (wanted in k or k in wanted)]
        ids = list(dict.fromkeys(names[c] for c in close))[:n]
        return [f"{i}（{self.indicators[i].name_zh}）" for i in ids]

    def __len__(self) -> int:
        return len(self.indicators)

    def __repr__(self) -> str:
        return (f"ModelSet({len(self.measures)} measures, {len(self.indicators)} indicators, "
                f"version {self.version})")
