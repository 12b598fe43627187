"""Where the planted faults go, how they change the plan, and their answer-key rows.

School-level faults (``below_standard``, ``sudden_drop``, ``peer_outlier``)
change the plan before any record exists, so every table stays consistent with
them; ``fabricated_finance`` and the record-level classes are applied to the
records (``record_faults``).  Each class goes to different schools where the
province is large enough.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .draws import province_rng
from .params import HIGHER, INDICATORS, standard
from .roster import Province

CLASSES = ("below_standard", "target_miss", "sudden_drop", "peer_outlier", "duplicate_registration",
           "bad_id_number", "uninsured_intern", "total_mismatch", "fabricated_finance", "ghost_graduate")
KEY_COLUMNS = ["fault_class", "school_id", "year", "table", "unit", "indicator_id", "record_key", "detail"]

BELOW = ("equipment_value_per_student", "books_per_student", "student_teacher_ratio", "teaching_admin_area_per_student")
DROPS = ("employment_rate", "equipment_value_per_student", "per_student_appropriation", "certificate_rate",
         "student_satisfaction", "job_relatedness_rate")
PEER_HIGH = ("per_student_appropriation", "equipment_value_per_student", "books_per_student")
PEER_LOW = ("employment_rate", "student_satisfaction")
MISMATCH = ("actual_intake", "aid_disbursed", "budget_executed", "new_books", "practice_hours", "new_equipment_value")
BAD_ID = ("check", "date", "sex", "birth_date")
FABRICATION = ("high_digits", "uniform")


@dataclass
class PlanFault:
    """A school-level fault: class, school (position), year positions, indicator."""

    cls: str
    school: int
    years: list[int]
    indicator: str


@dataclass
class Faults:
    """Every planted fault, and the answer-key rows written so far."""

    plan: list[PlanFault] = field(default_factory=list)
    fabricated: dict[int, str] = field(default_factory=dict)
    target_miss: set[tuple[int, int]] = field(default_factory=set)
    duplicates: list[tuple[int, int, int]] = field(default_factory=list)  # (from school, to school, year position)
    bad_ids: list[tuple[int, int, str]] = field(default_factory=list)  # (school, year position, kind)
    uninsured: dict[tuple[int, int], int] = field(default_factory=dict)
    ghosts: dict[tuple[int, int], str] = field(default_factory=dict)  # -> "graduates" | "internships"
    mismatches: list[tuple[int, int, str]] = field(default_factory=list)
    key: list[dict] = field(default_factory=list)
    faulty: set[int] = field(default_factory=set)  # schools that may carry faults (all, by default)

    def add_key(self, cls: str, school_id: str, year: int | None, table: str, unit: str = "",
                indicator: str = "", record: str = "", detail: str = "") -> None:
        self.key.append(dict(zip(KEY_COLUMNS, (cls, school_id, year, table, unit, indicator, record, detail))))


def _has_standard(level: str, indicator: str) -> bool:
    return indicator != "teaching_admin_area_per_student" or level == HIGHER


#: Where a verified standard of the library applies to a basic indicator (indicators/SOURCES.md): the 专科
#: rows read in the text of 教发〔2004〕2号 are 综合/师范/民族 and 工科/农/林; 中职 equipment and books per
#: student from the 2023 school-year (达标工程).  The realistic province plants shortfalls only there.
VERIFIED_HIGHER = ("综合", "师范", "民族", "工科", "农林")
SECONDARY_FROM = {"equipment_value_per_student": 2023, "books_per_student": 2023}


def _verified_below(level: str, category: str, indicator: str, first_year: int, years: int) -> int | None:
    """The first year position from which a verified standard judges ``indicator`` here, or None."""
    if level == HIGHER:
        return 0 if category in VERIFIED_HIGHER else None
    start = SECONDARY_FROM.get(indicator)
    return None if start is None or start > first_year + years - 1 else max(0, start - first_year)


class _Chooser:
    """Hands out schools: unused ones first, in a random order, then any that fits (among ``allowed``)."""

    def __init__(self, rng: np.random.Generator, n: int, allowed: np.ndarray | None = None) -> None:
        self.order = rng.permutation(n) if allowed is None else rng.permutation(allowed)
        self.busy: set[int] = set()
        self.indicators: dict[int, set[str]] = {i: set() for i in range(n)}

    def take(self, ok: Callable[[int], bool], indicator: str = "") -> int | None:
        for pass_busy in (False, True):
            for s in self.order:
                s = int(s)
                if (pass_busy or s not in self.busy) and indicator not in self.indicators[s] and ok(s):
                    self.busy.add(s)
                    if indicator:
                        self.indicators[s].add(indicator)
                    return s
        return None


def choose_faults(province: Province) -> Faults:
    """Decide where every fault class goes (deterministic for the seed)."""
    rng = province_rng(province.seed, 1)
    sch = province.schools
    n, years = len(sch), province.years
    level = sch["level"].to_numpy()

    def count(floor: int, rate: float) -> int:
        return max(floor, round(rate * n))

    faults = Faults()
    real = province.realism
    faulty = None
    if real.faulty_share < 1:  # the realistic province: faults go to a minority; the others stay clean
        faulty = np.sort(rng.choice(n, min(n, max(4, round(real.faulty_share * n))), replace=False))
    faults.faulty = set(range(n)) if faulty is None else {int(i) for i in faulty}
    pick = _Chooser(rng, n, faulty)
    category = sch["category"].to_numpy()
    for k in range(count(3, 0.08)):
        ind = BELOW[k % len(BELOW)]
        if real.middle_year_faults:
            s = pick.take(lambda i, ind=ind: _verified_below(level[i], category[i], ind, province.first_year,
                                                              years) is not None, ind)
            if s is None:
                continue
            first = _verified_below(level[s], category[s], ind, province.first_year, years)
            start = int(rng.integers(max(1, first), years)) if years >= 2 else 0
        else:
            s = pick.take(lambda i, ind=ind: _has_standard(level[i], ind), ind)
            start = int(rng.integers(1, min(2, years - 1) + 1)) if years >= 2 else 0
        if s is not None:
            faults.plan.append(PlanFault("below_standard", s, list(range(start, years)), ind))
    if years >= 4:
        for k in range(count(3, 0.08)):
            ind = DROPS[k % len(DROPS)]
            s = pick.take(lambda i: True, ind)
            if real.middle_year_faults and years >= 5:  # three years before it, at least one after it
                t = int(rng.integers(3, years - 1))
            else:
                t = years - 1 if rng.random() < 0.5 else int(rng.integers(3, years))
            if s is not None:
                faults.plan.append(PlanFault("sudden_drop", s, [t], ind))
    sizes = sch["peer"].map(sch["peer"].value_counts()).to_numpy()
    # one school-level fault per indicator and peer group, so the other peers stay a clean reference
    peer_used = {(sch["peer"].iat[f.school], f.indicator) for f in faults.plan}
    for k in range(count(3, 0.08)):
        persistent = k % 3 == 0  # a third stand out every year; the others for one year only
        if real.middle_year_faults:  # a fall far below the peers (the bad direction), in a middle year
            options = np.roll((*PEER_LOW, *PEER_HIGH), -k)
            once = [int(rng.integers(1, years - 1))] if years >= 3 else [years - 1]
        else:  # the default sample: upward spikes in the last year
            options = np.roll((*PEER_LOW, *PEER_HIGH) if persistent else PEER_HIGH, -k)
            once = [years - 1]
        for ind in map(str, options):
            s = pick.take(lambda i, ind=ind: sizes[i] >= 3 and (sch["peer"].iat[i], ind) not in peer_used, ind)
            if s is not None:
                peer_used.add((sch["peer"].iat[s], ind))
                faults.plan.append(PlanFault("peer_outlier", s, list(range(years)) if persistent else once, ind))
                break
    n_fab = min(max(2 if n < 25 else 3, round(0.07 * n)), max(2, n // 10)) if n >= 5 else 1
    for k in range(n_fab):
        s = pick.take(lambda i: True, "fabricated_finance")
        if s is not None:
            faults.fabricated[s] = FABRICATION[k % 2]
    for _ in range(count(3, 0.1)):
        s = pick.take(lambda i: True, "target_miss")
        if s is not None:
            faults.target_miss.add((s, int(rng.integers(0, years))))
    _choose_records(faults, province, rng, count, faulty)
    return faults


def _school_years(rng: np.random.Generator, schools: np.ndarray, years: int, k: int) -> list[tuple[int, int]]:
    n = len(schools)
    cells = rng.choice(n * years, min(k, n * years), replace=False)
    return [(int(schools[int(c) // years]), int(c) % years) for c in cells]


def _choose_records(faults: Faults, province: Province, rng: np.random.Generator,
                    count: Callable[[int, float], int], faulty: np.ndarray | None = None) -> None:
    """Record-level faults: among every school, or among the ``faulty`` ones (both sides of a duplicate)."""
    n, years = len(province.schools), province.years
    pool = np.arange(n) if faulty is None else faulty
    level = province.schools["level"].to_numpy()
    if n >= 2:
        for _ in range(count(3, 0.1)):
            a = int(rng.choice(pool))
            same = pool[(level[pool] == level[a]) & (pool != a)]
            b = int(rng.choice(same)) if len(same) else int(pool[(np.flatnonzero(pool == a)[0] + 1) % len(pool)])
            faults.duplicates.append((a, b, int(rng.integers(0, years))))
    for k, (s, t) in enumerate(_school_years(rng, pool, years, count(4, 0.15))):
        faults.bad_ids.append((s, t, BAD_ID[k % len(BAD_ID)]))
    for s, t in _school_years(rng, pool, years, count(3, 0.04 * years)):
        faults.uninsured[(s, t)] = int(rng.integers(1, 6))
    for k, (s, t) in enumerate(_school_years(rng, pool, years, count(3, 0.03 * years))):
        faults.ghosts[(s, t)] = ("graduates", "internships")[k % 2]
    for k, (s, t) in enumerate(_school_years(rng, pool, years, count(6, 0.04 * years))):
        faults.mismatches.append((s, t, MISMATCH[k % len(MISMATCH)]))


def apply_plan_faults(province: Province, faults: Faults) -> None:
    """Change the plan so that the school-level faults appear in every table."""
    rng = province_rng(province.seed, 4)
    sch = province.schools
    for f in faults.plan:
        arr = province.plan[f.indicator][f.school]
        thr = standard(sch["level"].iat[f.school], sch["category"].iat[f.school], f.indicator)
        if f.cls == "below_standard":
            lower_better = not INDICATORS[f.indicator].higher_is_better
            arr[f.years] = thr * (rng.uniform(1.28, 1.45) if lower_better else rng.uniform(0.68, 0.8))
        elif f.cls == "sudden_drop":
            t = f.years[0]
            value = arr[t - 3:t].mean() * rng.uniform(0.42, 0.5)
            arr[t] = min(value, 0.85 * thr) if thr is not None else value
        elif f.indicator in PEER_LOW:
            arr[f.years] = rng.uniform(0.42, 0.55)
        elif province.realism.middle_year_faults:  # far below the peers: a fifth to a third of the plan
            arr[f.years] *= rng.uniform(0.2, 0.32)
        else:
            arr[f.years] *= rng.uniform(4.0, 6.0)


def fmt(v: float) -> str:
    """A value for a detail text: whole numbers from 1000 up, else four significant digits."""
    return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def _shortfall(indicator: str, v: float, thr: float, level: str, category: str) -> str:
    side = "below the 合格 minimum" if INDICATORS[indicator].higher_is_better else "above the 合格 maximum"
    return f"{indicator} {fmt(v)} is {side} {thr:g} ({level} {category})"


def school_level_key(province: Province, faults: Faults, values: pd.DataFrame) -> None:
    """Answer-key rows of the school-level faults, with the values actually reached."""
    sch = province.schools
    peers = sch.set_index("school_id")["peer"]
    for f in faults.plan:
        sid, lv, cg = sch["school_id"].iat[f.school], sch["level"].iat[f.school], sch["category"].iat[f.school]
        series = values.loc[sid, f.indicator]
        table = INDICATORS[f.indicator].table
        thr = standard(lv, cg, f.indicator)
        for t in f.years:
            year = province.first_year + t
            v = float(series.loc[year])
            if f.cls == "below_standard":
                faults.add_key(f.cls, sid, year, table, indicator=f.indicator,
                               detail=_shortfall(f.indicator, v, thr, lv, cg))
            elif f.cls == "sudden_drop":
                before = float(series.loc[year - 3:year - 1].mean())
                faults.add_key(f.cls, sid, year, table, indicator=f.indicator,
                               detail=f"{f.indicator} {fmt(v)} vs mean of the previous three years {fmt(before)} "
                                      f"({v / before - 1:+.0%})")
                if thr is not None and v < thr:
                    faults.add_key("below_standard", sid, year, table, indicator=f.indicator,
                                   detail=_shortfall(f.indicator, v, thr, lv, cg) + " after its sudden drop")
            else:
                others = values.xs(year, level="year")
                others = others[(peers.reindex(others.index) == peers[sid]) & (others.index != sid)][f.indicator]
                med = float(others.median())
                faults.add_key(f.cls, sid, year, table, indicator=f.indicator,
                               detail=f"{f.indicator} {fmt(v)} is {v / med:.2f}x the median {fmt(med)} of "
                                      f"its {len(others)} {lv} {cg} peers")
    for s, mode in faults.fabricated.items():
        what = "first digits mostly 5-9" if mode == "high_digits" else "first digits uniform over 1-9"
        faults.add_key("fabricated_finance", sch["school_id"].iat[s], None, "finance",
                       detail=f"money figures of all years invented ({what}, round numbers): the money fields "
                              "of finance and facilities and partners.donated_equipment_value")
