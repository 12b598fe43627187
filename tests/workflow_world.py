"""A small province with people in every role and a row of every kind for each school.

Schools: S1 江州职业技术学院 and S3 江州卫生学校 in 江州市, S2 海川财经学校 in 海川市.
Every school has a task, a target override, a school standard, a follow-up with a
comment and at least one review, all written through :class:`Access` by the
province officer; the school's name appears in free text on purpose (the
researcher must never see it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from conftest import PgDatabase
from sqlalchemy import Engine, select
from tiny_data import SCHOOLS, TEACHERS, write_tiny

from diagnostics.access import Access, Role, User
from diagnostics.store import init_db, make_engine, metadata
from diagnostics.store.workflow_schema import follow_up_comments, follow_ups

NAMES = {"S1": "江州职业技术学院", "S2": "海川财经学校", "S3": "江州卫生学校"}
SCHOOLS3 = SCHOOLS + "S3,江州卫生学校,中职,医学,江州市,公办,1990\n"
TARGETS = """school_id,year,indicator_id,target,set_by,program_code
S1,2023,dual_qualified_share,60,教务处,
S1,2023,dual_qualified_share,55,教务处,510201
S2,2023,生师比,18,,
"""
PROVINCE = User("prov", Role.PROVINCE)
USERS = {
    "prov": PROVINCE,
    "wang": User("wang", Role.SCHOOL, school_id="S1"),
    "li": User("li", Role.SCHOOL, school_id="S2"),
    "zhou": User("zhou", Role.CITY, city="江州市"),
    "exp1": User("exp1", Role.EXPERT, schools=frozenset({"S1"})),
    "exp2": User("exp2", Role.EXPERT, schools=frozenset({"S1", "S2"})),
    "res": User("res", Role.RESEARCHER),
}
# what each person may reach, and one school they must not
REACH = {"wang": ({"S1"}, "S2"), "li": ({"S2"}, "S1"), "zhou": ({"S1", "S3"}, "S2"), "exp1": ({"S1"}, "S2")}


def values_frame() -> pd.DataFrame:
    """Hand-made indicator values for every school, 2023 and 2024."""
    rows = []
    for school, base in (("S1", 50.0), ("S2", 40.0), ("S3", 30.0)):
        for year, step in ((2023, 0.0), (2024, 5.0)):
            rows.append((school, year, "school", "", "dual_qualified_share", base + step, None, None, 10, ""))
            rows.append((school, year, "school", "", "student_teacher_ratio", 20.0 - step, None, None, 100, ""))
    return pd.DataFrame(rows, columns=["school_id", "year", "layer", "unit", "indicator_id", "value",
                                       "numerator", "denominator", "n", "level"])


@dataclass
class World:
    engine: Engine
    folder: Path
    changed: Path  # the same data with a teacher of S1 and one of S2 changed
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> school -> row id
    values: pd.DataFrame = field(default_factory=values_frame)

    def access(self, who: str) -> Access:
        return Access(self.engine, USERS[who], values=self.values)


def build_world(engine: Engine, tmp_path: Path) -> World:
    tables = {"schools": SCHOOLS3, "targets": TARGETS}
    folder = write_tiny(tmp_path / "world_data", tables=tables)
    changed = write_tiny(tmp_path / "world_changed",
                         tables={**tables, "teachers": TEACHERS.replace(",320,", ",321,").replace(",400,", ",401,")})
    world = World(engine, folder, changed)
    prov = world.access("prov")
    result = prov.import_data(folder)
    assert result.ok, result.to_text()
    for user in USERS.values():
        prov.add_user(user.name, user.role, user.school_id, user.city, user.schools)
    ids: dict[str, dict[str, int]] = {k: {} for k in ("task", "target", "standard", "follow_up", "review",
                                                      "spot_record")}
    for school, name in NAMES.items():
        ids["task"][school] = prov.create_task(
            school, 2023, f"{name}双师素质教师比例偏低", indicator_id="dual_qualified_share",
            measure="安排企业实践", owner="教务处")["id"]
        ids["target"][school] = prov.set_target(school, 2024, "dual_qualified_share", 65,
                                                note=f"{name}年度目标")["id"]
        ids["standard"][school] = prov.set_target(school, 2024, "dual_qualified_share", 50, kind="standard")["id"]
        fu = prov.mark_follow_up(school, 2023, "dual_qualified_share", method="standard", note=f"关注{name}")
        prov.comment_follow_up(fu["id"], f"{name}已核实数据")
        ids["follow_up"][school] = fu["id"]
        prov.save_narrative(school, 2024, "overview", f"{name}坚持以质量为核心")
        prov.open_survey(school, 2024, "毕业生", 2)
    ids["review"]["S1"] = world.access("exp1").save_review("S1", 2023, "教师队伍建设", score=80,
                                                          conclusion="effective")["id"]
    world.access("exp2").save_review("S1", 2023, "教师队伍建设", score=70, conclusion="to_improve",
                                     comment="江州职业技术学院需加强")
    ids["review"]["S2"] = world.access("exp2").save_review("S2", 2023, "教师队伍建设", score=60,
                                                          conclusion="to_improve")["id"]
    ids["review"]["S3"] = prov.save_review("S3", 2023, "专业设置与条件", score=90, conclusion="effective")["id"]
    spot = prov.draw_spot_check(2024, 1, schools=3, records=2, kinds=("students", "teachers"))
    for school in sorted(set(spot["school_id"])):  # one record of each school checked, the other pending
        stored = prov.spot_check_records(school=school)
        ids["spot_record"][school] = int(stored["id"].iloc[0])
        prov.record_spot_check(int(stored["id"].iloc[0]), 1, "confirmed")
    world.ids = ids
    return world


def school_rows(engine: Engine, school: str) -> dict[str, list[tuple]]:
    """Every stored row that belongs to ``school``: rows with its school_id, and comments on its follow-ups."""
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if "school_id" in table.c:
                out[name] = sorted(map(tuple, conn.execute(select(table).where(table.c.school_id == school))),
                                   key=repr)
        ids = select(follow_ups.c.id).where(follow_ups.c.school_id == school)
        out["follow_up_comments"] = sorted(map(tuple, conn.execute(
            select(follow_up_comments).where(follow_up_comments.c.follow_up_id.in_(ids)))), key=repr)
    return out


@contextmanager
def fresh_store(kind: str, folder: Path) -> Iterator[Engine]:
    """An empty, migrated store on SQLite or on the PostgreSQL server (dropped afterwards)."""
    pg = PgDatabase() if kind == "postgresql" else None
    engine = make_engine(pg.url if pg else f"sqlite:///{folder / 'store.db'}")
    try:
        init_db(engine)
        yield engine
    finally:
        engine.dispose()
        if pg:
            pg.drop()


@contextmanager
def world_in(kind: str, folder: Path) -> Iterator[World]:
    """A built world in a fresh store, with its own ZHENGAI_HOME (for module-scoped fixtures)."""
    with pytest.MonkeyPatch.context() as mp, fresh_store(kind, folder) as engine:
        mp.setenv("ZHENGAI_HOME", str(folder / "home"))
        yield build_world(engine, folder)
