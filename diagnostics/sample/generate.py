"""``generate``: write a sample province as contract CSV files plus its answer key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..io.cells import write_csv
from .assemble import World, batch_tables
from .faults import CLASSES, KEY_COLUMNS, Faults, apply_plan_faults, choose_faults, school_level_key
from .params import REALISTIC, Realism
from .partners import make_registry
from .people import make_persons
from .programs import make_programs
from .record_faults import plant_person_faults
from .roster import Province, make_plan, make_roster
from .writer import CsvWriter

ANSWER_KEY = "_answer_key.csv"  # leading "_": the importer skips it (not status data)
BATCH = 16  # schools per batch: bounds memory, not the result


@dataclass(frozen=True)
class SampleSummary:
    """What :func:`generate` wrote: where, with which arguments, how many rows and faults."""

    out_dir: Path
    schools: int
    years: int
    seed: int
    first_year: int
    scale: float
    rows: dict[str, int]
    faults: dict[str, int]

    def __str__(self) -> str:
        lines = [f"sample province in {self.out_dir}: {self.schools} schools, years "
                 f"{self.first_year}-{self.first_year + self.years - 1}, seed {self.seed}, scale {self.scale:g}"]
        lines += [f"  {name:<12} {n:>10,} rows" for name, n in self.rows.items()]
        lines += [f"  fault {name:<24} {n:>6} answer-key rows" for name, n in self.faults.items()]
        return "\n".join(lines)


def generate(out_dir: Path, schools: int = 30, years: int = 5, seed: int = 2024, first_year: int = 2020,
             scale: float = 1.0, realistic: bool = False) -> SampleSummary:
    """Write a sample province to ``out_dir``: one CSV per contract table and ``_answer_key.csv``.

    Args:
        out_dir: folder to write into (created if missing; files of the same name are replaced).
        schools: number of schools (about 40% 高职, the rest 中职).
        years: number of academic years, ``first_year`` … ``first_year + years - 1``.
        seed: the same seed and arguments give byte-identical files.
        first_year: the first academic year (by its starting calendar year).
        scale: multiplies student and teacher head counts (schools keep their
            500–15 000-student proportions at 1.0); ratios and rates do not change.
        realistic: the realistic province (:data:`params.REALISTIC`): clean schools that meet every
            verified standard, a few per cent of yearly noise, faults in a minority of schools, some
            for one year only, targets named as schools name them.

    Every contract table is written with all its fields, including the
    optional additions.  Faults of every class of ``faults.CLASSES`` are planted
    and listed in ``_answer_key.csv`` (columns ``faults.KEY_COLUMNS``); the rest
    of the data is clean and consistent.  Prints nothing.
    """
    if schools < 1 or years < 1 or scale <= 0:
        raise ValueError("schools and years must be at least 1 and scale positive")
    out_dir = Path(out_dir)
    realism = REALISTIC if realistic else Realism()
    roster = make_roster(schools, seed, scale, realism)
    province = Province(seed, first_year, years, scale, roster, make_plan(roster, years, seed, realism), realism)
    faults = choose_faults(province)
    apply_plan_faults(province, faults)
    programs = [make_programs(province, i) for i in range(schools)]
    offsets = np.cumsum([0] + [len(p.codes) for p in programs])
    persons = plant_person_faults(province, make_persons(province, programs), faults, programs, offsets)
    bounds = np.searchsorted(persons["school"].to_numpy(), np.arange(schools + 1))
    world = World(province, programs, np.concatenate([p.codes for p in programs]), make_registry(province), faults)
    writer = CsvWriter(out_dir)
    try:
        writer.write("schools", roster)
        values = []
        for start in range(0, schools, BATCH):
            tables, batch_values = batch_tables(world, range(start, min(start + BATCH, schools)), persons, bounds)
            for name, df in tables.items():
                writer.write(name, df)
            values.append(batch_values)
    finally:
        writer.close()
    school_level_key(province, faults, pd.concat(values))
    key = _answer_key(faults)
    write_csv(key, out_dir / ANSWER_KEY, encoding="utf-8", lineterminator="\n")
    counts = key["fault_class"].value_counts()
    return SampleSummary(out_dir, schools, years, seed, first_year, scale, dict(writer.rows),
                         {c: int(counts.get(c, 0)) for c in CLASSES})


def _answer_key(faults: Faults) -> pd.DataFrame:
    key = pd.DataFrame(faults.key, columns=KEY_COLUMNS)
    key["year"] = pd.array(key["year"], dtype="Int64")
    order = key["fault_class"].map({c: i for i, c in enumerate(CLASSES)})
    return (key.assign(_o=order).sort_values(["_o", "school_id", "year", "record_key"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))

