"""All tables of one batch of schools, from the person records and the plan."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .draws import school_rng
from .faults import Faults
from .measures import indicator_values
from .outcomes import graduate_rows, survey_rows
from .params import FULL_TIME_MODES, STUDY_MODE_WEIGHT
from .partners import Registry, count_interns, internship_rows, partner_rows
from .people import MODES, student_keys, student_rows
from .programs import SchoolPrograms, course_rows, program_rows
from .record_faults import (
    FACILITY_MONEY,
    FINANCE_MONEY,
    fabricate,
    plant_ghost,
    plant_mismatch,
    plant_uninsured,
)
from .resources import facility_rows, finance_rows
from .roster import Province
from .staff import teacher_rows
from .targets import target_rows

_MODE_WEIGHT = np.array([STUDY_MODE_WEIGHT[m] for m in MODES])
_MODE_FULL = np.array([m in FULL_TIME_MODES for m in MODES], float)


@dataclass
class World:
    """What every school's tables are drawn from."""

    province: Province
    programs: list[SchoolPrograms]
    codes: np.ndarray  # program codes of all schools, concatenated
    registry: Registry
    faults: Faults


def _school_tables(world: World, school: int, persons: pd.DataFrame) -> dict[str, pd.DataFrame]:
    province, progs = world.province, world.programs[school]
    first, years = province.first_year, province.years
    keys = student_keys(persons)
    students, idx = student_rows(persons, province.schools["school_id"].to_numpy(), world.codes, keys)
    t_row = students["year"].to_numpy() - first
    enrolled = students["status"].to_numpy() == "在籍"
    mode = persons["mode"].to_numpy()[idx]
    weighted = np.bincount(t_row[enrolled], _MODE_WEIGHT[mode[enrolled]], years)
    full_time = np.bincount(t_row[enrolled], _MODE_FULL[mode[enrolled]], years)
    new = persons["entry"].to_numpy() >= first
    entrants = np.bincount(persons["program"].to_numpy()[new] * years + persons["entry"].to_numpy()[new] - first,
                           minlength=len(progs.codes) * years).reshape(len(progs.codes), years)
    t = {"students": students, "programs": program_rows(province, school, progs, entrants),
         "courses": course_rows(province, school, progs),
         "teachers": teacher_rows(province, school, progs, weighted)}
    emp, t_year = t["teachers"]["employment"].to_numpy(), t["teachers"]["year"].to_numpy() - first
    n_full = np.bincount(t_year[emp == "专任"], minlength=years)
    n_ext = np.bincount(t_year[emp == "校外兼职"], minlength=years)
    t["facilities"] = facility_rows(province, school, weighted, full_time)
    t["finance"] = finance_rows(province, school, full_time, n_full)
    money = np.r_[t["finance"][list(FINANCE_MONEY)].to_numpy().ravel(),
                  t["facilities"][list(FACILITY_MONEY)].to_numpy().ravel()]
    t["partners"] = partner_rows(province, school, world.registry, progs, n_ext, money)
    grad = persons["grad_year"].to_numpy()
    finalists = (grad >= first) & (grad <= province.last_year)
    t["graduates"] = graduate_rows(province, school, persons[finalists], keys[finalists], world.codes)
    t["internships"] = internship_rows(province, school, persons[finalists], keys[finalists], progs, t["partners"])
    _plant_record_faults(world, school, t, persons, keys)
    count_interns(t["partners"], t["internships"])
    n_grads = np.bincount(t["graduates"]["year"].to_numpy() - first, minlength=years)
    n_partners = np.bincount(t["partners"]["year"].to_numpy() - first, minlength=years)
    t["surveys"] = survey_rows(province, school, np.bincount(t_row[enrolled], minlength=years), n_grads,
                               n_partners, n_full)
    return t


def _plant_record_faults(world: World, school: int, t: dict[str, pd.DataFrame], persons: pd.DataFrame,
                         keys: np.ndarray) -> None:
    """Fabricate the school's money figures and plant its record-level faults (in ``t``)."""
    province, faults = world.province, world.faults
    sid, first = province.schools["school_id"].iat[school], province.first_year
    rng = school_rng(province.seed, school, "faults")
    if school in faults.fabricated:
        fabricate(school_rng(province.seed, school, "fabricate"), faults.fabricated[school],
                  t["facilities"], t["finance"], t["partners"])
    for (s, tt), count in sorted(faults.uninsured.items()):
        if s == school:
            plant_uninsured(rng, faults, sid, first + tt, count, t["internships"])
    for (s, tt), table in sorted(faults.ghosts.items()):
        if s == school:
            t[table] = plant_ghost(rng, faults, sid, first + tt, table, persons, keys, world.programs[school],
                                   t[table], t["partners"])
    for s, tt, kind in faults.mismatches:
        if s == school:
            plant_mismatch(rng, faults, sid, first + tt, kind, t)


def batch_tables(world: World, schools: range, persons: pd.DataFrame, bounds: np.ndarray
                 ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The tables of some schools (``bounds`` delimit each school's persons) and their indicator values."""
    per_school = [_school_tables(world, s, persons.iloc[bounds[s]:bounds[s + 1]]) for s in schools]
    tables = {name: pd.concat([p[name] for p in per_school], ignore_index=True) for name in per_school[0]}
    values = indicator_values(tables)
    targets = []
    for s, p in zip(schools, per_school):
        sid = world.province.schools["school_id"].iat[s]
        targets.append(target_rows(world.province, s, values.loc[sid], p["programs"], world.faults))
    tables["targets"] = pd.concat(targets, ignore_index=True)
    return tables, values
