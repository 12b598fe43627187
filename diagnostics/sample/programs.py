"""Programs of a school, their yearly intake, and their courses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import catalogue as cat
from .draws import school_rng, split_counts
from .params import PROGRAM_YEARS
from .roster import Province

MIN_INTAKE = 3


@dataclass
class SchoolPrograms:
    """The programs one school offers over the horizon.

    ``intake[p, j]`` is the planned number of entrants of program ``p`` in
    entry year ``entry_years[j]`` (the two years before the horizon included,
    so that the first year has all three grades).
    """

    codes: np.ndarray
    names: np.ndarray
    groups: np.ndarray
    opened: np.ndarray  # 开设年份
    is_key: np.ndarray
    weights: np.ndarray
    entry_years: np.ndarray
    intake: np.ndarray

    def open_in(self, year: int) -> np.ndarray:
        """Flags of the programs offered in ``year``."""
        return self.opened <= year


def make_programs(province: Province, school: int) -> SchoolPrograms:
    """Pick a school's programs from the catalogue and plan their intake."""
    row = province.schools.iloc[school]
    rng = school_rng(province.seed, school, "programs")
    catalogue = cat.PROGRAMS[row.level]
    affinity = cat.CATEGORY_GROUPS[row.category]
    w = np.array([affinity.get(p.group, 0.05) for p in catalogue])
    n = min(int(row.n_programs), len(catalogue))
    chosen = np.sort(rng.choice(len(catalogue), n, replace=False, p=w / w.sum()))
    first = province.first_year
    opened = rng.integers(max(int(row.founded), first - 25), first, n)
    n_new = int(province.years >= 2) * int((rng.random() < 0.5) + (rng.random() < 0.15))
    if n_new:
        opened[rng.choice(n, n_new, replace=False)] = rng.integers(first + 1, province.last_year + 1, n_new)
    weights = rng.gamma(3.0, 1.0, n) * np.where(opened >= first, 0.5, 1.0)
    entry_years = np.arange(first - PROGRAM_YEARS + 1, province.last_year + 1)
    intake = np.zeros((n, len(entry_years)), np.int64)
    for j, e in enumerate(entry_years):
        size = row.enrolment / PROGRAM_YEARS * (1 + row.growth) ** (e - first) * rng.uniform(0.99, 1.01)
        is_open = opened <= e
        total = max(int(round(size)), MIN_INTAKE * int(is_open.sum()))
        intake[is_open, j] = MIN_INTAKE + split_counts(total - MIN_INTAKE * int(is_open.sum()), weights[is_open])
    is_key = (rng.random(n) < 0.25) & (opened < first)
    return SchoolPrograms(
        codes=np.array([catalogue[k].code for k in chosen]),
        names=np.array([catalogue[k].name for k in chosen]),
        groups=np.array([catalogue[k].group for k in chosen]),
        opened=opened, is_key=is_key, weights=weights, entry_years=entry_years, intake=intake,
    )


def program_rows(province: Province, school: int, progs: SchoolPrograms, first_year_counts: np.ndarray) -> pd.DataFrame:
    """The ``programs`` rows of one school: ``first_year_counts[p, t]`` entrants per horizon year.

    Planned intake follows the school's planned fulfilment rate, with a little
    program-to-program variation.
    """
    rng = school_rng(province.seed, school, "programs")
    years = np.array(province.year_list)
    fulfil = province.plan["enrolment_fulfilment_rate"][school]
    t_idx, p_idx = np.nonzero(years[:, None] >= progs.opened[None, :])
    actual = first_year_counts[p_idx, t_idx]
    own = rng.uniform(0.97, 1.03, len(p_idx))
    planned = np.maximum(np.round(actual / np.minimum(fulfil[t_idx] * own, 1.0)), actual).astype(np.int64)
    return pd.DataFrame({
        "school_id": province.schools.school_id.iat[school], "year": years[t_idx],
        "program_code": progs.codes[p_idx], "program_name": progs.names[p_idx],
        "program_group": np.array(cat.GROUPS)[progs.groups[p_idx]], "first_year": progs.opened[p_idx],
        "is_key": progs.is_key[p_idx], "planned_intake": planned, "actual_intake": actual,
    })


def _course_names(level: str, program_name: str, group: int, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A program's course names (public courses first, closing courses last) and the public count."""
    public = list(cat.PUBLIC_COURSES[level][: rng.integers(6, 10)])
    core = list(cat.GROUP_COURSES.get(group, ()))
    own = [program_name.removesuffix("技术") + s for s in cat.PROGRAM_COURSE_SUFFIXES]
    total = int(rng.integers(15, 31))
    body = (core + list(rng.permutation(own)))[: max(0, total - len(public) - len(cat.CLOSING_COURSES))]
    return np.array(public + body + list(cat.CLOSING_COURSES)), len(public)


def _program_courses(level: str, code: str, name: str, group: int, rng: np.random.Generator,
                     first: int, last: int) -> dict[str, np.ndarray]:
    names, n_public = _course_names(level, name, group, rng)
    k = len(names)
    ctype = np.where(np.arange(k) < n_public, rng.choice(["A", "B"], k, p=[0.7, 0.3]),
                     rng.choice(["A", "B", "C"], k, p=[0.15, 0.65, 0.2]))
    ctype = np.where(np.isin(names, cat.CLOSING_COURSES), "C", ctype)
    hours = np.where(ctype == "A", rng.choice([32, 48, 64], k), rng.choice([48, 64, 72, 96], k))
    hours = np.where(names == "岗位实习", 600, np.where(names == "毕业设计", 120, hours))
    share = rng.uniform(0.3, 0.6, k)
    practice = np.where(ctype == "A", 0, np.where(ctype == "C", hours, np.round(hours * share / 8) * 8))
    return {
        "course_code": np.array([f"{code}{i + 1:02d}" for i in range(k)]), "course_name": names,
        "course_type": ctype, "hours": hours.astype(np.int64), "practice_hours": practice.astype(np.int64),
        "co_year": np.where(rng.random(k) < 0.35, rng.integers(first - 12, last + 8, k), 9999),
        "online_year": np.where(rng.random(k) < 0.7, rng.integers(first - 10, last + 6, k), 9999),
        "taught_by_industry_hours": np.where((ctype != "A") & (rng.random(k) < 0.35),
                                             np.round(practice * rng.uniform(0.1, 0.5, k)), 0).astype(np.int64),
    }


def course_rows(province: Province, school: int, progs: SchoolPrograms) -> pd.DataFrame:
    """The ``courses`` rows of one school: each program's plan, the same every year it is offered.

    Co-development with enterprises and online resources spread over the years.
    """
    rng = school_rng(province.seed, school, "courses")
    level = province.schools.level.iat[school]
    per_program = [_program_courses(level, str(code), str(progs.names[p]), int(progs.groups[p]), rng,
                                    province.first_year, province.last_year) for p, code in enumerate(progs.codes)]
    cols = {k: np.concatenate([c[k] for c in per_program]) for k in per_program[0]}
    program = np.repeat(np.arange(len(progs.codes)), [len(c["course_code"]) for c in per_program])
    years = np.array(province.year_list)
    t_idx, c_idx = np.nonzero(years[:, None] >= progs.opened[program][None, :])
    year = years[t_idx]
    return pd.DataFrame({
        "school_id": province.schools.school_id.iat[school], "year": year,
        "program_code": progs.codes[program[c_idx]], "course_code": cols["course_code"][c_idx],
        "course_name": cols["course_name"][c_idx], "course_type": cols["course_type"][c_idx],
        "hours": cols["hours"][c_idx], "practice_hours": cols["practice_hours"][c_idx],
        "enterprise_codeveloped": cols["co_year"][c_idx] <= year, "online_resources": cols["online_year"][c_idx] <= year,
        "taught_by_industry_hours": cols["taught_by_industry_hours"][c_idx],
    })
