"""What the value-based methods read: indicator values, indicator metadata, schools, programs, targets.

Everything is a plain DataFrame or a small frozen record, so each method can be tested on a frame
built by hand.  :func:`meta_from_models` adapts the indicator engine's model set
(:mod:`diagnostics.models`); :mod:`.pipeline` loads the rest from the store.

Values follow the engine's layout: ``school_id, year, layer, unit, indicator_id, value, numerator,
denominator, n`` with ``unit`` '' at school layer and the program code at program layer, optionally
with the thresholds and targets that apply to each value (:data:`STANDARD_COLUMNS`,
:data:`TARGET_COLUMNS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

VALUE_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator", "denominator", "n"]
SCHOOL_COLUMNS = ["school_id", "level", "category", "peer_group"]
PROGRAM_COLUMNS = ["school_id", "year", "program_code", "program_group"]
#: Optional value columns the standard and target methods read (the engine's ``thresholds`` and
#: ``target_gaps`` give them): the 合格 and 限制招生 thresholds that apply, with source and verified mark,
#: and the target with its source (``target_is_default``: the model's suggestion, not the school's own)
#: and the school's own standard (校标).
STANDARD_COLUMNS = ["qualified", "qualified_source", "qualified_verified",
                    "restriction", "restriction_source", "restriction_verified"]
TARGET_COLUMNS = ["target", "target_source", "target_is_default", "school_standard"]
QUALIFIED, RESTRICTED = "合格", "限制招生"
PERCENT = "%"


@dataclass(frozen=True)
class IndicatorMeta:
    """What a warning needs to know about an indicator.

    >>> m = IndicatorMeta("student_teacher_ratio", "生师比", "student–teacher ratio", "1", "lower")
    >>> m.higher_is_better, m.is_rate
    (False, False)
    """

    id: str
    name_zh: str
    name_en: str
    unit: str = ""
    direction: str = "higher"  # higher | lower
    items: tuple[str, ...] = ()
    counts: bool = False  # its value (or its numerator, for a ratio) counts events: Poisson noise applies
    factor: float = 1.0  # value = numerator ÷ denominator × factor (1 for a measure)

    @property
    def higher_is_better(self) -> bool:
        return self.direction != "lower"

    @property
    def is_rate(self) -> bool:
        """A percentage of people (numerator of denominator), so a Wilson interval applies."""
        return self.unit == PERCENT

    @property
    def kind(self) -> str:
        """How its changes are judged: ``rate`` (percentage points, binomial), ``count`` (Poisson),
        ``amount`` (relative change)."""
        return "rate" if self.is_rate else "count" if self.counts else "amount"

    def possible(self, value: float) -> float:
        """``value`` brought into the indicator's possible range: a rate stays within 0–100 %, and
        nothing the library measures is negative."""
        return min(max(value, 0.0), 100.0) if self.is_rate else max(value, 0.0)


@dataclass
class WarningInputs:
    """The frames the value-based methods work on (see the module docstring for their columns).

    >>> values = pd.DataFrame({"school_id": ["S1"], "year": [2024], "layer": ["school"], "unit": [None],
    ...                        "indicator_id": ["x"], "value": [1.5]})
    >>> inputs = WarningInputs(values, {}, pd.DataFrame({"school_id": ["S1"], "level": ["高职"], "category": ["工科"]}))
    >>> inputs.with_school_attrs()[["unit", "level", "category"]].values.tolist()
    [['', '高职', '工科']]
    """

    values: pd.DataFrame
    indicators: dict[str, IndicatorMeta]
    schools: pd.DataFrame
    programs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROGRAM_COLUMNS))
    peer_groups: dict[str, list[str]] = field(default_factory=dict)
    peer_min_size: int = 5  # peer.group_min_size: the one comparison group of :mod:`..peers`

    def __post_init__(self) -> None:
        from .peers import peer_groups

        self.values = normalise_values(self.values)
        self.schools = self.schools.assign(school_id=self.schools["school_id"].astype(str))
        if "peer_group" not in self.schools:
            groups = peer_groups(self.schools, self.peer_min_size)
            self.schools = self.schools.merge(groups[["school_id", "peer_group"]], on="school_id", how="left")
        # the people a percentage is a share of: its denominator (the engine's n counts records, e.g.
        # the 6 questions of a survey); NaN for values that are not percentages
        self.values["people"] = self.values["denominator"].where(self.per_row(self.values, "is_rate").astype(bool))

    def meta(self, indicator_id: str) -> IndicatorMeta:
        return self.indicators.get(indicator_id) or IndicatorMeta(indicator_id, indicator_id, indicator_id)

    def per_row(self, frame: pd.DataFrame, attribute: str | object) -> pd.Series:
        """An attribute of each row's indicator (a name of :class:`IndicatorMeta`, or a function of it)."""
        ids = frame["indicator_id"]
        get = attribute if callable(attribute) else (lambda m: getattr(m, attribute))
        return ids.map({i: get(self.meta(i)) for i in ids.unique()})

    def small_rates(self, frame: pd.DataFrame, floor: float) -> pd.Series:
        """Rows of ``frame`` that are percentages of fewer than ``floor`` people: too few to judge."""
        return frame["people"] < floor

    def with_school_attrs(self, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """``frame`` (default: the values) with the school's level and category joined on."""
        frame = self.values if frame is None else frame
        return frame.merge(self.schools[SCHOOL_COLUMNS], on="school_id", how="left")


def normalise_values(values: pd.DataFrame) -> pd.DataFrame:
    """The value columns with plain types: year int, unit '' for missing, numbers float.

    The engine's ``level`` (合格 / 不合格 / 限制招生, the level a value reached) becomes
    ``standard_level`` so it never collides with a school's level (高职 / 中职)."""
    values = values.rename(columns={"level": "standard_level"})
    out = values.reindex(columns=list(dict.fromkeys(VALUE_COLUMNS + list(values.columns)))).copy()
    out["school_id"] = out["school_id"].astype(str)
    out["year"] = pd.to_numeric(out["year"]).astype("int64")
    out["unit"] = out["unit"].fillna("").astype(str)
    out["layer"] = out["layer"].astype(str)
    out["indicator_id"] = out["indicator_id"].astype(str)
    for col in ("value", "numerator", "denominator", "n"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    return out


#: Units of a summed measure whose sum still counts events (people, courses, enterprises, things)
COUNT_UNITS = frozenset({"人", "门", "个", "家", "项", "所", "次", "人次"})


def counts_events(models: object, measure_id: str | None) -> bool:
    """Whether a measure counts events (rows, or a sum of counts): its noise is Poisson."""
    measure = models.measures.get(measure_id) if measure_id else None
    if measure is None or measure.python is not None:
        return False
    return measure.agg in ("count", "distinct_count") or (measure.agg == "sum" and measure.unit in COUNT_UNITS)


def meta_from_models(models: object) -> dict[str, IndicatorMeta]:
    """Indicator metadata from the engine's :class:`diagnostics.models.ModelSet`."""
    out = {}
    for ind in models.indicators.values():
        counted = ind.measure if ind.kind == "measure" else ind.numerator if ind.kind == "ratio" else None
        out[ind.id] = IndicatorMeta(ind.id, ind.name_zh, ind.name_en, ind.unit,
                                    "lower" if ind.direction == "lower_is_better" else "higher", tuple(ind.items),
                                    counts_events(models, counted), ind.factor)
    return out
