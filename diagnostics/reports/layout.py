"""The report layout (``templates/layout.yaml``): items, headline figures, quality-report table rows.

The layout lives beside the templates so a province restyles its reports in one folder
(``ZHENGAI_REPORT_TEMPLATES`` points at a copy).  Unknown keys and unknown indicator ids are
errors, all reported at once.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..models.spec import ModelSet

TEMPLATES_ENV = "ZHENGAI_REPORT_TEMPLATES"
PACKAGED = Path(__file__).with_name("templates")
_SCHOOL_KEYS = {"title", "items", "key_figures", "top_problems", "problems_per_item", "trend_indicators",
                "programs_per_item"}
_PROVINCE_KEYS = {"title", "key_indicators", "frequent_warnings", "ranking"}
_RANKING_KEYS = {"replicates", "interval", "seed"}
_TABLE_KEYS = {"key", "title", "note", "rows"}
_ROW_KEYS = {"label", "indicator", "unit", "note"}


class LayoutError(ValueError):
    """The layout file has unknown keys or names unknown indicators."""


def templates_dir() -> Path:
    """The folder of templates and layout in use (``$ZHENGAI_REPORT_TEMPLATES`` or the packaged one)."""
    override = os.environ.get(TEMPLATES_ENV, "").strip()
    return Path(override).expanduser() if override else PACKAGED


@dataclass(frozen=True)
class RowSpec:
    label: str
    indicator: str | None = None
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    rows: tuple[RowSpec, ...]
    note: str = ""


@dataclass(frozen=True)
class SchoolLayout:
    title: str
    items: tuple[str, ...]
    key_figures: tuple[str, ...]
    top_problems: int = 5
    problems_per_item: int = 12
    trend_indicators: int = 4
    programs_per_item: int = 8


@dataclass(frozen=True)
class ProvinceLayout:
    title: str
    key_indicators: tuple[str, ...]
    frequent_warnings: int = 10
    replicates: int = 400
    interval: float = 0.9
    seed: int = 2024


@dataclass(frozen=True)
class Layout:
    school: SchoolLayout
    province: ProvinceLayout
    quality_tables: tuple[TableSpec, ...]  # 高职 annual quality report
    quality_tables_secondary: tuple[TableSpec, ...] = ()  # 中职 annual quality report

    def quality_for(self, level: str) -> tuple[str, tuple[TableSpec, ...]]:
        """The title and the tables of the annual quality report of a school of ``level``."""
        if level == "中职" and self.quality_tables_secondary:
            return "中职学校质量年度报告数据表", self.quality_tables_secondary
        return "高职院校质量年度报告数据表" if level == "高职" else "质量年度报告数据表", self.quality_tables


def _unknown(where: str, data: dict, allowed: set[str], issues: list[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        issues.append(f"{where}: 未知的键 / unknown key(s) {', '.join(extra)}")


def _ids(where: str, ids: list[str], models: ModelSet | None, issues: list[str]) -> tuple[str, ...]:
    if models is not None:
        for i in ids:
            if i not in models.indicators:
                issues.append(f"{where}: 未知的指标 / unknown indicator {i!r}")
    return tuple(ids)


@lru_cache(maxsize=8)
def _read_yaml(path: str, _mtime_ns: int, _size: int) -> dict:
    """The parsed layout file, read again only when it changed (a batch builds hundreds of reports)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader


def load_layout(models: ModelSet | None = None, path: Path | None = None) -> Layout:
    """Read and check the layout; with ``models`` every indicator id must exist."""
    path = path or templates_dir() / "layout.yaml"
    stat = path.stat()
    data = copy.deepcopy(_read_yaml(str(path), stat.st_mtime_ns, stat.st_size))
    issues: list[str] = []
    _unknown("layout", data, {"school", "province", "quality_tables", "quality_tables_secondary"}, issues)
    school, province = data.get("school", {}), data.get("province", {})
    _unknown("school", school, _SCHOOL_KEYS, issues)
    _unknown("province", province, _PROVINCE_KEYS, issues)
    ranking = province.get("ranking", {})
    _unknown("province.ranking", ranking, _RANKING_KEYS, issues)
    tables = _tables("quality_tables", data, models, issues)
    secondary = _tables("quality_tables_secondary", data, models, issues)
    school_layout = SchoolLayout(
        title=str(school.get("title", "自我诊断与改进工作报告")), items=tuple(school.get("items", ())),
        key_figures=_ids("school.key_figures", school.get("key_figures", []), models, issues),
        **{k: int(school[k]) for k in ("top_problems", "problems_per_item", "trend_indicators",
                                       "programs_per_item") if k in school})
    province_layout = ProvinceLayout(
        title=str(province.get("title", "全省职业教育质量报告")),
        key_indicators=_ids("province.key_indicators", province.get("key_indicators", []), models, issues),
        frequent_warnings=int(province.get("frequent_warnings", 10)),
        **{k: type_(ranking[k]) for k, type_ in (("replicates", int), ("interval", float), ("seed", int))
           if k in ranking})
    if issues:
        raise LayoutError(f"{path}:\n" + "\n".join(issues))
    return Layout(school_layout, province_layout, tables, secondary)


def _tables(key: str, data: dict, models: ModelSet | None, issues: list[str]) -> tuple[TableSpec, ...]:
    tables = []
    for n, table in enumerate(data.get(key, [])):
        _unknown(f"{key}[{n}]", table, _TABLE_KEYS, issues)
        rows = []
        for m, row in enumerate(table.get("rows", [])):
            where = f"{key}[{n}].rows[{m}]"
            _unknown(where, row, _ROW_KEYS, issues)
            if row.get("indicator"):
                _ids(where, [row["indicator"]], models, issues)
            rows.append(RowSpec(str(row["label"]), row.get("indicator"), str(row.get("unit", "")),
                                str(row.get("note", ""))))
        tables.append(TableSpec(str(table["key"]), str(table["title"]), tuple(rows), str(table.get("note", ""))))
    return tuple(tables)
