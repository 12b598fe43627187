"""Quality of the warnings against the sample generator's answer key, for several seeds.

For each seed: generate a province (diagnostics.sample.generate; never the committed sample's seed
2024), import it into a fresh SQLite store, compute the indicators, run every warning method, and
score the warnings (flags merged per problem, severity red or yellow) against ``answer_key.csv``:

* recall per planted fault class — a key row counts as found when a red/yellow flag of the method
  meant for its class sits on it (same school, year and indicator; or the same record for data faults;
  the same school for fabricated finance);
* false warnings — the share of clean unit-indicator-years that carry a red or yellow warning.  A value
  is clean when no planted fault changed it: not a planted indicator fault, and not an indicator that
  reads a table a fault changed, in that school-year or the three after it (a trend compares with it).
  The strict share (every value not itself planted counts as clean) is printed too, and so are the
  data-check flags that match no planted fault.

Usage::

    .venv/bin/python benchmarks/warning_quality.py                       # seeds 7 11 2025, 30 schools
    .venv/bin/python benchmarks/warning_quality.py --seeds 31 --schools 300   # the 300-school province

At ``--scale`` below 1 head counts shrink while the establishment standards (≥ 1200 students, ≥ 2
senior teachers per program, …) do not, so clean schools fall below them: score at scale 1.
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

#: the method that should catch each planted class
METHOD = {"below_standard": "standard", "target_miss": "target", "sudden_drop": "trend", "peer_outlier": "peer",
          "duplicate_registration": "integrity", "bad_id_number": "integrity", "uninsured_intern": "rule",
          "total_mismatch": "rule", "fabricated_finance": "benford", "ghost_graduate": "integrity"}
INDICATOR_CLASSES = ("below_standard", "target_miss", "sudden_drop", "peer_outlier")
DATA_METHODS = ("rule", "integrity", "benford")
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


def score(flags: pd.DataFrame, key: pd.DataFrame, values: pd.DataFrame, tables: dict[str, set[str]]) -> dict:
    warn = flags[flags["severity"].isin(WARN)].copy()
    warn["indicator_id"] = warn["indicator_id"].fillna("")
    warn["year"] = warn["year"].astype("Int64")
    key = key.fillna({"unit": "", "record_key": "", "indicator_id": ""})
    recall, matched = {}, set()
    for cls, rows in key.groupby("fault_class"):
        mine = warn[warn["method"] == METHOD[cls]]
        found = 0
        for _, row in rows.iterrows():
            hits = mine["school_id"] == row["school_id"]
            if cls != "fabricated_finance":
                hits &= mine["year"] == int(row["year"])
            if cls in INDICATOR_CLASSES:
                hits &= mine["indicator_id"] == row["indicator_id"]
            elif cls != "fabricated_finance":
                hits &= mine["unit"].isin(_units(row))
            found += bool(hits.any())
            matched |= set(mine.index[hits])
            if cls == "duplicate_registration" and (p := _partner(row)):
                matched |= set(mine.index[(mine["school_id"] == p[0]) & (mine["unit"] == p[1])
                                          & (mine["year"] == int(row["year"]))])
        recall[cls] = (found, len(rows))
    on = ["school_id", "year", "layer", "unit", "indicator_id"]
    vals = values[on].drop_duplicates()
    flagged = warn[warn["indicator_id"] != ""][on + ["method"]].astype({"year": int})
    rates = {}
    for name, touched in (("strict", _planted(key)), ("clean", _touched(key, tables, vals))):
        clean = vals[[k not in touched for k in zip(vals["school_id"], vals["year"], vals["indicator_id"])]]
        hit = clean.merge(flagged, on=on, how="inner")
        rates[name] = (len(hit[on].drop_duplicates()) / max(len(clean), 1), len(clean),
                       hit.groupby("method")[on].apply(lambda g: len(g.drop_duplicates())).to_dict())
    data = warn[warn["method"].isin(DATA_METHODS)]
    unplanted = data[~data.index.isin(matched)]
    return {"recall": recall, "false_rate": rates["clean"][0], "clean": rates["clean"][1],
            "false_by_method": rates["clean"][2], "strict_rate": rates["strict"][0], "strict_clean": rates["strict"][1],
            "unplanted_data_flags": unplanted.groupby("method").size().to_dict()}


def _planted(key: pd.DataFrame) -> set[tuple]:
    """(school, year, indicator) of the planted indicator faults."""
    rows = key[key["fault_class"].isin(INDICATOR_CLASSES)]
    return set(zip(rows["school_id"], rows["year"].astype(int), rows["indicator_id"]))


def _touched(key: pd.DataFrame, tables: dict[str, set[str]], vals: pd.DataFrame) -> set[tuple]:
    """Values a planted fault changed: every indicator reading the fault's table in its school-year and the
    three following years (their trend compares with it); all years for a fault without a year."""
    years = sorted(vals["year"].unique())
    out = _planted(key)
    for row in key.itertuples(index=False):
        fault_tables = {row.table} | ({"facilities", "partners"} if row.fault_class == "fabricated_finance" else set())
        span = years if pd.isna(row.year) else range(int(row.year), int(row.year) + 4)
        inds = [i for i, t in tables.items() if t & fault_tables]
        out |= {(row.school_id, int(y), i) for y in span for i in inds}
    return out


def indicator_tables(models: object) -> dict[str, set[str]]:
    """The contract tables each indicator reads (through its measures and the indicators it derives from)."""
    out: dict[str, set[str]] = {}

    def tables(ind_id: str) -> set[str]:
        if ind_id not in out:
            ind = models.indicators[ind_id]
            found = {models.measures[m].table for m in ind.measures if m in models.measures}
            out[ind_id] = {t for t in found if t} | {t for j in ind.inputs for t in tables(j)}
        return out[ind_id]

    for ind_id in models.indicators:
        tables(ind_id)
    return out


def run_seed(seed: int, schools: int, years: int, scale: float, workdir: Path) -> dict:
    t0 = time.perf_counter()
    out = workdir / f"seed{seed}"
    generate(out, schools=schools, years=years, seed=seed, scale=scale)
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
    values = computed.to_frame()
    t3 = time.perf_counter()
    warnings = run_warnings(engine, values=computed)
    t4 = time.perf_counter()
    assert not warnings.notes, warnings.notes
    key = pd.read_csv(answers, dtype={"school_id": str, "record_key": str, "unit": str})
    report = score(warnings.flags, key, values, indicator_tables(models))
    report["seconds"] = {"generate": t1 - t0, "import": t2 - t1, "compute": t3 - t2, "warnings": t4 - t3}
    report["method_seconds"] = warnings.timings
    report["flags"] = len(warnings.flags)
    return report


def table(reports: dict[int, dict]) -> str:
    seeds = list(reports)
    classes = sorted({c for r in reports.values() for c in r["recall"]}, key=list(METHOD).index)
    lines = ["| | " + " | ".join(f"seed {s}" for s in seeds) + " |", "|---|" + "---|" * len(seeds)]
    for cls in classes:
        cells = []
        for s in seeds:
            found, total = reports[s]["recall"].get(cls, (0, 0))
            cells.append(f"{found / total:.2f} ({found}/{total})" if total else "—")
        lines.append(f"| recall {cls} ({METHOD[cls]}) | " + " | ".join(cells) + " |")
    lines.append("| false warnings (clean unit-indicator-years) | " + " | ".join(
        f"{reports[s]['false_rate']:.2%} of {reports[s]['clean']:,}" for s in seeds) + " |")
    lines.append("| … counting every value not itself planted | " + " | ".join(
        f"{reports[s]['strict_rate']:.2%} of {reports[s]['strict_clean']:,}" for s in seeds) + " |")
    lines.append("| … false warnings by method | " + " | ".join(
        ", ".join(f"{m} {n}" for m, n in sorted(reports[s]["false_by_method"].items())) or "—" for s in seeds) + " |")
    lines.append("| data flags matching no planted fault | " + " | ".join(
        ", ".join(f"{m} {n}" for m, n in sorted(reports[s]["unplanted_data_flags"].items())) or "0"
        for s in seeds) + " |")
    lines.append("| seconds: compute + warnings | " + " | ".join(
        f"{reports[s]['seconds']['compute']:.1f} + {reports[s]['seconds']['warnings']:.1f}" for s in seeds) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 2025])
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data and stores here")
    args = parser.parse_args()
    if 2024 in args.seeds:
        parser.error("seed 2024 is the committed sample's: choose other seeds")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        reports = {}
        for seed in args.seeds:
            reports[seed] = run_seed(seed, args.schools, args.years, args.scale, workdir)
            r = reports[seed]
            print(f"seed {seed}: {r['flags']} flags; seconds "
                  + ", ".join(f"{k} {v:.1f}" for k, v in r["seconds"].items())
                  + "; per method " + ", ".join(f"{k} {v:.2f}" for k, v in r["method_seconds"].items()), flush=True)
    print(f"\n{args.schools} schools × {args.years} years, scale {args.scale}\n")
    print(table(reports))


if __name__ == "__main__":
    main()
