"""The schools of the sample province and their planned school-year values."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import catalogue as cat
from .draws import province_rng, split_counts, stratified
from .params import (
    CATEGORY_MIX,
    ENROLMENT,
    GROUP_TREND_SPREAD,
    HIGHER,
    HIGHER_SHARE,
    PARAMS,
    PEER_MIN,
    PRIVATE_SHARE,
    PRIVATE_TUITION,
    SECONDARY,
    Param,
    Realism,
    clean_base,
)

#: The realistic province's clean schools meet every verified standard with a margin (indicators/SOURCES.md):
#: 中职 enrolment well above 1200; external teachers well under a quarter of the full-time ones (高职).
COMPLIANT_ENROLMENT_FLOOR = {SECONDARY: 1600}
COMPLIANT_PARAMS = {"external_per_fulltime": Param((0.08, 0.2), (0.08, 0.2))}


@dataclass
class Province:
    """The roster and plan every later step reads.

    ``schools`` has the contract's columns plus internal ones (``city_idx``,
    ``enrolment`` after ``scale``, ``raw_enrolment`` before it, ``n_programs``,
    ``n_partners``, ``growth``, ``peer``); ``plan`` maps a planned quantity
    (an indicator id or a name from ``params.PARAMS``) to a
    schools × years array.
    """

    seed: int
    first_year: int
    years: int
    scale: float
    schools: pd.DataFrame
    plan: dict[str, np.ndarray] = field(default_factory=dict)
    realism: Realism = field(default_factory=Realism)

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))

    @property
    def last_year(self) -> int:
        return self.first_year + self.years - 1


def _levels(n: int) -> list[str]:
    n_high = max(3, round(HIGHER_SHARE * n)) if n >= 6 else max(1, round(HIGHER_SHARE * n))
    return [HIGHER] * min(n_high, n) + [SECONDARY] * max(0, n - n_high)


def _categories(level: str, n: int) -> list[str]:
    """Categories of ``n`` schools of one level.

    Most schools fall into peer groups of at least ``PEER_MIN`` (the modified
    z-score of a smaller group is too fragile to be a fair test); about one in
    five goes alone into one of the remaining categories, for variety.
    """
    mix = CATEGORY_MIX[level]
    singles = min(len(mix) - min(n // PEER_MIN, len(mix)), n // 5)
    main = n - singles
    k = int(np.clip(main // PEER_MIN, 1, len(mix)))
    names = list(mix)[:k]
    floor = PEER_MIN if main >= PEER_MIN * k else 0
    counts = np.full(k, floor) + split_counts(main - floor * k, np.array([mix[c] for c in names]))
    return [c for c, m in zip(names, counts) for _ in range(m)] + list(mix)[k:k + singles]


def _name(rng: np.random.Generator, level: str, category: str, city: str, taken: set[str]) -> str:
    hi_spec, hi_suffix, sec_spec, sec_suffix = cat.SCHOOL_NAMES[category]
    spec, suffix = (hi_spec, hi_suffix) if level == HIGHER else (sec_spec, sec_suffix)
    stem = city.removesuffix("市")
    options = [f"{stem}{s}{suffix}" for s in spec]
    options += [f"{stem}市{c}{'县' if i % 2 else '区'}{s}{suffix}"
                for i, c in enumerate(cat.COUNTIES) for s in spec[:2]]
    for name in options[:len(spec)] + list(rng.permutation(options[len(spec):])):
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of school names")  # pragma: no cover - 24 counties per city


def make_roster(schools: int, seed: int, scale: float, realism: Realism | None = None) -> pd.DataFrame:
    """The ``schools`` table with internal columns (see :class:`Province`)."""
    realism = realism or Realism()
    rng = province_rng(seed, 0)
    levels = _levels(schools)
    cats = _categories(HIGHER, levels.count(HIGHER)) + _categories(SECONDARY, levels.count(SECONDARY))
    n_cities = int(np.clip(round(3 + schools / 6), 3, len(cat.CITIES)))
    city_w = 1.0 / np.arange(1, n_cities + 1) ** 0.6
    city_idx = np.r_[rng.permutation(n_cities), rng.choice(n_cities, max(0, schools - n_cities), p=city_w / city_w.sum())]
    city_idx = rng.permutation(city_idx[:schools])
    df = pd.DataFrame({"level": levels, "category": cats, "city_idx": city_idx})
    df["city"] = [cat.CITIES[i] for i in df["city_idx"]]
    private = np.zeros(schools, bool)
    private[rng.choice(schools, round(PRIVATE_SHARE * schools), replace=False)] = True
    df["ownership"] = np.where(private, "民办", "公办")
    high = df["level"].eq(HIGHER).to_numpy()
    df["founded"] = np.where(high, rng.integers(1958, 2009, schools), rng.integers(1952, 2013, schools))
    med, lo, hi = (np.where(high, ENROLMENT[HIGHER][k], ENROLMENT[SECONDARY][k]) for k in range(3))
    if realism.compliant:
        lo = np.maximum(lo, np.where(high, 0, COMPLIANT_ENROLMENT_FLOOR[SECONDARY]))
    raw = np.clip(med * np.exp(rng.normal(0, 0.45, schools)), lo, hi)
    df["raw_enrolment"] = raw
    df["enrolment"] = raw * scale
    df["n_programs"] = np.where(high, np.clip(np.round(raw / 350), 8, 40), np.clip(np.round(raw / 150), 5, 25)).astype(int)
    df["n_partners"] = np.clip(np.round(raw / 60 * rng.uniform(0.8, 1.2, schools)), 30, 80).astype(int)
    df["growth"] = rng.uniform(-0.015, 0.035, schools)
    taken: set[str] = set()
    df["name"] = [_name(rng, r.level, r.category, r.city, taken) for r in df.itertuples()]
    df = df.sort_values(["level", "city_idx", "name"], key=lambda s: s.map({HIGHER: 0, SECONDARY: 1})
                        if s.name == "level" else s, kind="stable").reset_index(drop=True)
    serial = df.groupby("city_idx").cumcount() + 1
    prefix = np.where(df["level"].eq(HIGHER), "41", "31")
    df.insert(0, "school_id", [f"{p}{cat.PROVINCE_CODE}{c + 1:02d}{s:04d}"
                               for p, c, s in zip(prefix, df["city_idx"], serial)])
    df["peer"] = df["level"] + "|" + df["category"]
    return df


def make_plan(schools: pd.DataFrame, years: int, seed: int, realism: Realism | None = None) -> dict[str, np.ndarray]:
    """Planned values per school and year for every quantity of ``params.PARAMS``.

    A school's base value has its own stratum among its peers; over the years
    it follows a province trend plus a peer-group trend, with an own noise
    (``realism.own_noise``: a few per cent in the realistic province).
    """
    realism = realism or Realism()
    params = {**PARAMS, **(COMPLIANT_PARAMS if realism.compliant else {})}
    rng = province_rng(seed, 0)
    n = len(schools)
    peer_codes = pd.factorize(schools["peer"])[0]
    private = schools["ownership"].eq("民办").to_numpy()
    high = schools["level"].eq(HIGHER).to_numpy()
    t = np.arange(years)
    plan: dict[str, np.ndarray] = {}
    for name, p in params.items():
        lo = np.where(high, p.higher[0], p.secondary[0])
        hi = np.where(high, p.higher[1], p.secondary[1])
        if p.relative:
            base = np.array([clean_base(lv, c, p.relative) for lv, c in zip(schools["level"], schools["category"])])
            lo, hi = lo * base, hi * base
        pos = stratified(peer_codes, rng, first=private if p.order else None)
        if p.order == "high":
            pos = 1 - pos
        value = lo * (hi / lo) ** pos if p.log else lo + (hi - lo) * pos
        group_trend = rng.uniform(-GROUP_TREND_SPREAD, GROUP_TREND_SPREAD, peer_codes.max() + 1)[peer_codes]
        path = 1 + (p.trend + group_trend)[:, None] * t[None, :]
        noise = (1 + np.clip(rng.normal(0, realism.own_noise, (n, years)), -2.5 * realism.own_noise,
                             2.5 * realism.own_noise)) if realism.noise_normal else \
            1 + rng.uniform(-realism.own_noise, realism.own_noise, (n, years))
        plan[name] = value[:, None] * path * noise
        if p.cap is not None:
            plan[name] = np.minimum(plan[name], p.cap)
    tuition_factor = np.where(private, np.where(high, PRIVATE_TUITION[HIGHER], PRIVATE_TUITION[SECONDARY]), 1.0)
    plan["tuition_per_student"] *= tuition_factor[:, None]
    return plan
