"""``integrity``: student-status checks (学籍核查, ``shared/domain.md`` §6).

* invalid ID numbers: the import's check outcome ``students.id_problem`` (GB 11643-1999);
* duplicate registration: the same person (same keyed hash of the ID number) 在籍 at two schools in
  one year — found by hash, so schools never see each other's data; each school's flag names its own
  record and the other school, never the person or the hash;
* duplicate records: one person under two student keys at one school in one year;
* graduates and interns who were not students are declarative rules (``rules.yaml``, method
  ``integrity``) evaluated by :mod:`.rules`.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from ...io.idnumber import PROBLEM_EN, PROBLEM_ZH
from ..config import Thresholds
from ..current import current_versions, raw, read_frame
from ..flags import DATA_LAYER, Flag, data_unit
from .common import to_frame

SOURCE = "学籍核查：身份证号码校验（GB 11643-1999），杜绝虚假学籍、重复注册（行动计划）"


def _current_students(engine: Engine, condition: object, *columns: str, school: str | None = None,
                      year: int | None = None) -> pd.DataFrame:
    """``school_id, year`` and ``columns`` of the current student records meeting ``condition``.

    The query filters by ``condition`` alone (so its index drives it, whatever the planner knows);
    the few rows it returns are kept when their version is current and in scope."""
    s = raw("students", "s_cur")
    found = read_frame(engine, select(s.c.version_id, *[s.c[c] for c in columns]).where(condition(s)))
    versions = read_frame(engine, current_versions(school, year))
    return versions.merge(found, on="version_id").drop(columns="version_id")


def id_problem_flags(engine: Engine, cfg: Thresholds, school: str | None = None,
                     year: int | None = None) -> list[Flag]:
    # a range on id_problem, so its index finds the few problem records
    found = _current_students(engine, lambda s: s.c.id_problem > "", "student_key", "id_problem",
                              school=school, year=year)
    flags = []
    for rec in found.itertuples(index=False):
        code = str(rec.id_problem)
        flags.append(Flag(
            school_id=str(rec.school_id), year=int(rec.year), layer=DATA_LAYER,
            unit=data_unit("students", rec.student_key), indicator_id=None, method="integrity",
            severity=cfg.value(f"integrity.severity_{code}"), observed=None, expected=None, n=None,
            rule=f"GB 11643-1999 身份证号校验（{code}）", source=SOURCE,
            message_zh=f"学生 {rec.student_key}：{PROBLEM_ZH.get(code, code)}（问题学籍，需核实更正）",
            message_en=f"student {rec.student_key}: {PROBLEM_EN.get(code, code)} (problem record: verify and correct)",
            evidence={"table": "students", "key": rec.student_key, "id_problem": code}))
    return flags


def same_person_records(engine: Engine, school: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Current student records of every person recorded more than once in one year, at any school.

    One pass over the index (id_hash, year) finds the hashes with two records in a year (old versions
    included, so a few candidates are false); only their current records are read.  Columns:
    school_id, year, student_key, status, id_hash."""
    s = raw("students", "s_dup")
    candidates = (select(s.c.id_hash).where(s.c.id_hash > "").group_by(s.c.id_hash, s.c.year)
                  .having(func.count() > 1))
    found = _current_students(engine, lambda t: t.c.id_hash.in_(candidates), "student_key", "status", "id_hash")
    if year is not None:
        found = found[found["year"] == year]
    return found


def duplicate_registration_flags(engine: Engine, cfg: Thresholds, school: str | None = None,
                                 year: int | None = None, records: pd.DataFrame | None = None) -> list[Flag]:
    """Records whose person is 在籍 at another school in the same year (all schools are searched)."""
    found = same_person_records(engine, year=year) if records is None else records
    found = found[found["status"] == cfg.value("integrity.enrolled_status")]
    schools = found.groupby(["year", "id_hash"])["school_id"].agg(lambda x: sorted(set(x))).rename("schools")
    found = found.join(schools, on=["year", "id_hash"]).drop(columns="id_hash")
    found = found[found["schools"].map(len) > 1]
    if school is not None:
        found = found[found["school_id"] == school]
    flags = []
    for rec in found.itertuples(index=False):
        others = [o for o in rec.schools if o != rec.school_id]
        flags.append(Flag(
            school_id=str(rec.school_id), year=int(rec.year), layer=DATA_LAYER,
            unit=data_unit("students", rec.student_key), indicator_id=None, method="integrity",
            severity=cfg.value("integrity.severity_duplicate_registration"), observed=float(len(rec.schools)),
            expected="1", n=None, rule="同一学生一学年只能在一所学校在籍（按身份证号密钥哈希比对）", source=SOURCE,
            message_zh=(f"学生 {rec.student_key} 在 {rec.year} 学年同时在学校 {'、'.join(others)} 在籍"
                        "（重复注册，请两校核实）"),
            message_en=(f"student {rec.student_key} is also enrolled at school {', '.join(others)} in {rec.year} "
                        "(duplicate registration: both schools should check)"),
            evidence={"table": "students", "key": rec.student_key, "schools": list(rec.schools)}))
    return flags


def duplicate_record_flags(engine: Engine, cfg: Thresholds, school: str | None = None,
                           year: int | None = None, records: pd.DataFrame | None = None) -> list[Flag]:
    """One person under several student keys at one school in one year."""
    found = same_person_records(engine, year=year) if records is None else records
    if school is not None:
        found = found[found["school_id"] == school]
    flags = []
    for (sid, yr, _), part in found.groupby(["school_id", "year", "id_hash"]):
        keys = sorted(part["student_key"].astype(str))
        for key in keys if len(keys) > 1 else []:
            others = [k for k in keys if k != key]
            flags.append(Flag(
                school_id=str(sid), year=int(yr), layer=DATA_LAYER, unit=data_unit("students", key),
                indicator_id=None, method="integrity", severity=cfg.value("integrity.severity_duplicate_record"),
                observed=float(len(keys)), expected="1", n=None, rule="同一学生在本校一学年只有一条记录",
                source=SOURCE,
                message_zh=f"学生 {key} 与 {'、'.join(others)} 是同一人（身份证号相同），属重复记录",
                message_en=f"student {key} and {', '.join(others)} are the same person (same ID number): duplicate record",
                evidence={"table": "students", "key": key, "same_person_as": others}))
    return flags


def integrity_flags(engine: Engine, cfg: Thresholds, school: str | None = None,
                    year: int | None = None) -> pd.DataFrame:
    """Invalid IDs, duplicate registrations and duplicate records (ghosts: see ``rules.yaml``)."""
    records = same_person_records(engine, year=year)
    return to_frame(id_problem_flags(engine, cfg, school, year)
                    + duplicate_registration_flags(engine, cfg, school, year, records)
                    + duplicate_record_flags(engine, cfg, school, year, records))
