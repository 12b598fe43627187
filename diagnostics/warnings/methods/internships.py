"""Internships against 《职业学校学生实习管理规定》(教职成〔2021〕4号), each flag naming its record.

The rules read in the text (indicators/SOURCES.md, [R2021]) that the status data can check:

* 第十六条（一）: no 岗位实习 for first-year students (an intern whose entry year is the internship's year);
* 第十六条（二）: no 岗位实习 for students under 16 (age on 1 September of the internship's year);
* 第十二条: 岗位实习 generally lasts about 6 months (longer: a note, the text says 一般);
* 第十一条: the 岗位实习 interns of an employer generally at most 10 % of its staff (``partners.employees``),
  and of a post at most 20 % of the staff in that post (``internships.post_employees``) — when reported.

Insurance (第三十五条) is the rule ``uninsured_intern`` of ``rules.yaml``.  Every query reads the current
data in the database and returns only the failing records.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, extract, func, or_, select

from ..config import Thresholds
from ..current import current_versions, raw, read_frame
from ..flags import DATA_LAYER, Flag, data_unit
from .common import to_frame

DOC = "教职成〔2021〕4号《职业学校学生实习管理规定》"
PLACEMENT = "岗位实习"


# the year is the flag's own; a birth date is personal data the age already states
_NOT_EVIDENCE = ("year", "birth_date")


def _flag(cfg: Thresholds, rec: dict, unit: str, importance: str, article: str, rule: str, zh: str, en: str,
          observed: float | None = None, expected: str | None = None) -> Flag:
    return Flag(school_id=str(rec["school_id"]), year=int(rec["year"]), layer=DATA_LAYER, unit=unit,
                indicator_id=None, method="rule", severity=cfg.value(f"rules.severity_{importance}"),
                observed=observed, expected=expected, n=None, rule=f"{rule}（{article}）", source=f"{DOC} {article}",
                message_zh=zh, message_en=en, evidence={"article": article, **{k: rec[k] for k in rec if k not in _NOT_EVIDENCE}})


def _versions(school: str | None, year: int | None) -> object:
    """The ids of the current versions in scope (rows of two tables of one school-year share one)."""
    v = current_versions(school, year).subquery("i_versions")
    return select(v.c.version_id)


def _age_flags(engine: Engine, cfg: Thresholds, school: str | None, year: int | None) -> list[Flag]:
    i, s = raw("internships", "i_age"), raw("students", "s_age")
    # only candidates leave the database: first-year students, and those born in the internship's
    # year minus 16 or later (the exact age on 1 September is worked out below); the join follows the
    # students' primary key (version_id, student_key)
    candidate = or_(s.c.entry_year == i.c.year, extract("year", s.c.birth_date) >= i.c.year - 16)
    query = (select(i.c.school_id, i.c.year, i.c.student_key, s.c.entry_year, s.c.birth_date)
             .join(s, and_(s.c.version_id == i.c.version_id, s.c.student_key == i.c.student_key))
             .where(i.c.kind == PLACEMENT, candidate, i.c.version_id.in_(_versions(school, year))))
    found = read_frame(engine, query)
    born = pd.to_datetime(found["birth_date"], errors="coerce")
    age = found["year"] - born.dt.year - ((born.dt.month > 9) | ((born.dt.month == 9) & (born.dt.day > 1)))
    found = found.assign(age=age)  # whole years on 1 September of the internship's year
    flags: list[Flag] = []
    for rec in found[found["entry_year"] == found["year"]].to_dict("records"):
        flags.append(_flag(cfg, rec, data_unit("internships", rec["student_key"]), "high", "第十六条（一）",
                           "一年级学生不得参加岗位实习",
                           f"学生 {rec['student_key']} {int(rec['entry_year'])} 年入学，{int(rec['year'])} 学年即安排岗位实习"
                           "（一年级学生不得参加岗位实习）",
                           f"student {rec['student_key']}, who entered in {int(rec['entry_year'])}, is in a 岗位实习 "
                           f"placement in their first year {int(rec['year'])}"))
    for rec in found[found["age"] < 16].to_dict("records"):
        age = int(rec["age"])
        flags.append(_flag(cfg, rec, data_unit("internships", rec["student_key"]), "high", "第十六条（二）",
                           "未满 16 周岁的学生不得参加岗位实习",
                           f"学生 {rec['student_key']} 在 {int(rec['year'])} 学年初未满 16 周岁（{age} 岁），不得安排岗位实习",
                           f"student {rec['student_key']} is under 16 ({age}) at the start of {int(rec['year'])}: "
                           "no 岗位实习 placement", float(age), "≥ 16"))
    return flags


def _duration_flags(engine: Engine, cfg: Thresholds, school: str | None, year: int | None) -> list[Flag]:
    i = raw("internships", "i_months")
    found = read_frame(engine, select(i.c.school_id, i.c.year, i.c.student_key, i.c.months)
                       .where(i.c.kind == PLACEMENT, i.c.months > 6, i.c.version_id.in_(_versions(school, year))))
    return [_flag(cfg, rec, data_unit("internships", rec["student_key"]), "low", "第十二条", "岗位实习一般为 6 个月",
                  f"学生 {rec['student_key']} 的岗位实习为 {rec['months']:g} 个月，长于一般的 6 个月，请核对",
                  f"student {rec['student_key']}: a 岗位实习 of {rec['months']:g} months, longer than the usual 6",
                  float(rec["months"]), "≤ 6") for rec in found.to_dict("records")]


def _cap_flags(engine: Engine, cfg: Thresholds, school: str | None, year: int | None) -> list[Flag]:
    """第十一条: interns per employer ≤ 10 % of its staff; per post ≤ 20 % of the post's staff."""
    i, p = raw("internships", "i_cap"), raw("partners", "p_cap")
    versions = _versions(school, year)
    per_employer = (select(i.c.school_id, i.c.year, i.c.enterprise_id, func.count().label("interns"),
                           func.max(p.c.employees).label("staff"))
                    .join(p, and_(p.c.version_id == i.c.version_id, p.c.enterprise_id == i.c.enterprise_id))
                    .where(i.c.kind == PLACEMENT, p.c.employees.is_not(None), i.c.version_id.in_(versions))
                    .group_by(i.c.version_id, i.c.school_id, i.c.year, i.c.enterprise_id)
                    .having(func.count() > func.max(p.c.employees) * 0.1))
    flags = [_flag(cfg, rec, data_unit("partners", rec["enterprise_id"]), "medium", "第十一条",
                   "岗位实习学生一般不超过实习单位在岗职工总数的 10%",
                   f"企业 {rec['enterprise_id']} 接收本校岗位实习学生 {rec['interns']} 人，在岗职工 {rec['staff']} 人，"
                   f"超过 10%",
                   f"enterprise {rec['enterprise_id']}: {rec['interns']} interns of this school, {rec['staff']} staff — "
                   "more than 10%", float(rec["interns"]), f"≤ {rec['staff'] * 0.1:g}")
             for rec in read_frame(engine, per_employer).to_dict("records")]
    per_post = (select(i.c.school_id, i.c.year, i.c.enterprise_id, i.c.post, func.count().label("interns"),
                       func.max(i.c.post_employees).label("staff"))
                .where(i.c.kind == PLACEMENT, i.c.post_employees.is_not(None), i.c.version_id.in_(versions))
                .group_by(i.c.version_id, i.c.school_id, i.c.year, i.c.enterprise_id, i.c.post)
                .having(func.count() > func.max(i.c.post_employees) * 0.2))
    flags += [_flag(cfg, rec, data_unit("internships", f"{rec['enterprise_id']}/{rec['post']}"), "medium",
                    "第十一条", "同类岗位实习学生一般不超过该岗位在岗职工的 20%",
                    f"企业 {rec['enterprise_id']} 的“{rec['post']}”岗位有本校岗位实习学生 {rec['interns']} 人，"
                    f"该岗位在岗职工 {rec['staff']} 人，超过 20%",
                    f"enterprise {rec['enterprise_id']}, post {rec['post']}: {rec['interns']} interns, {rec['staff']} "
                    "staff in that post — more than 20%", float(rec["interns"]), f"≤ {rec['staff'] * 0.2:g}")
              for rec in read_frame(engine, per_post).to_dict("records")]
    return flags


def internship_flags(engine: Engine, cfg: Thresholds, school: str | None = None, year: int | None = None
                     ) -> pd.DataFrame:
    """Every internship record (or employer, or post) that breaks a checkable rule of the 2021 规定."""
    return to_frame([*_age_flags(engine, cfg, school, year), *_duration_flags(engine, cfg, school, year),
                     *_cap_flags(engine, cfg, school, year)])
