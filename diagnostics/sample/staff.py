"""Teachers: a panel per school and employment type, followed year to year.

Most teachers stay from one year to the next under the same key; some leave
(and everyone at 60), newcomers fill the planned head count.  For 专任 teachers
the planned shares of graduate degrees, senior titles and dual qualification
are met exactly by choosing which newcomers (then which stayers) hold them;
when stayers already exceed a share, some of them leave for newcomers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .draws import school_rng
from .params import HIGHER
from .programs import SchoolPrograms
from .roster import Province

DEGREES = ("博士", "硕士", "学士", "无")
TITLES = ("正高", "副高", "中级", "初级", "无")
_ATTRS = ("birth_year", "grad", "phd", "no_degree", "senior", "full_prof", "low_title", "dual", "program")


@dataclass(frozen=True)
class Kind:
    """How one employment type behaves."""

    leave_rate: float
    program_share: float
    hours: tuple[int, int]
    practice_days: tuple[float, float]  # mean days: dual, not dual
    quotas: bool


FULL_TIME = Kind(0.04, 0.65, (240, 560), (22, 5), True)
EXTERNAL = Kind(0.2, 0.8, (40, 220), (0, 0), False)
INTERNAL = Kind(0.1, 0.0, (32, 128), (0, 0), False)


class _Panel:
    """Teachers ever present in one school's panel of one kind, as parallel arrays."""

    def __init__(self, capacity: int) -> None:
        self.a = {k: np.zeros(capacity, np.int64) for k in _ATTRS}
        self.n = 0

    def add(self, rng: np.random.Generator, n: int, year: int, initial: bool, shares: dict[str, float],
            phd_share: float) -> np.ndarray:
        idx = np.arange(self.n, self.n + n)
        self.n += n
        age = np.clip(rng.normal(42, 9, n) if initial else rng.normal(31, 5, n), 23, 59).astype(np.int64)
        a = self.a
        a["birth_year"][idx] = year - age
        a["grad"][idx] = rng.random(n) < shares["grad"]
        a["phd"][idx] = rng.random(n) < phd_share
        a["no_degree"][idx] = rng.random(n) < 0.08
        a["senior"][idx] = (rng.random(n) < shares["senior"] * 1.4) & (age >= 33)
        a["full_prof"][idx] = rng.random(n) < 0.2
        a["low_title"][idx] = np.where(age < 30, np.where(rng.random(n) < 0.7, 3, 4), np.where(rng.random(n) < 0.8, 2, 3))
        a["dual"][idx] = rng.random(n) < shares["dual"]
        a["program"][idx] = -1
        return idx


def _fit(panel: _Panel, rng: np.random.Generator, attr: str, target: int, active: np.ndarray,
         joiners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Make exactly ``target`` of ``active`` hold ``attr``; returns active, joiners and leavers."""
    has = panel.a[attr]
    gap = target - int(has[active].sum())
    stayers = np.setdiff1d(active, joiners)
    if gap > 0:
        order = _promotion_order(panel, rng, attr, joiners, stayers)
        order = order[has[order] == 0]
        has[order[:gap]] = 1
        return active, joiners, np.zeros(0, np.int64)
    if gap < 0:
        holders = rng.permutation(joiners[has[joiners] == 1])[: -gap]
        has[holders] = 0
        gap += len(holders)
    if gap < 0:
        leavers = rng.permutation(stayers[has[stayers] == 1])[: -gap]
        return np.setdiff1d(active, leavers), joiners, leavers
    return active, joiners, np.zeros(0, np.int64)


def _promotion_order(panel: _Panel, rng: np.random.Generator, attr: str, joiners: np.ndarray,
                     stayers: np.ndarray) -> np.ndarray:
    """Who gains ``attr`` first: newcomers then stayers, but the oldest stayers for a senior title."""
    if attr == "senior":
        both = np.r_[stayers, joiners]
        return both[np.argsort(panel.a["birth_year"][both] + rng.random(len(both)), kind="stable")]
    return np.r_[rng.permutation(joiners), rng.permutation(stayers)]


def _assign_programs(panel: _Panel, rng: np.random.Generator, kind: Kind, active: np.ndarray,
                     joiners: np.ndarray, weights: np.ndarray, open_now: np.ndarray) -> None:
    prog = panel.a["program"]
    w = np.where(open_now, weights, 0.0)
    takes = joiners[rng.random(len(joiners)) < kind.program_share]
    prog[takes] = rng.choice(len(w), len(takes), p=w / w.sum())
    if not kind.quotas:
        return
    for p in np.flatnonzero(open_now):  # every program keeps at least two of its own teachers
        short = 2 - int((prog[active] == p).sum())
        if short > 0:
            counts = np.bincount(prog[active][prog[active] >= 0], minlength=len(w))
            donors = active[(prog[active] == -1) | ((prog[active] >= 0) & (counts[prog[active].clip(0)] > 3))]
            prog[rng.permutation(donors)[:short]] = p


def _program_quotas(panel: _Panel, active: np.ndarray, open_now: np.ndarray, higher: bool) -> None:
    """Every open program keeps the teachers the establishment standards ask for (the realistic province's
    clean schools meet them): two of intermediate title or above (中职, 教职成〔2010〕12号 第七条); for 高职
    two of senior title and two dual-qualified of intermediate title or above (2000 暂行 第二条).  Teachers
    who hold the attribute move from programs with more than two of them (or from no program); where
    there are none, a teacher of the program is promoted."""
    a, prog = panel.a, panel.a["program"]

    def mid(i: np.ndarray) -> np.ndarray:
        return (a["senior"][i] == 1) | (a["low_title"][i] == 2)

    def senior(i: np.ndarray) -> np.ndarray:
        return a["senior"][i] == 1

    def dual_mid(i: np.ndarray) -> np.ndarray:
        return (a["dual"][i] == 1) & mid(i)

    def grant(attr: str) -> Callable[[int], None]:
        def give(i: int) -> None:
            if attr in ("senior", "dual"):
                a[attr][i] = 1
            if attr in ("mid", "dual") and a["senior"][i] == 0:
                a["low_title"][i] = 2
        return give

    rules = [(mid, grant("mid"))] + ([(senior, grant("senior")), (dual_mid, grant("dual"))] if higher else [])
    opened = np.flatnonzero(open_now)

    def spare(i: int) -> bool:
        """Whether teacher ``i`` may leave its program without taking it below two for any rule."""
        if prog[i] < 0:
            return True
        mates = active[prog[active] == prog[i]]
        return all(int(h(mates).sum()) > 2 for h, _ in rules if h(np.array([i]))[0])

    for holds, give in rules:
        for p in opened:
            mine = active[prog[active] == p]
            short = 2 - int(holds(mine).sum())
            for i in active[holds(active) & (prog[active] != p)]:
                if short <= 0:
                    break
                if spare(i):
                    prog[i], short = p, short - 1
            for i in mine[~holds(mine)][:max(short, 0)]:  # nobody to spare: promote a teacher of the program
                give(i)


def steady_counts(share: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Head counts holding an attribute per year: the planned share, rounded towards last year's share.

    Rounding each year on its own makes a small school's share jump by a
    whole teacher's worth; keeping the rounding that stays closest to the
    share reached the year before keeps it steady.
    """
    counts = np.zeros(len(sizes), np.int64)
    for t, (sh, n) in enumerate(zip(share, sizes)):
        options = np.unique([np.floor(sh * n), np.ceil(sh * n)])
        ref = sh if t == 0 else counts[t - 1] / sizes[t - 1] * share[t] / share[t - 1]
        counts[t] = int(options[np.argmin(np.abs(options / n - ref))])
    return counts


def _run_panel(province: Province, school: int, kind: Kind, sizes: np.ndarray, shares: dict[str, np.ndarray],
               progs: SchoolPrograms, rng: np.random.Generator) -> tuple[_Panel, list[dict[str, np.ndarray]]]:
    """Run one panel over the years; per year a snapshot of the active teachers' attributes (and ``idx``)."""
    panel = _Panel(int(sizes.max() + sizes.sum() * 2 + 10))
    counts = {k: steady_counts(v, sizes) for k, v in shares.items()}
    phd_share = 0.12 if province.schools.level.iat[school] == HIGHER else 0.02
    active = np.zeros(0, np.int64)
    by_year = []
    for t, year in enumerate(province.year_list):
        share_t = {k: float(v[t]) for k, v in shares.items()}
        if t:
            age = year - panel.a["birth_year"][active]
            active = active[(age < 60) & (rng.random(len(active)) >= kind.leave_rate)]
            if len(active) > sizes[t]:
                active = np.sort(rng.choice(active, sizes[t], replace=False))
        joiners = panel.add(rng, int(sizes[t]) - len(active), year, t == 0, share_t, phd_share)
        active = np.r_[active, joiners]
        if kind.quotas:
            for _ in range(3):
                for attr in ("grad", "senior", "dual"):
                    active, joiners, gone = _fit(panel, rng, attr, int(counts[attr][t]), active, joiners)
                    if len(gone):
                        new = panel.add(rng, len(gone), year, False, share_t, phd_share)
                        panel.a[attr][new] = 0
                        active, joiners = np.r_[active, new], np.r_[joiners, new]
        _assign_programs(panel, rng, kind, active, joiners, progs.weights, progs.open_in(year))
        if kind.quotas and province.realism.compliant:
            _program_quotas(panel, active, progs.open_in(year), province.schools.level.iat[school] == HIGHER)
        by_year.append({"idx": active, **{k: v[active].copy() for k, v in panel.a.items()}})
    return panel, by_year


def _rows(by_year: list[dict[str, np.ndarray]], years: list[int], kind: Kind, employment: np.ndarray,
          key_offset: int, codes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    a = {k: np.concatenate([snap[k] for snap in by_year]) for k in by_year[0]}
    idx = a["idx"]
    year = np.repeat(years, [len(snap["idx"]) for snap in by_year])
    degree = np.where(a["grad"] == 1, np.where(a["phd"] == 1, 0, 1), np.where(a["no_degree"] == 1, 3, 2))
    title = np.where(a["senior"] == 1, np.where(a["full_prof"] == 1, 0, 1), a["low_title"])
    dual = a["dual"] == 1
    practice = rng.poisson(np.where(dual, kind.practice_days[0], kind.practice_days[1]))
    code = np.where(a["program"] >= 0, codes[a["program"].clip(0)], None)
    return pd.DataFrame({
        "year": year, "teacher_key": np.char.add("T", np.char.zfill((idx + key_offset + 1).astype(str), 5)),
        "employment": employment[idx], "degree": np.array(DEGREES)[degree], "title": np.array(TITLES)[title],
        "dual_qualified": dual, "program_code": code, "enterprise_practice_days": practice,
        "teaching_hours": rng.integers(kind.hours[0], kind.hours[1] + 1, len(idx)), "birth_year": a["birth_year"],
    })


def teacher_rows(province: Province, school: int, progs: SchoolPrograms, weighted: np.ndarray) -> pd.DataFrame:
    """The ``teachers`` rows of one school, sized from its weighted enrolment per year.

    Full-time teachers: weighted enrolment ÷ (planned ratio × (1 + ½ external
    share)); external teachers: the planned share of full-time ones.
    """
    rng = school_rng(province.seed, school, "teachers")
    plan = {k: v[school] for k, v in province.plan.items()}
    ext_share = plan["external_per_fulltime"]
    full = np.maximum(np.round(weighted / (plan["student_teacher_ratio"] * (1 + 0.5 * ext_share))), 5).astype(np.int64)
    external = np.maximum(np.round(ext_share * full), 1).astype(np.int64)
    internal = np.maximum(np.round(plan["internal_per_fulltime"] * full), 1).astype(np.int64)
    shares = {"grad": plan["graduate_degree_teacher_share"], "senior": plan["senior_title_teacher_share"],
              "dual": plan["dual_qualified_share"]}
    ext_shares = {"grad": np.full(len(full), 0.25), "senior": np.full(len(full), 0.2), "dual": np.full(len(full), 0.6)}
    int_shares = {"grad": np.full(len(full), 0.4), "senior": np.full(len(full), 0.15), "dual": np.full(len(full), 0.1)}
    frames, offset = [], 0
    for kind, sizes, sh in ((FULL_TIME, full, shares), (EXTERNAL, external, ext_shares), (INTERNAL, internal, int_shares)):
        panel, by_year = _run_panel(province, school, kind, sizes, sh, progs, rng)
        if kind is EXTERNAL:
            employment = np.where(rng.random(panel.n) < 0.75, "校外兼职", "校外兼课")
        else:
            employment = np.full(panel.n, "专任" if kind is FULL_TIME else "校内兼课")
        frames.append(_rows(by_year, province.year_list, kind, employment, offset, progs.codes, rng))
        offset += panel.n
    out = pd.concat(frames, ignore_index=True).sort_values(["year", "teacher_key"], kind="stable")
    out.insert(0, "school_id", province.schools.school_id.iat[school])
    return out.reset_index(drop=True)
