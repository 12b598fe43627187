"""Second pass over the model files: what they mean together.

Unknown tables, columns, codes, measures and indicators; expression types;
cycles among derived indicators; unit mismatches; layers a table cannot
serve; standards that do not fit the indicator's direction, overlap, or
contradict each other.  Every problem is a located :class:`ModelIssue`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..contract import BOOL, BY_NAME, CODE, DATE, IDNUMBER, STR, YEAR_TABLES
from .expr import Name, Node
from .exprtypes import ANY, BOOLEAN, NUMBER, TEXT, NameInfo, check, infer_unit
from .exprtypes import DATE as T_DATE
from .registry import MeasureRegistry
from .spec import ERROR, QUALIFIED, RESTRICTED, WARNING, Indicator, Measure, ModelIssue, Standard

TABLE_NAMES = tuple(t.name for t in YEAR_TABLES)
_FACTOR_PREFIX = {1.0: "", 100.0: "百", 1000.0: "千", 10000.0: "万"}
_DIMENSIONLESS = {1.0: "1", 100.0: "%", 1000.0: "‰"}


def column_info(table: str, column: str) -> NameInfo | None:
    """The type, codes and unit of a stored column of a per-year table."""
    ctable = BY_NAME.get(table)
    if ctable is None or table == "schools":
        return None
    if column == "year":
        return NameInfo(NUMBER)
    if column in ("id_hash", "id_problem") and "id_number" in ctable.field_names:
        return NameInfo(TEXT)
    if column not in ctable.field_names:
        return None
    f = ctable.field(column)
    if f.kind == IDNUMBER:
        return None  # never stored in clear
    kind = {BOOL: BOOLEAN, STR: TEXT, CODE: TEXT, DATE: T_DATE}.get(f.kind, NUMBER)
    return NameInfo(kind, f.codes, f.unit)


def has_program(table: str) -> bool:
    ctable = BY_NAME.get(table)
    return ctable is not None and "program_code" in ctable.field_names


def expected_unit(numerator: str, denominator: str | None, factor: float) -> str | None:
    """The unit a measure (× factor) or a ratio of two measures (× factor) must carry."""
    if denominator is None:
        if factor == 1.0:
            return numerator
        return _DIMENSIONLESS.get(factor) if numerator == "1" else None
    if numerator == denominator:
        return _DIMENSIONLESS.get(factor)
    prefix = _FACTOR_PREFIX.get(factor)
    return None if prefix is None else f"{numerator}/{prefix}{denominator}"


def per_hundred(found: str, parts: list, ind: Indicator) -> tuple[str, ...]:
    """The count-per-hundred spelling of a ×100 ratio of two counts of the same unit: awards per hundred
    graduates are 人/百人, not a percentage of graduates (a graduate may win none or several)."""
    if found != "%" or ind.kind != "ratio" or len(parts) != 2 or parts[0] is None:
        return ()
    unit = parts[0].unit
    return (f"{unit}/百{unit}",)


def _overlap(a: tuple, b: tuple) -> bool:
    return not a or not b or bool(set(a) & set(b))


def standards_overlap(a: Standard, b: Standard) -> bool:
    years_a = (a.from_year or -10**6, a.to_year or 10**6)
    years_b = (b.from_year or -10**6, b.to_year or 10**6)
    return (_overlap(a.school_levels, b.school_levels) and _overlap(a.categories, b.categories)
            and bool(set(a.layers) & set(b.layers))
            and years_a[0] <= years_b[1] and years_b[0] <= years_a[1])


class SemanticChecker:
    def __init__(self, measures: list[Measure], indicators: list[Indicator],
                 registry: MeasureRegistry) -> None:
        self.issues: list[ModelIssue] = []
        self.registry = registry
        self.measures: dict[str, Measure] = {}
        self.indicators: dict[str, Indicator] = {}
        for kind, items, seen in (("measure", measures, self.measures),
                                  ("indicator", indicators, self.indicators)):
            for item in items:
                if item.id in seen:
                    first = seen[item.id]
                    self.at(item, "id", f"重复的{'度量' if kind == 'measure' else '指标'} {item.id}"
                            f"（已在 {first.file} 声明）",
                            f"duplicate {kind} {item.id} (already declared in {first.file})")
                    continue
                seen[item.id] = item

    def at(self, obj: Measure | Indicator | Standard, sub: str, zh: str, en: str,
           level: str = ERROR, file: str | None = None) -> None:
        key = f"{obj.key}.{sub}" if sub else obj.key
        self.issues.append(ModelIssue(file or obj.file, key, zh, en, level))  # type: ignore[union-attr]

    def expr_errors(self, obj: Measure | Indicator, sub: str, node: Node, text: str,
                    errors: Iterable) -> None:
        for err in errors:
            self.at(obj, sub, f"{err.message_zh}（第 {err.pos + 1} 个字符，表达式 {text!r}）",
                    f"{err.message_en} (character {err.pos + 1} of {text!r})")

    # ----------------------------------------------------------------- measures
    def measure(self, m: Measure) -> None:
        if m.python is not None:
            if m.python in self.registry.failures:
                self.at(m, "python", f"度量函数 {m.python} 加载失败: {self.registry.failures[m.python]}",
                        f"measure function {m.python} failed to load: {self.registry.failures[m.python]}")
            elif m.python not in self.registry:
                self.at(m, "python", f"未注册的度量函数 {m.python}（入口点组 zhengai.measures）",
                        f"no measure function {m.python} is registered (entry points zhengai.measures)")
            return
        if m.table is None or m.agg is None:
            return
        if m.table not in TABLE_NAMES:
            close = difflib.get_close_matches(m.table, TABLE_NAMES, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            self.at(m, "table", f"未知的表 {m.table}（可选: {', '.join(TABLE_NAMES)}）",
                    f"unknown table {m.table} (tables: {', '.join(TABLE_NAMES)}){hint}")
            return

        def resolve(name: str) -> NameInfo | None:
            return column_info(m.table, name)  # type: ignore[arg-type]

        what = (f"表 {m.table} 的列", f"a column of table {m.table}")
        if m.filter is not None:
            kind, errors = check(m.filter, resolve, *what)
            self.expr_errors(m, "filter", m.filter, m.filter_text, errors)
            if kind not in (BOOLEAN, ANY):
                self.at(m, "filter", f"筛选条件应为真/假，实为 {kind}", f"a filter must be true/false, found {kind}")
        self.measure_expr(m, resolve, what)

    def measure_expr(self, m: Measure, resolve, what: tuple[str, str]) -> None:  # noqa: ANN001
        if m.agg == "count":
            if m.expr is not None:
                self.at(m, "expr", "count 计行数，不取 expr：条件请写在 filter",
                        "count counts rows and takes no expr: put conditions in filter")
            return
        if m.expr is None:
            if not m.expr_text:  # (an expression that did not parse is already reported)
                self.at(m, "expr", f"{m.agg} 需要 expr", f"{m.agg} needs an expr")
            return
        kind, errors = check(m.expr, resolve, *what)
        self.expr_errors(m, "expr", m.expr, m.expr_text, errors)
        wanted = {"sum": (NUMBER, BOOLEAN), "mean": (NUMBER, BOOLEAN), "share": (BOOLEAN,)}.get(m.agg)
        if wanted and kind not in (*wanted, ANY):
            self.at(m, "expr", f"{m.agg} 的 expr 应为 {'/'.join(wanted)}，实为 {kind}",
                    f"the expr of {m.agg} must be {'/'.join(wanted)}, found {kind}")
        if m.agg == "share" and m.unit and m.unit != "1":
            self.at(m, "unit", f"share 的单位应为 1（比例），实为 {m.unit}",
                    f"unit mismatch: a share has unit 1 (a fraction), found {m.unit}")
        if m.agg in ("sum", "mean") and isinstance(m.expr, Name) and m.unit:
            info = resolve(m.expr.id)
            if info is not None and info.unit and info.unit != m.unit:
                self.at(m, "unit", f"单位不一致: 列 {m.expr.id} 的单位是 {info.unit}，度量声明 {m.unit}",
                        f"unit mismatch: column {m.expr.id} is in {info.unit}, the measure says {m.unit}")

    def measure_layers(self, m: Measure) -> tuple[str, ...]:
        if m.python is not None:
            return m.layers
        return ("school", "program") if m.table and has_program(m.table) else ("school",)

    # --------------------------------------------------------------- indicators
    def indicator(self, ind: Indicator) -> None:
        for sub, name in (("measure", ind.measure), ("ratio.numerator", ind.numerator),
                          ("ratio.denominator", ind.denominator)):
            if name is not None and name not in self.measures:
                close = difflib.get_close_matches(name, list(self.measures), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                self.at(ind, sub, f"未知的度量 {name}", f"unknown measure {name}{hint}")
        if ind.expr is not None:
            def resolve(name: str) -> NameInfo | None:
                return NameInfo(NUMBER) if name in self.indicators else None

            kind, errors = check(ind.expr, resolve, "其他指标的 id", "the id of another indicator")
            self.expr_errors(ind, "expr", ind.expr, ind.expr_text, errors)
            if kind not in (NUMBER, ANY):
                self.at(ind, "expr", f"派生指标的表达式应为数值，实为 {kind}",
                        f"a derived indicator's expr must be a number, found {kind}")
        self.units(ind)
        self.layers_and_period(ind)
        self.standards(ind)

    def units(self, ind: Indicator) -> None:
        if not ind.unit:
            return
        if ind.expr is not None:
            def unit_of(name: str) -> str | None:
                other = self.indicators.get(name)
                return other.unit if other is not None and other.unit else None

            found, errors = infer_unit(ind.expr, unit_of)
            self.expr_errors(ind, "expr", ind.expr, ind.expr_text, errors)
        else:
            parts = [self.measures.get(n) for n in ind.measures]
            complete = len(parts) == (2 if ind.kind == "ratio" else 1)
            if not complete or any(p is None or not p.unit for p in parts):
                return
            den = parts[1].unit if ind.kind == "ratio" else None  # type: ignore[union-attr]
            found = expected_unit(parts[0].unit, den, ind.factor)  # type: ignore[union-attr]
        if found is not None and found != ind.unit and ind.unit not in per_hundred(found, parts, ind):
            self.at(ind, "unit", f"单位不一致: 按定义应为 {found}，声明为 {ind.unit}",
                    f"unit mismatch: the definition gives {found}, the indicator says {ind.unit}")

    def layers_and_period(self, ind: Indicator) -> None:
        for name in ind.measures:
            m = self.measures.get(name)
            if m is None:
                continue
            served = self.measure_layers(m)
            for layer in ind.layers:
                if layer not in served:
                    self.at(ind, "layers", f"度量 {name}（表 {m.table}）无法按 {layer} 层计算",
                            f"measure {name} (table {m.table}) cannot be computed at {layer} layer")
            table = BY_NAME.get(m.table or "")
            if table is not None and table.year_convention != ind.year_convention:
                self.at(ind, "period.year", f"度量 {name} 的表 {m.table} 按 {table.year_convention} 年度计，"
                        f"指标声明 {ind.year_convention}",
                        f"measure {name} reads table {m.table} ({table.year_convention} years), "
                        f"the indicator says {ind.year_convention}", level=WARNING)
        for name in ind.inputs:
            other = self.indicators.get(name)
            if other is not None:
                for layer in ind.layers:
                    if layer not in other.layers:
                        self.at(ind, "layers", f"所引用指标 {name} 没有 {layer} 层",
                                f"the indicator {name} it uses has no {layer} layer")

    def standards(self, ind: Indicator) -> None:
        want_op = ">=" if ind.direction == "higher_is_better" else "<="
        for i, std in enumerate(ind.standards):
            if ind.direction and std.op is not None and std.op != want_op:
                self.at(std, "op", f"标准方向 {std.op} 与指标方向 {ind.direction} 不符（应为 {want_op}）",
                        f"the standard's {std.op} does not fit the direction {ind.direction} "
                        f"(expected {want_op})", file=ind.file)
            bad_layers = [lay for lay in std.layers if lay not in ind.layers]
            if bad_layers:
                self.at(std, "layers", f"指标没有 {'、'.join(bad_layers)} 层",
                        f"the indicator has no {', '.join(bad_layers)} layer", file=ind.file)
            if std.from_year and std.to_year and std.from_year > std.to_year:
                self.at(std, "to_year", "to_year 早于 from_year", "to_year is before from_year", file=ind.file)
            for other in ind.standards[:i]:
                # a reference value (unverified) may sit beside the verified standard it stands in for
                if other.verified != std.verified or not standards_overlap(std, other):
                    continue
                if other.level == std.level:
                    self.at(std, "level", f"与 {other.key} 的 {std.level} 标准适用范围重叠",
                            f"overlaps the {std.level} standard {other.key}", file=ind.file)
                elif {other.level, std.level} == {QUALIFIED, RESTRICTED} and ind.direction:
                    self.restriction_order(ind, std, other)
            if std.verified and not (std.article and std.printed):
                self.at(std, "verified", "已核实的标准须写明 article（表或条款）与 printed（原文数值）",
                        "a verified standard names its article (table or article) and printed (the value as "
                        "printed)", file=ind.file)
        if ind.cards and not any(s.level == RESTRICTED for s in ind.standards):
            self.at(ind, "cards", "cards: true 需要至少一个限制招生标准",
                    "cards: true needs at least one 限制招生 standard")

    def aliases(self) -> None:
        """Every name (id, Chinese name, alias) belongs to one indicator only."""
        from .spec import normal_name

        owner: dict[str, Indicator] = {}
        for ind in self.indicators.values():
            for sub, name in [("id", ind.id), ("name_zh", ind.name_zh)] + [("aliases", a) for a in ind.aliases]:
                key = normal_name(name)
                other = owner.setdefault(key, ind)
                if other is not ind:
                    self.at(ind, sub, f"名称“{name}”已被指标 {other.id}（{other.name_zh}）使用",
                            f"the name '{name}' already belongs to the indicator {other.id} ({other.name_zh})")

    def restriction_order(self, ind: Indicator, a: Standard, b: Standard) -> None:
        qualified, restricted = (a, b) if a.level == QUALIFIED else (b, a)
        ok = (restricted.value < qualified.value if ind.higher_is_better
              else restricted.value > qualified.value)
        if not ok:
            side_zh, side_en = ("低于", "below") if ind.higher_is_better else ("高于", "above")
            self.at(restricted, "value",
                    f"限制招生值 {restricted.value:g} 应{side_zh}合格值 {qualified.value:g}（{ind.direction}）",
                    f"the 限制招生 level {restricted.value:g} does not fit the direction {ind.direction}: "
                    f"it must lie {side_en} the 合格 level {qualified.value:g}", file=ind.file)

    # ------------------------------------------------------------------- graph
    def cycles(self) -> list[str]:
        """Report every cycle among derived indicators; return a computation order."""
        order: list[str] = []
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def visit(name: str, path: list[str]) -> None:
            state[name] = 1
            for dep in self.indicators[name].inputs:
                if dep not in self.indicators:
                    continue
                if state.get(dep) == 1:
                    cycle = path[path.index(dep):] + [dep]
                    ind = self.indicators[dep]
                    self.at(ind, "expr", f"派生指标循环引用: {' → '.join(cycle)}",
                            f"cycle among derived indicators: {' → '.join(cycle)}")
                elif dep not in state:
                    visit(dep, path + [dep])
            state[name] = 2
            order.append(name)

        for name in self.indicators:
            if name not in state:
                visit(name, [name])
        return order

    def run(self) -> list[str]:
        for m in self.measures.values():
            self.measure(m)
        for ind in self.indicators.values():
            self.indicator(ind)
        self.aliases()
        return self.cycles()
