"""The composite management index of the selection (遴选), declared in YAML and checked here.

Every mapping is checked against its declared keys (an unknown key is an error, with the nearest
known key suggested), every value against its type; all problems are reported at once, each with
its path (``indicators[2].weight_range``).  See ``top30.yaml`` for a commented example.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..workflow.errors import InvalidChange

DEFAULT = Path(__file__).with_name("top30.yaml")
DIRECTIONS = ("higher_is_better", "lower_is_better")
TOP_KEYS = {"id", "name_zh", "name_en", "source", "top", "indicators", "eligibility", "resampling"}
REQUIRED_TOP = {"id", "name_zh", "name_en", "source", "indicators"}
INDICATOR_KEYS = {"id", "weight", "weight_range", "direction"}
ELIGIBILITY_KEYS = {"no_card", "no_open_warnings", "data_complete", "levels"}
WARNING_KEYS = {"methods", "severities"}
RESAMPLING_KEYS = {"bootstrap", "weight_draws", "interval", "seed"}


class SelectionSpecError(InvalidChange):
    """The index file is not valid; ``problems`` lists every problem as (path, zh, en)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("遴选指数配置有误：\n" + "\n".join(f"  {p}: {zh}" for p, zh, _ in problems),
                         "invalid selection index:\n" + "\n".join(f"  {p}: {en}" for p, _, en in problems))


@dataclass(frozen=True)
class Component:
    """One indicator of the index: its weight, the range the weight may vary in, and its direction."""

    id: str
    weight: float
    weight_range: tuple[float, float]
    direction: str

    @property
    def sign(self) -> float:
        return 1.0 if self.direction == "higher_is_better" else -1.0


@dataclass(frozen=True)
class SelectionSpec:
    """The parsed, valid index."""

    id: str
    name_zh: str
    name_en: str
    source: str
    components: tuple[Component, ...]
    top: int = 30
    no_card: tuple[str, ...] = ("红牌",)
    warning_methods: tuple[str, ...] = ("integrity",)
    warning_severities: tuple[str, ...] = ("red", "yellow")
    data_complete: bool = True
    levels: tuple[str, ...] = ()
    bootstrap: int = 500
    weight_draws: int = 1000
    interval: float = 0.9
    seed: int = 2024
    path: str = field(default="", compare=False)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str, str]] = []

    def add(self, path: str, zh: str, en: str) -> None:
        self.problems.append((path, zh, en))

    def keys(self, raw: Any, allowed: set[str], path: str, required: set[str] = frozenset()) -> dict:  # noqa: ANN401
        if not isinstance(raw, dict):
            self.add(path or "/", "应为映射（键: 值）", "must be a mapping")
            return {}
        for key in sorted(set(raw) - allowed, key=str):
            near = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint_zh, hint_en = (f"，是否应为 {near[0]}？", f" (did you mean {near[0]}?)") if near else ("", "")
            self.add(f"{path}.{key}".lstrip("."), f"未知的键{hint_zh}", f"unknown key{hint_en}")
        for key in sorted(required - set(raw)):
            self.add(f"{path}.{key}".lstrip("."), "缺少必填的键", "required key missing")
        return raw

    def number(self, value: Any, path: str, low: float = 0.0, high: float | None = None,  # noqa: ANN401
               integer: bool = False) -> float | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and (not integer or isinstance(value, int))
        if not ok or value < low or (high is not None and value > high):
            rng = f"{low}–{high}" if high is not None else f"≥ {low}"
            self.add(path, f"应为{'整数' if integer else '数'}，范围 {rng}", f"must be a{'n integer' if integer else ' number'} in {rng}")
            return None
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:  # noqa: ANN401
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(path, "应为字符串列表", "must be a list of strings")
            return ()
        return tuple(value)


def _component(c: _Checker, raw: Any, path: str) -> Component | None:  # noqa: ANN401
    item = c.keys(raw, INDICATOR_KEYS, path, {"id", "weight", "direction"})
    if not item:
        return None
    weight = c.number(item.get("weight"), f"{path}.weight", 0.0) if "weight" in item else None
    rng = item.get("weight_range", [weight, weight] if weight is not None else None)
    lo = hi = None
    if not (isinstance(rng, list) and len(rng) == 2):
        c.add(f"{path}.weight_range", "应为 [下限, 上限]", "must be [low, high]")
    else:
        lo, hi = c.number(rng[0], f"{path}.weight_range[0]"), c.number(rng[1], f"{path}.weight_range[1]")
        if None not in (lo, hi, weight) and not lo <= weight <= hi:
            c.add(f"{path}.weight_range", "权重应在其变动范围之内", "the weight must lie within its range")
    if item.get("direction") not in DIRECTIONS and "direction" in item:
        c.add(f"{path}.direction", f"应为 {' 或 '.join(DIRECTIONS)}", f"must be one of {', '.join(DIRECTIONS)}")
    if not isinstance(item.get("id"), str):
        if "id" in item:
            c.add(f"{path}.id", "应为指标编号", "must be an indicator id")
        return None
    if None in (weight, lo, hi) or item.get("direction") not in DIRECTIONS:
        return None
    return Component(item["id"], float(weight), (float(lo), float(hi)), item["direction"])


def parse_spec(raw: Any, path: str = "", known_indicators: set[str] | None = None) -> SelectionSpec:  # noqa: ANN401
    """The index of ``raw`` (the loaded YAML); :class:`SelectionSpecError` lists every problem."""
    c = _Checker()
    top = c.keys(raw, TOP_KEYS, "", REQUIRED_TOP)
    comps = []
    items = top.get("indicators", [])
    if not isinstance(items, list) or not items:
        c.add("indicators", "应为非空列表", "must be a non-empty list")
        items = []
    for i, item in enumerate(items):
        comp = _component(c, item, f"indicators[{i}]")
        if comp is not None:
            if known_indicators is not None and comp.id not in known_indicators:
                near = difflib.get_close_matches(comp.id, sorted(known_indicators), n=1)
                c.add(f"indicators[{i}].id", f"没有指标 {comp.id}" + (f"，是否应为 {near[0]}？" if near else ""),
                      f"no indicator {comp.id}" + (f" (did you mean {near[0]}?)" if near else ""))
            comps.append(comp)
    ids = [x.id for x in comps]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        c.add("indicators", f"指标 {dup} 重复", f"indicator {dup} appears twice")
    if comps and sum(x.weight for x in comps) <= 0:
        c.add("indicators", "权重之和必须大于 0", "the weights must sum to more than 0")
    kw: dict[str, Any] = {}
    if "top" in top:
        kw["top"] = c.number(top["top"], "top", 1, integer=True) or 30
    elig = c.keys(top.get("eligibility", {}), ELIGIBILITY_KEYS, "eligibility")
    if "no_card" in elig:
        kw["no_card"] = c.strings(elig["no_card"], "eligibility.no_card")
    if "levels" in elig:
        kw["levels"] = c.strings(elig["levels"], "eligibility.levels")
    if "data_complete" in elig:
        if not isinstance(elig["data_complete"], bool):
            c.add("eligibility.data_complete", "应为 true 或 false", "must be true or false")
        kw["data_complete"] = bool(elig["data_complete"])
    if "no_open_warnings" in elig:
        w = c.keys(elig["no_open_warnings"], WARNING_KEYS, "eligibility.no_open_warnings")
        if "methods" in w:
            kw["warning_methods"] = c.strings(w["methods"], "eligibility.no_open_warnings.methods")
        if "severities" in w:
            kw["warning_severities"] = c.strings(w["severities"], "eligibility.no_open_warnings.severities")
    res = c.keys(top.get("resampling", {}), RESAMPLING_KEYS, "resampling")
    for key, low, high, integer in (("bootstrap", 10, 100000, True), ("weight_draws", 10, 100000, True),
                                    ("interval", 0.5, 0.999, False), ("seed", 0, 2**63 - 1, True)):
        if key in res:
            kw[key] = c.number(res[key], f"resampling.{key}", low, high, integer) or getattr(SelectionSpec, key)
    for key in ("id", "name_zh", "name_en", "source"):
        if key in top and not isinstance(top[key], str):
            c.add(key, "应为文字", "must be text")
    if c.problems:
        raise SelectionSpecError(c.problems)
    return SelectionSpec(top["id"], top["name_zh"], top["name_en"], top["source"], tuple(comps), path=path, **kw)


def load_spec(path: str | Path | None = None, known_indicators: set[str] | None = None) -> SelectionSpec:
    """The index of the YAML file ``path`` (default: the packaged ``top30.yaml``)."""
    path = Path(path or DEFAULT)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SelectionSpecError([(str(path), f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}")]) from None
    return parse_spec(raw, str(path), known_indicators)
