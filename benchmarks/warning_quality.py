"""Quality of the warnings and of the verdict on a province the warnings were not tuned to.

For each seed: generate a province (``diagnostics.sample.generate``; by default the realistic mode —
clean schools that meet every verified standard and move by a few per cent a year, faults in a minority
of schools, some for one year only; never the committed sample's seed 2024), import it into a fresh
SQLite store, compute the indicators, run every warning method, decide the verdict, and score against the
answer key:

* **recall per fault class** — a planted fault counts as found only when a red or yellow warning *names*
  it: the same school, year and indicator for an indicator fault (any method); the same record (table and
  key) for a data fault; a Benford warning of the school for fabricated finance;
* **warnings per clean school-year** — red and yellow warnings (one per problem, every layer: the
  school's values, its programs', its data checks) of the schools with no planted fault at all, per
  school-year;
* **green share** — the share of those clean school-years whose school light (the verdict) is green;
* **echo warnings** — red or yellow warnings on a one-year fault's school and indicator in the years
  after it (when nothing is planted there any more).

Usage::

    .venv/bin/python benchmarks/warning_quality.py                       # seeds 7 11 2025, 30 schools
    .venv/bin/python benchmarks/warning_quality.py --seeds 31 --schools 300
    .venv/bin/python benchmarks/warning_quality.py --mode sample         # the default (fault-dense) sample
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import pandas as pd

from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.store import init_db, make_engine
from diagnostics.warnings import run_warnings
from diagnostics.warnings.verdict import load_verdict

INDICATOR_CLASSES = ("below_standard", "target_miss", "sudden_drop", "peer_outlier")
CLASSES = (*INDICATOR_CLASSES, "duplicate_registration", "bad_id_number", "uninsured_intern", "total_mismatch",
           "fabricated_finance", "ghost_graduate")
ONE_YEAR = ("sudden_drop", "peer_outlier")  # faults that may last a single year (their echo is measured)
WARN = ("red", "yellow")


def _units(row: pd.Series) -> set[str]:
    """The flag units a data fault of the answer key may carry."""
    table, unit, record = row["table"], str(row["unit"] or ""), str(row["record_key"] or "")
    if not record:
        return {table}
    return {f"{table}:{record}", f"{table}:{unit}/{record}"}


def _partner(row: pd.Series) -> tuple[str, str] | None:
    """The first school's (school, record) of a duplicate registration, from the key's detail text."""
    found = re.search(r"at (\S+) .*?\(student (\S+)\)", str(row["detail"]))
    return (found.group(1), f"students:{found.group(2)}") if found else None


def _found(warn: pd.DataFrame, cls: str, row: pd.Series) -> bool:
    """Whether a red or yellow warning names the planted fault ``row``."""
    hits = warn["school_id"] == row["school_id"]
    if cls == "fabricated_finance":
        return bool((hits & warn["methods"].str.contains("benford")).any())
    hits &= warn["year"] == int(row["year"])
    if cls in INDICATOR_CLASSES:
        return bool((hits & (warn["indicator_id"] == row["indicator_id"])).any())
    if (hits & warn["unit"].isin(_units(row))).any():
        return True
    partner = _partner(row) if cls == "duplicate_registration" else None
    return partner is not None and bool(((warn["school_id"] == partner[0]) & (warn["unit"] == partner[1])
                                         & (warn["year"] == int(row["year"]))).any())


def score(verdict: object, key: pd.DataFrame, years: list[int]) -> dict:
    """Recall per class, warnings and green share of clean school-years, echo warnings."""
    w = verdict.warnings
    warn = w[w["severity"].isin(WARN)].assign(year=lambda f: f["year"].astype(int))
    key = key.fillna({"unit": "", "record_key": "", "indicator_id": ""})
    recall = {}
    for cls, rows in key.groupby("fault_class"):
        recall[cls] = (sum(_found(warn, cls, row) for _, row in rows.iterrows()), len(rows))
    faulty = set(key["school_id"])
    clean = verdict.schools[~verdict.schools["school_id"].isin(faulty) & verdict.schools["reported"]]
    clean_warn = warn[~warn["school_id"].isin(faulty)]
    by_method = clean_warn.assign(m=clean_warn["methods"].str.split(",").str[0]).groupby("m").size().to_dict()
    by_indicator = clean_warn.assign(i=clean_warn["indicator_id"].replace("", "(data)")).groupby("i").size()
    echo = _echoes(warn, key, years)
    return {"recall": recall, "clean_school_years": len(clean), "clean_schools": clean["school_id"].nunique(),
            "warnings_per_clean": len(clean_warn) / max(len(clean), 1),
            "green_share": float((clean["light"] == "green").mean()) if len(clean) else float("nan"),
            "clean_by_method": by_method, "clean_by_indicator": by_indicator.sort_values(ascending=False).head(8).to_dict(),
            "echo": len(echo), "echo_detail": echo, "faulty_schools": len(faulty)}


def _echoes(warn: pd.DataFrame, key: pd.DataFrame, years: list[int]) -> list[str]:
    """Warnings on a one-year fault's school and indicator in the three years after it, where nothing
    is planted."""
    planted = set(zip(key["school_id"], key["year"].fillna(-1).astype(int), key["indicator_id"]))
    out = []
    for row in key[key["fault_class"].isin(ONE_YEAR)].itertuples(index=False):
        y = int(row.year)
        if (row.school_id, y + 1, row.indicator_id) in planted or (row.school_id, y - 1, row.indicator_id) in planted:
            continue  # a persistent fault, not a one-year one
        for later in range(y + 1, min(y + 4, max(years) + 1)):
            hits = warn[(warn["school_id"] == row.school_id) & (warn["year"] == later)
                        & (warn["indicator_id"] == row.indicator_id)]
            out += [f"{row.school_id} {later} {row.indicator_id} ({m})" for m in hits["methods"]]
    return out


def run_seed(seed: int, schools: int, years: int, scale: float, workdir: Path, realistic: bool) -> dict:
    t0 = time.perf_counter()
    out = workdir / f"seed{seed}"
    generate(out, schools=schools, years=years, seed=seed, scale=scale, realistic=realistic)
    answers = (out / ANSWER_KEY).rename(workdir / f"seed{seed}_answer_key.csv")  # not a contract table
    t1 = time.perf_counter()
    engine = make_engine(f"sqlite:///{workdir / f'seed{seed}.db'}")
    init_db(engine)
    result = import_path(engine, out)
    assert result.ok, result.to_text()
    t2 = time.perf_counter()
    models, issues = load_models()
    assert not issues, issues  # a model file being edited would silently drop indicators
    computed = compute(engine, models)
    t3 = time.perf_counter()
    warnings = run_warnings(engine, values=computed)
    assert not warnings.notes, warnings.notes
    verdict = load_verdict(engine, models)
    t4 = time.perf_counter()
    key = pd.read_csv(answers, dtype={"school_id": str, "record_key": str, "unit": str})
    report = score(verdict, key, list(range(2020, 2020 + years)))
    report["seconds"] = {"generate": t1 - t0, "import": t2 - t1, "compute": t3 - t2, "warnings": t4 - t3}
    report["flags"] = len(warnings.flags)
    return report


def table(reports: dict[int, dict]) -> str:
    seeds = list(reports)
    lines = ["| | " + " | ".join(f"seed {s}" for s in seeds) + " |", "|---|" + "---|" * len(seeds)]
    for cls in CLASSES:
        cells = []
        for s in seeds:
            found, total = reports[s]["recall"].get(cls, (0, 0))
            cells.append(f"{found / total:.2f} ({found}/{total})" if total else "—")
        lines.append(f"| recall {cls} | " + " | ".join(cells) + " |")
    rows = [("red/yellow warnings per clean school-year", lambda r: f"{r['warnings_per_clean']:.3f}"),
            ("clean school-years with a green school light", lambda r: f"{r['green_share']:.1%}"),
            ("echo warnings (years after a one-year fault)", lambda r: str(r["echo"])),
            ("clean school-years (clean schools)", lambda r: f"{r['clean_school_years']} ({r['clean_schools']})"),
            ("… their warnings by method", lambda r: ", ".join(f"{m} {n}" for m, n in sorted(
                r["clean_by_method"].items())) or "—"),
            ("seconds: compute + warnings and verdict", lambda r: f"{r['seconds']['compute']:.1f} + "
                                                                  f"{r['seconds']['warnings']:.1f}")]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(reports[s]) for s in seeds) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 2025])
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--mode", choices=("realistic", "sample"), default="realistic",
                        help="realistic province (default) or the default fault-dense sample")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data and stores here")
    args = parser.parse_args()
    if 2024 in args.seeds:
        parser.error("seed 2024 is the committed sample's: choose other seeds")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        reports = {}
        for seed in args.seeds:
            reports[seed] = r = run_seed(seed, args.schools, args.years, args.scale, workdir, args.mode == "realistic")
            print(f"seed {seed}: {r['flags']} flags; {r['faulty_schools']} schools with faults; seconds "
                  + ", ".join(f"{k} {v:.1f}" for k, v in r["seconds"].items()), flush=True)
            print(f"  clean schools' warnings by indicator: {r['clean_by_indicator']}", flush=True)
            if r["echo_detail"]:
                print("  echo warnings: " + "; ".join(r["echo_detail"]), flush=True)
    print(f"\n{args.schools} schools × {args.years} years, scale {args.scale}, {args.mode} province\n")
    print(table(reports))


if __name__ == "__main__":
    main()
