"""``completeness``: missing years, tables, fields and programs per school-year.

WHO data-quality tool (``shared/domain.md`` §7): reporting completeness ≥ 90% is expected.  The items
of a school-year are the required tables (``thresholds.yaml``: ``completeness.required_tables``) and
the contract's nullable fields of those tables (a field left empty in every row was not reported).
Flags: each missing table of a reported school-year, a share of items below the minimum, and each
program listed with no student records.  A school-year with no data at all is not flagged: the verdict
shows it as 未上报 (:mod:`..verdict`).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select

from ...contract import BY_NAME, IDNUMBER
from ...io.idnumber import MISSING
from ...store.schema import schools
from ..config import Thresholds
from ..current import current, current_versions, raw, read_frame
from ..flags import DATA_LAYER, Flag, data_unit
from .common import to_frame

SOURCE = "数据完整性：每学年应上报全部状态数据表，填报完整率不低于 90%"



def item_counts(engine: Engine, tables: list[str], school: str | None = None, year: int | None = None,
                by_program: tuple[str, ...] = ("students",)) -> pd.DataFrame:
    """Per school-year and table: rows, and for each nullable field the rows where it is filled.

    Tables in ``by_program`` are counted per program too (column ``program_code``; one scan of an
    index gives both the table's rows and the programs without records).  An ID number is filled
    unless the import marked it missing (``id_problem``, indexed), so no table scan is needed."""
    versions = current_versions(school, year).subquery()
    parts = []
    for name in tables:
        t = raw(name, f"c_{name}")
        fields = [f for f in BY_NAME[name].fields if f.nullable and f.required]
        filled = [func.sum(case((t.c[f.name].is_not(None), 1), else_=0)).label(f.name)
                  for f in fields if f.kind != IDNUMBER]
        keys = [t.c.version_id, *([t.c.program_code] if name in by_program else [])]
        per_version = (select(*keys, func.count().label("rows"), *filled)
                       .where(t.c.version_id.in_(select(versions.c.version_id))).group_by(*keys).subquery())
        frame = read_frame(engine, select(versions.c.school_id, versions.c.year,
                                          *[c for c in per_version.c if c.name != "version_id"])
                           .join(per_version, per_version.c.version_id == versions.c.version_id))
        ids = ["school_id", "year", *(["program_code"] if name in by_program else [])]
        long = frame.melt(id_vars=ids, var_name="item", value_name="count").assign(table=name)
        parts += [long, *[_id_numbers(engine, t, versions, long, f.name) for f in fields if f.kind == IDNUMBER]]
    return pd.concat(parts, ignore_index=True).reindex(
        columns=["school_id", "year", "table", "program_code", "item", "count"]) if parts else pd.DataFrame()


def _id_numbers(engine: Engine, t: object, versions: object, long: pd.DataFrame, item: str) -> pd.DataFrame:
    """Rows with an ID number per school-year: all rows less those the import marked missing."""
    missing = read_frame(engine, select(versions.c.school_id, versions.c.year, func.count().label("missing"))
                         .join(t, t.c.version_id == versions.c.version_id)
                         .where(t.c.id_problem == MISSING).group_by(versions.c.school_id, versions.c.year))
    rows = long[long["item"] == "rows"].groupby(["school_id", "year"], as_index=False)["count"].sum()
    rows = rows.merge(missing, on=["school_id", "year"], how="left").fillna({"missing": 0})
    return rows.assign(count=rows["count"] - rows["missing"], item=item, table=long["table"].iat[0]
                       if len(long) else "")[["school_id", "year", "table", "item", "count"]]


def _school_years(engine: Engine, school: str | None, year: int | None) -> pd.DataFrame:
    from ..verdict import school_years

    grid = school_years(read_frame(engine, current_versions()),
                        read_frame(engine, select(schools.c.school_id, schools.c.founded)))
    if school is not None:
        grid = grid[grid["school_id"] == school]
    if year is not None:
        grid = grid[grid["year"] == year]
    return grid


def _flag(school: str, year: int, unit: str, severity: str, observed: float | None, expected: str | None,
          rule: str, zh: str, en: str, evidence: dict, layer: str = DATA_LAYER) -> Flag:
    return Flag(school_id=school, year=year, layer=layer, unit=unit, indicator_id=None, method="completeness",
                severity=severity, observed=observed, expected=expected, n=None, rule=rule, source=SOURCE,
                message_zh=zh, message_en=en, evidence=evidence)


def completeness_flags(engine: Engine, cfg: Thresholds, school: str | None = None,
                       year: int | None = None) -> pd.DataFrame:
    tables = list(cfg.value("completeness.required_tables"))
    grid = _school_years(engine, school, year)
    flags: list[Flag] = []  # a school-year with no data at all is 未上报 in the verdict, not a warning
    by_program = item_counts(engine, tables, school, year)
    counts = by_program.groupby(["school_id", "year", "table", "item"], as_index=False)["count"].sum()
    reported = grid[grid["reported"]][["school_id", "year"]]
    rows: dict[tuple, dict[str, float]] = {}
    empty: dict[tuple, list[str]] = {}
    for sid, yr, table, item, n in counts.itertuples(index=False):  # plain loops: 1,500 school-years
        if item == "rows":
            rows.setdefault((sid, int(yr)), {})[table] = n
        elif n == 0:
            empty.setdefault((sid, int(yr)), []).append(f"{table}.{item}")
    for sid, yr in sorted(set(rows) | {(s, int(y)) for s, y in zip(reported["school_id"], reported["year"])}):
        flags += _school_year_flags(cfg, sid, yr, rows.get((sid, yr), {}), empty.get((sid, yr), []), tables)
    flags += _program_flags(engine, cfg, by_program, school, year)
    return to_frame(flags)


def _school_year_flags(cfg: Thresholds, school: str, year: int, rows: dict[str, float], fields: list[str],
                       tables: list[str]) -> list[Flag]:
    """Flags of one school-year from its row count per table and its empty fields (``table.field``)."""
    missing_tables = [t for t in tables if not rows.get(t)]
    expected_fields = sum(len([f for f in BY_NAME[t].fields if f.nullable and f.required]) for t in tables)
    present_fields = expected_fields - len(fields) - sum(
        len([f for f in BY_NAME[t].fields if f.nullable and f.required]) for t in missing_tables)
    share = (len(tables) - len(missing_tables) + present_fields) / (len(tables) + expected_fields)
    flags = [_flag(school, year, t, cfg.value("completeness.severity_missing_table"), 0.0, "> 0",
                   "状态数据表应按学年上报", f"{year} 学年缺少「{BY_NAME[t].zh}」（{t}）表",
                   f"table {t} ({BY_NAME[t].zh}) missing for {year}", {"table": t}) for t in missing_tables]
    if share < cfg.value("completeness.min_share"):
        flags.append(_flag(
            school, year, "", cfg.value("completeness.severity_low_share"), share,
            f"≥ {cfg.value('completeness.min_share'):.0%}", "上报完整率 ≥ 90%",
            f"{year} 学年数据完整率 {share:.0%}，低于 {cfg.value('completeness.min_share'):.0%}"
            f"（缺表：{'、'.join(missing_tables) or '无'}；缺字段：{'、'.join(fields) or '无'}）",
            f"data for {year} are {share:.0%} complete, below {cfg.value('completeness.min_share'):.0%} "
            f"(missing tables: {', '.join(missing_tables) or 'none'}; empty fields: {', '.join(fields) or 'none'})",
            {"missing_tables": missing_tables, "empty_fields": fields, "share": share}, layer="school"))
    return flags


def _program_flags(engine: Engine, cfg: Thresholds, counts: pd.DataFrame, school: str | None,
                   year: int | None) -> list[Flag]:
    """Programs listed for a school-year that has student records, but with none of its own."""
    p = current("programs", school, year)
    listed = read_frame(engine, select(p.c.school_id, p.c.year, p.c.program_code))
    students = counts[(counts["table"] == "students") & (counts["item"] == "rows") & (counts["count"] > 0)]
    with_students = listed.merge(students[["school_id", "year"]].drop_duplicates(), on=["school_id", "year"])
    empty = with_students.merge(students[["school_id", "year", "program_code"]], how="left", indicator=True)
    empty = empty[empty["_merge"] == "left_only"]
    return [_flag(str(r.school_id), int(r.year), data_unit("programs", r.program_code),
                  cfg.value("completeness.severity_missing_program"), 0.0, "> 0", "开设的专业应有学生数据",
                  f"专业 {r.program_code} 在 {r.year} 学年没有任何学生记录",
                  f"program {r.program_code} has no student records in {r.year}",
                  {"table": "programs", "key": r.program_code})
            for r in empty.itertuples(index=False)]
