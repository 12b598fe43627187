"""Enterprises, the schools' cooperation with them, and final-year internships."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import catalogue as cat
from .draws import (
    digits_towards,
    pick,
    province_rng,
    quota,
    school_rng,
    split_counts,
    text,
    with_first_digits,
)
from .programs import SchoolPrograms
from .roster import Province

RETAIN = 0.92
_B36 = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))  # characters used in credit codes


@dataclass
class Registry:
    """Enterprises of the province (shared by schools)."""

    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray
    group: np.ndarray


def make_registry(province: Province) -> Registry:
    """Enterprises with credit-code-like ids and invented names, in the schools' cities mostly."""
    rng = province_rng(province.seed, 2)
    n = int(province.schools["n_partners"].sum() * 1.4) + 50
    city = np.where(rng.random(n) < 0.8, rng.choice(province.schools["city_idx"].to_numpy(), n),
                    rng.integers(0, len(cat.CITIES), n))
    group = rng.integers(0, len(cat.GROUPS), n)
    trade = np.array(list(cat.ENTERPRISE_TRADE))
    words = [cat.ENTERPRISE_INDUSTRY.get(g, cat.GENERIC_INDUSTRY) for g in group]
    industry = np.array([w[k % len(w)] for w, k in zip(words, rng.integers(0, 1000, n))])
    stems = np.array([c.removesuffix("市") for c in cat.CITIES])[city]
    names = np.char.add(np.char.add(np.char.add(np.char.add(stems, trade[rng.integers(0, len(trade), n)]),
                                                trade[rng.integers(0, len(trade), n)]), industry), "有限公司")
    tail = rng.integers(0, len(_B36), (n, 10))
    ids = np.array([f"91{cat.PROVINCE_CODE}{c + 1:02d}{d:02d}" + "".join(_B36[t])
                    for c, d, t in zip(city, rng.integers(2, 29, n), tail)])
    _, first = np.unique(ids, return_index=True)
    keep = np.sort(first)
    return Registry(ids[keep], names[keep], city[keep], group[keep])


def _active_sets(rng: np.random.Generator, candidates: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """Positions in ``candidates`` active per year: most cooperation continues, some ends, new begins."""
    sets, used = [], 0
    active = np.zeros(0, np.int64)
    for size in sizes:
        active = active[rng.random(len(active)) < RETAIN]
        if len(active) > size:
            active = np.sort(rng.choice(active, size, replace=False))
        new = min(size - len(active), len(candidates) - used)
        active = np.r_[active, np.arange(used, used + new)]
        used += new
        sets.append(active)
    return sets


def partner_rows(province: Province, school: int, registry: Registry, progs: SchoolPrograms,
                 external: np.ndarray, money: np.ndarray) -> pd.DataFrame:
    """The ``partners`` rows of one school (``interns_received`` is filled from the internships).

    ``external`` is the number of 校外兼职 teachers per year, spread over the
    partners.  Donations are lognormal in size; their first digits complete
    the school's other money figures ``money`` towards Benford's law.
    """
    rng = school_rng(province.seed, school, "partners")
    row = province.schools.iloc[school]
    n = int(row.n_partners)
    w = np.where(registry.city == row.city_idx, 6.0, 1.0) * np.where(np.isin(registry.group, progs.groups), 4.0, 1.0)
    candidates = rng.choice(len(registry.ids), min(2 * n, len(w)), replace=False, p=w / w.sum())
    sizes = np.round(n * (1 + 0.015 * np.arange(province.years))).astype(int)
    sets = _active_sets(rng, candidates, sizes)
    k = len(candidates)
    prog_weights = progs.weights / progs.weights.sum()
    program = np.where(rng.random(k) < 0.7, rng.choice(len(progs.codes), k, p=prog_weights), -1)
    first_active = {int(c): t for t, s in reversed(list(enumerate(sets))) for c in s}
    years = np.array(province.year_list)
    for c, t in first_active.items():  # a partnership's program is one offered when it began
        if program[c] >= 0 and progs.opened[program[c]] > years[t]:
            program[c] = -1
    # what a partnership brings stays much the same from year to year
    base = rng.random(k) < 0.3
    order = np.where(rng.random(k) < 0.25, np.maximum(1, np.round(rng.integers(10, 46, k) * province.scale)), 0)
    courses = rng.poisson(0.8, k)
    gift = np.where(rng.random(k) < 0.85, np.exp(rng.normal(np.log(40000), 1.2, k)), 0.0)
    teachers = rng.gamma(0.8, 1.0, k)
    staff = np.round(np.exp(school_rng(province.seed, school, "employers").normal(np.log(400), 1.0, k))
                     ).astype(np.int64) + 60  # 在岗职工 (60 or more)
    frames = []
    for t, s in enumerate(sets):
        m = len(s)
        frames.append(pd.DataFrame({
            "year": years[t], "enterprise_id": registry.ids[candidates[s]],
            "enterprise_name": registry.names[candidates[s]],
            "program_code": np.where(program[s] >= 0, progs.codes[program[s].clip(0)], None),
            "order_students": order[s], "donated_equipment_value": gift[s] * rng.uniform(0.85, 1.15, m),
            "codeveloped_courses": courses[s],
            "industry_teachers": split_counts(int(external[t]), teachers[s]),
            "joint_training_base": base[s],
            "employees": staff[s],
        }))
    out = pd.concat(frames, ignore_index=True)
    given = out["donated_equipment_value"].to_numpy() > 0
    digits = digits_towards(rng, int(given.sum()), money)
    out.loc[given, "donated_equipment_value"] = np.round(
        with_first_digits(out.loc[given, "donated_equipment_value"].to_numpy(), digits))
    out.insert(0, "school_id", row.school_id)
    return out


def internship_rows(province: Province, school: int, finalists: pd.DataFrame, keys: np.ndarray,
                    progs: SchoolPrograms, partners: pd.DataFrame) -> pd.DataFrame:
    """Internships of the students who graduate this year, at that year's partners.

    ``finalists`` are the school's person records graduating in the horizon
    (``grad_year``), ``keys`` their student keys.
    """
    rng = school_rng(province.seed, school, "internships")
    t = finalists["grad_year"].to_numpy() - province.first_year
    takes = quota(t, province.plan["internship_share"][school][t], rng)
    t, keys, program = t[takes], keys[takes], finalists["program"].to_numpy()[takes]
    year = province.first_year + t
    enterprise = np.empty(len(t), object)
    for y in np.unique(year):
        ids = partners.loc[partners["year"] == y, "enterprise_id"].to_numpy()
        here = year == y
        enterprise[here] = ids[rng.integers(0, len(ids), here.sum())]
    groups = progs.groups[program]
    posts = np.empty(len(t), object)
    for g in np.unique(groups):
        posts[groups == g] = pick(rng, cat.POSTS.get(int(g), cat.GENERIC_POSTS), int((groups == g).sum()))
    compliant = province.realism.compliant  # a clean school tracks and assesses every internship
    return pd.DataFrame({
        "school_id": province.schools.school_id.iat[school], "year": year, "student_key": text(keys),
        "enterprise_id": text(enterprise), "post": text(posts),
        "matches_program": quota(t, province.plan["internship_match_rate"][school][t], rng),
        "insured": np.ones(len(t), bool), "months": rng.choice([3.0, 4.0, 5.0, 6.0], len(t), p=[0.1, 0.15, 0.25, 0.5]),
        "tracked": quota(t, np.full(len(t), 1.0 if compliant else 0.96), rng),
        "assessed": quota(t, np.full(len(t), 1.0 if compliant else 0.97), rng),
        "kind": "岗位实习", "post_employees": _post_staff(province, school, year, enterprise, posts, partners),
    })


def _post_staff(province: Province, school: int, year: np.ndarray, enterprise: np.ndarray, posts: np.ndarray,
                partners: pd.DataFrame) -> np.ndarray:
    """Staff in each intern's post at its employer: at least five times the interns there (the 20 % cap of
    教职成〔2021〕4号 第十一条), and about a twentieth of the employer's staff."""
    staff = partners.drop_duplicates(["year", "enterprise_id"]).set_index(["year", "enterprise_id"])["employees"]
    at = staff.reindex(pd.MultiIndex.from_arrays([year, enterprise])).to_numpy(dtype=float)
    where = pd.MultiIndex.from_arrays([year, enterprise, posts])
    per_post = pd.Series(1, index=where).groupby(level=[0, 1, 2]).size().reindex(where).to_numpy(dtype=float)
    noise = school_rng(province.seed, school, "posts").uniform(6.0, 12.0, len(year))
    return np.maximum(np.round(per_post * noise), np.round(np.nan_to_num(at) * 0.05)).astype(np.int64)


def count_interns(partners: pd.DataFrame, internships: pd.DataFrame) -> pd.DataFrame:
    """Fill ``interns_received`` with the number of internships at each partner and year, and keep every
    employer's staff at least ten times its interns (the 10 % cap of 教职成〔2021〕4号 第十一条)."""
    counts = internships.groupby(["year", "enterprise_id"]).size()
    idx = pd.MultiIndex.from_arrays([partners["year"], partners["enterprise_id"]])
    partners["interns_received"] = counts.reindex(idx, fill_value=0).to_numpy()
    partners["employees"] = np.maximum(partners["employees"], partners["interns_received"] * 12)
    return partners
