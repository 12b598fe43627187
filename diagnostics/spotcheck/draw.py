"""Drawing a spot-check sample (随机抽查): reproducible, stratified, the same on every database.

The method, stated to whoever re-draws it (:func:`method_text`):

1. **Frame.** The schools that reported the year (within the drawer's scope), each in the stratum
   of its ``strata`` fields (e.g. 设区市 × 层次).  Strata are ordered by their labels, schools within a
   stratum by school id, records of a school by their key — all sorted in Python by code point, never
   by a database collation, so SQLite and PostgreSQL give the same order.
2. **Allocation.** ``n`` schools over the strata in proportion to their sizes, by the largest-remainder
   (Hamilton) method: each stratum gets ``floor(n·N_h/N)``, the remaining schools go to the largest
   remainders (ties: the stratum first in order).  Every stratum's share is within one school of its
   exact proportional share.
3. **Draw.** One ``numpy.random.Generator`` (PCG64, ``default_rng(seed)``): for each stratum in
   order, ``choice(N_h, n_h, replace=False)``; then for each chosen school in id order and each kind
   (students, teachers, internships) in that order, ``choice(R, min(m, R), replace=False)`` over the
   sorted keys of its ``R`` records of the year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

KINDS = ("students", "teachers", "internships")
KIND_ZH = {"students": "学生学籍", "teachers": "教师", "internships": "实习"}
KIND_KEY = {"students": "student_key", "teachers": "teacher_key", "internships": "student_key"}
STRATA_FIELDS = ("city", "level", "category", "ownership")
STRATUM_SEP = "·"
EMPTY = "（空）"
SAMPLE_COLUMNS = ["school_id", "year", "kind", "record_key", "stratum", "population"]


@dataclass(frozen=True)
class DrawSpec:
    """What to draw: year, seed, how many schools and records per school, strata and kinds."""

    year: int
    seed: int
    schools: int = 10
    records: int = 20
    strata: tuple[str, ...] = ("city", "level")
    kinds: tuple[str, ...] = ("students",)
    scope: str = "province"  # whose schools: 'province', or 'city:<city>' for a city officer's draw

    def __post_init__(self) -> None:
        from ..workflow.errors import InvalidChange

        bad = [s for s in self.strata if s not in STRATA_FIELDS]
        if bad:
            raise InvalidChange(f"未知的分层字段 {', '.join(bad)}（可用：{', '.join(STRATA_FIELDS)}）",
                                f"unknown strata {', '.join(bad)} (use {', '.join(STRATA_FIELDS)})")
        bad = [k for k in self.kinds if k not in KINDS]
        if bad or not self.kinds:
            raise InvalidChange(f"未知的抽查对象 {', '.join(bad) or '（空）'}（可用：{', '.join(KINDS)}）",
                                f"unknown kinds {', '.join(bad) or '(none)'} (use {', '.join(KINDS)})")
        if self.schools < 1 or self.records < 1:
            raise InvalidChange("抽取的学校数和记录数必须至少为 1", "schools and records must be at least 1")
        if not 0 <= int(self.seed) < 2**63:
            raise InvalidChange("随机种子必须是 0 到 2^63−1 之间的整数", "the seed must be an integer in 0…2^63−1")
        object.__setattr__(self, "kinds", tuple(k for k in KINDS if k in self.kinds))  # canonical order

    def params(self) -> dict:
        return {"year": int(self.year), "seed": int(self.seed), "schools": int(self.schools),
                "records": int(self.records), "strata": list(self.strata), "kinds": list(self.kinds),
                "scope": self.scope}


def method_text(spec: DrawSpec) -> tuple[str, str]:
    """The drawing method in Chinese and English, with every parameter needed to re-draw it."""
    strata = ",".join(spec.strata) or "无"
    kinds = ",".join(spec.kinds)
    zh = (f"分层随机抽样：{spec.year} 学年已上报的学校按 {strata} 分层（层按名称、层内学校按代码排序），"
          f"{spec.schools} 所学校按各层学校数比例分配（最大余数法）；用 numpy.random.default_rng({spec.seed})"
          f"（PCG64）逐层无放回抽取学校，再按学校代码、对象（{kinds}）顺序，在按记录键排序的本年记录中"
          f"各无放回抽取至多 {spec.records} 条。")
    en = (f"Stratified random sample: the schools that reported {spec.year}, stratified by {strata} (strata by "
          f"label, schools by id), {spec.schools} schools allocated in proportion to stratum size (largest "
          f"remainder); numpy.random.default_rng({spec.seed}) (PCG64) draws schools per stratum without "
          f"replacement, then, per school by id and kind ({kinds}), up to {spec.records} records without "
          "replacement among the year's records sorted by key.")
    return zh, en


def stratum_label(row: dict, strata: Sequence[str]) -> str:
    parts = [str(row.get(s)) if row.get(s) not in (None, "") and not pd.isna(row.get(s)) else EMPTY
             for s in strata]
    return STRATUM_SEP.join(parts) if parts else "全部"


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Largest-remainder allocation of ``n`` over strata (in the dict's order) proportional to ``sizes``.

    >>> allocate({"a": 6, "b": 3, "c": 1}, 5)
    {'a': 3, 'b': 2, 'c': 0}
    """
    total = sum(sizes.values())
    n = min(int(n), total)
    if total == 0:
        return dict.fromkeys(sizes, 0)
    exact = {k: n * v / total for k, v in sizes.items()}
    out = {k: int(np.floor(e)) for k, e in exact.items()}
    order = sorted(sizes, key=lambda k: (-(exact[k] - out[k]), list(sizes).index(k)))
    for k in order[: n - sum(out.values())]:
        out[k] += 1
    return out


def draw_schools(spec: DrawSpec, frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The chosen schools (``school_id, stratum``), in school-id order."""
    rows = sorted(frame.to_dict("records"), key=lambda r: str(r["school_id"]))
    by_stratum: dict[str, list[str]] = {}
    for r in rows:
        by_stratum.setdefault(stratum_label(r, spec.strata), []).append(str(r["school_id"]))
    by_stratum = dict(sorted(by_stratum.items()))
    quota = allocate({k: len(v) for k, v in by_stratum.items()}, spec.schools)
    chosen = []
    for label, ids in by_stratum.items():
        picked = rng.choice(len(ids), size=quota[label], replace=False) if quota[label] else []
        chosen += [(ids[int(i)], label) for i in picked]
    return pd.DataFrame(sorted(chosen), columns=["school_id", "stratum"])


def draw_sample(spec: DrawSpec, frame: pd.DataFrame, keys: Callable[[str, str], Sequence[str]]) -> pd.DataFrame:
    """The sample (:data:`SAMPLE_COLUMNS`): ``frame`` holds the reporting schools (``school_id`` and the
    strata fields); ``keys(school_id, kind)`` gives the keys of the school's records of that kind."""
    rng = np.random.default_rng(int(spec.seed))
    out = []
    for school_id, label in draw_schools(spec, frame, rng).itertuples(index=False):
        for kind in spec.kinds:
            population = sorted({str(k) for k in keys(school_id, kind)})
            m = min(spec.records, len(population))
            picked = sorted(population[int(i)] for i in rng.choice(len(population), size=m, replace=False)) if m else []
            out += [(school_id, int(spec.year), kind, key, label, len(population)) for key in picked]
    return pd.DataFrame(out, columns=SAMPLE_COLUMNS)
