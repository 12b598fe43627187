"""First pass over a model file: its shape.

Every mapping is checked against a declared set of keys (an unknown key is an
error, with the nearest known key suggested), every value against its type or
its list of allowed values; expressions are parsed.  Whatever is sound is
built into :class:`Measure` / :class:`Indicator` objects so that the second
pass (``semantic.py``) can still report the problems of a half-broken file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from ..contract.tables import CATEGORIES, LEVELS
from .expr import ExprError, Node, parse
from .spec import (
    AGGREGATIONS,
    DIRECTIONS,
    ERROR,
    ITEMS,
    LAYERS,
    MISSING,
    PERIOD_KINDS,
    STANDARD_LEVELS,
    YEAR_CONVENTIONS,
    Indicator,
    Measure,
    ModelIssue,
    Standard,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass(frozen=True)
class Key:
    """The expected shape of one key's value."""

    type: str  # id | str | number | int | bool | list | map | maplist
    required: bool = False
    enum: tuple[Any, ...] | None = None
    spec: dict[str, Key] | None = None


STANDARD = {
    "level": Key("str", True, STANDARD_LEVELS),
    "value": Key("number", True),
    "op": Key("str", enum=(">=", "<=")),
    "school_levels": Key("list", enum=LEVELS),
    "categories": Key("list", enum=CATEGORIES),
    "layers": Key("list", enum=LAYERS),
    "from_year": Key("int"),
    "to_year": Key("int"),
    "source": Key("str", True),
    "verified": Key("bool", True),
    "article": Key("str"),
    "printed": Key("str"),
    "founded_from": Key("int"),
    "note": Key("str"),
}
MEASURE = {
    "id": Key("id", True),
    "name_zh": Key("str", True),
    "name_en": Key("str", True),
    "unit": Key("str", True),
    "table": Key("str"),
    "agg": Key("str", enum=AGGREGATIONS),
    "filter": Key("str"),
    "expr": Key("str"),
    "python": Key("str"),
    "layers": Key("list", enum=LAYERS),
    "description": Key("str"),
    "source": Key("str"),
}
INDICATOR = {
    "id": Key("id", True),
    "name_zh": Key("str", True),
    "name_en": Key("str", True),
    "definition_zh": Key("str", True),
    "definition_en": Key("str", True),
    "unit": Key("str", True),
    "direction": Key("str", True, DIRECTIONS),
    "layers": Key("list", enum=LAYERS),
    "items": Key("list", True, ITEMS),
    "period": Key("map", True, spec={"year": Key("str", True, YEAR_CONVENTIONS),
                                     "kind": Key("str", True, PERIOD_KINDS)}),
    "missing": Key("str", enum=MISSING),
    "measure": Key("id"),
    "factor": Key("number"),
    "ratio": Key("map", spec={"numerator": Key("id", True), "denominator": Key("id", True),
                              "factor": Key("number")}),
    "expr": Key("str"),
    "standards": Key("maplist", spec=STANDARD),
    "cards": Key("bool"),
    "weight": Key("number"),
    "aliases": Key("list"),
}
FILE = {
    "description": Key("str"),
    "measures": Key("maplist", spec=MEASURE),
    "indicators": Key("maplist", spec=INDICATOR),
}
_TYPE_NAMES = {"id": ("标识（小写字母、数字、下划线）", "an id (lower-case letters, digits, underscores)"),
               "str": ("文本", "text"), "number": ("数值", "a number"), "int": ("整数", "a whole number"),
               "bool": ("true/false", "true/false"), "list": ("列表", "a list"),
               "map": ("映射", "a mapping"), "maplist": ("映射的列表", "a list of mappings")}


class ShapeChecker:
    """Checks mappings against key specs, collecting issues for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[ModelIssue] = []

    def issue(self, key: str, zh: str, en: str, level: str = ERROR) -> None:
        self.issues.append(ModelIssue(self.file, key, zh, en, level))

    def mapping(self, obj: object, spec: dict[str, Key], path: str) -> dict[str, Any]:
        """The keys of ``obj`` whose values fit ``spec``; an issue for everything else."""
        if not isinstance(obj, dict):
            self.issue(path, "应为映射（键: 值）", "must be a mapping (key: value)")
            return {}
        clean: dict[str, Any] = {}
        for key, value in obj.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in spec:
                close = difflib.get_close_matches(str(key), list(spec), n=1)
                hint_zh = f"，是否应为 {close[0]}？" if close else ""
                hint_en = f"; did you mean {close[0]}?" if close else ""
                self.issue(where, f"未知键 {key}（允许: {', '.join(spec)}）{hint_zh}",
                           f"unknown key {key} (allowed: {', '.join(spec)}){hint_en}")
                continue
            checked = self.value(value, spec[key], where)
            if checked is not None:
                clean[key] = checked
        for key, kspec in spec.items():
            if kspec.required and key not in obj:
                self.issue(f"{path}.{key}" if path else key, f"缺少必填键 {key}", f"missing required key {key}")
        return clean

    def value(self, value: object, kspec: Key, where: str) -> Any:  # noqa: ANN401 - any YAML value
        kind = kspec.type
        ok = {
            "id": isinstance(value, str) and bool(ID_PATTERN.match(value)),
            "str": isinstance(value, str) and bool(value.strip()),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
            "map": isinstance(value, dict),
            "maplist": isinstance(value, list),
        }[kind]
        if not ok:
            zh, en = _TYPE_NAMES[kind]
            self.issue(where, f"应为{zh}，实为 {value!r}", f"must be {en}, found {value!r}")
            return None
        if kspec.enum is not None:
            items = value if kind == "list" else [value]
            bad = [v for v in items if v not in kspec.enum]  # type: ignore[union-attr]
            if bad:
                allowed = "、".join(map(str, kspec.enum))
                self.issue(where, f"不允许的值 {'、'.join(map(str, bad))}（可选: {allowed}）",
                           f"value {', '.join(map(str, bad))} not allowed (allowed: {', '.join(map(str, kspec.enum))})")
                return None
        if kind == "map":
            return self.mapping(value, kspec.spec or {}, where)
        if kind == "maplist":
            return [(self.mapping(item, kspec.spec or {}, self.item_path(where, i, item)),
                     self.item_path(where, i, item)) for i, item in enumerate(value)]  # type: ignore[arg-type]
        return value

    @staticmethod
    def item_path(where: str, index: int, item: object) -> str:
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ID_PATTERN.match(ident):
            return f"{where}.{ident}"
        return f"{where}[{index}]"

    def expression(self, text: str | None, where: str) -> Node | None:
        if text is None:
            return None
        try:
            return parse(text)
        except ExprError as exc:
            self.expr_issue(where, exc, text)
            return None

    def expr_issue(self, where: str, exc: ExprError, text: str) -> None:
        self.issue(where, f"{exc.message_zh}（第 {exc.pos + 1} 个字符，表达式 {text!r}）",
                   f"{exc.message_en} (character {exc.pos + 1} of {text!r})")


def build_measure(chk: ShapeChecker, raw: dict[str, Any], where: str) -> Measure | None:
    if "id" not in raw:
        return None
    python = raw.get("python")
    if python is not None and ({"table", "agg", "filter", "expr"} & raw.keys()):
        chk.issue(where, "python 度量不能再写 table/agg/filter/expr",
                  "a python measure takes no table/agg/filter/expr")
    elif python is None:
        for key in ("table", "agg"):
            if key not in raw:
                chk.issue(f"{where}.{key}", f"缺少 {key}（或改用 python）", f"missing {key} (or use python)")
        if "layers" in raw:
            chk.issue(f"{where}.layers", "layers 只用于 python 度量：表度量的层次由表决定",
                      "layers is only for python measures: a table measure's layers follow its table")
    return Measure(
        id=raw["id"], name_zh=raw.get("name_zh", ""), name_en=raw.get("name_en", ""),
        unit=raw.get("unit", ""), table=raw.get("table"), agg=raw.get("agg"),
        filter=chk.expression(raw.get("filter"), f"{where}.filter"),
        expr=chk.expression(raw.get("expr"), f"{where}.expr"),
        filter_text=raw.get("filter", ""), expr_text=raw.get("expr", ""),
        python=python, layers=tuple(raw.get("layers", ("school",))),
        description=raw.get("description", ""), source=raw.get("source", ""),
        file=chk.file, key=where,
    )


def build_standard(raw: dict[str, Any], where: str) -> Standard | None:
    if not {"level", "value", "source", "verified"} <= raw.keys():
        return None
    return Standard(
        level=raw["level"], value=float(raw["value"]),
        school_levels=tuple(raw.get("school_levels", ())), categories=tuple(raw.get("categories", ())),
        layers=tuple(raw.get("layers", ("school",))), from_year=raw.get("from_year"),
        to_year=raw.get("to_year"), source=raw["source"], verified=raw["verified"],
        note=raw.get("note", ""), op=raw.get("op"), key=where, article=raw.get("article", ""),
        printed=raw.get("printed", ""), founded_from=raw.get("founded_from"),
    )


def build_indicator(chk: ShapeChecker, raw: dict[str, Any], where: str) -> Indicator | None:
    if "id" not in raw:
        return None
    forms = [k for k in ("measure", "ratio", "expr") if k in raw]
    if len(forms) != 1:
        chk.issue(where, "指标须且只能有 measure、ratio、expr 之一",
                  f"an indicator needs exactly one of measure, ratio, expr (found {len(forms)})")
    if "factor" in raw and "measure" not in raw:
        chk.issue(f"{where}.factor", "顶层 factor 只用于 measure 指标（比率指标写在 ratio.factor）",
                  "a top-level factor is only for measure indicators (ratios use ratio.factor)")
    ratio = raw.get("ratio", {})
    period = raw.get("period", {})
    standards = [build_standard(s, w) for s, w in raw.get("standards", [])]  # located standards[i]
    return Indicator(
        id=raw["id"], name_zh=raw.get("name_zh", ""), name_en=raw.get("name_en", ""),
        unit=raw.get("unit", ""), direction=raw.get("direction", ""), definition_zh=raw.get("definition_zh", ""),
        definition_en=raw.get("definition_en", ""), layers=tuple(raw.get("layers", ("school",))),
        items=tuple(raw.get("items", ())), year_convention=period.get("year", "academic"),
        period_kind=period.get("kind", "stock"), missing=raw.get("missing", "skip_if_any_missing"),
        measure=raw.get("measure"), numerator=ratio.get("numerator"), denominator=ratio.get("denominator"),
        factor=float(ratio.get("factor", raw.get("factor", 1.0))),
        expr=chk.expression(raw.get("expr"), f"{where}.expr"), expr_text=raw.get("expr", ""),
        standards=tuple(s for s in standards if s is not None), cards=raw.get("cards", False),
        weight=float(raw.get("weight", 1.0)), file=chk.file, key=where,
        aliases=tuple(a.strip() for a in raw.get("aliases", ())),
    )


def check_file(data: object, file: str) -> tuple[list[Measure], list[Indicator], list[ModelIssue]]:
    """The first pass over one parsed YAML document."""
    chk = ShapeChecker(file)
    if data is None:
        chk.issue("", "文件为空", "the file is empty")
        return [], [], chk.issues
    top = chk.mapping(data, FILE, "")
    if "measures" not in top and "indicators" not in top and isinstance(data, dict):
        chk.issue("", "文件应包含 measures 或 indicators", "a model file holds measures or indicators")
    measures = [build_measure(chk, raw, where) for raw, where in top.get("measures", [])]
    indicators = [build_indicator(chk, raw, where) for raw, where in top.get("indicators", [])]
    return ([m for m in measures if m is not None], [i for i in indicators if i is not None], chk.issues)
