"""Issue 13's figures: live formula cells in the files zhengai writes from a province whose names are
formula injections (the issue found 320 in `zhengai export OUT.xlsx`), and what a small YAML alias bomb
costs `zhengai indicators validate` (the issue: 1.4 GB, then MemoryError).

    python benchmarks/output_safety.py [--schools 4]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from diagnostics.cli import main
from diagnostics.io.cells import FORMULA_START, is_live
from diagnostics.sample import ANSWER_KEY, generate

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"]
BOMB = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
                 + ["indicators: [{id: *i, name_zh: *i, unit: *i}]"]) + "\n"


def hostile_province(root: Path, schools: int) -> str:
    folder = root / "data"
    generate(folder, schools=schools, years=2, seed=5, scale=0.1)
    (folder / ANSWER_KEY).unlink()
    for name, column in (("schools", "name"), ("programs", "program_name")):
        frame = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        frame[column] = [f"{HOSTILE[i % len(HOSTILE)]}{i}" for i in range(len(frame))]
        frame.to_csv(folder / f"{name}.csv", index=False)
    url = f"sqlite:///{root / 'store.db'}"
    assert main(["--db", url, "import", str(folder)]) == 0
    return url


def xlsx_live(path: Path) -> tuple[int, int]:
    """(formula cells, formula-like text cells without Excel's quote prefix)."""
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    return (sum(c.data_type == "f" for c in cells),
            sum(isinstance(c.value, str) and c.value.startswith(FORMULA_START) and not c.quotePrefix for c in cells))


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["ZHENGAI_HOME"] = str(root / "home")
        url = hostile_province(root, args.schools)
        main(["--db", url, "export", str(root / "out.xlsx")])
        main(["--db", url, "export", str(root / "csv")])
        formulas, unquoted = xlsx_live(root / "out.xlsx")
        live_csv = sum(is_live(cell) for p in (root / "csv").glob("*.csv")
                       for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8"))) for cell in row)
        print(f"export OUT.xlsx: {formulas} formula cells, {unquoted} unquoted formula-like text cells")
        print(f"export OUT_DIR (CSV): {live_csv} cells a spreadsheet would evaluate")
        bomb = root / "bomb.yaml"
        bomb.write_text(BOMB, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        code = main(["indicators", "validate", str(bomb)])
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(f"indicators validate on a {len(BOMB.encode())}-byte alias bomb: exit {code}, "
              f"{time.perf_counter() - start:.2f} s, peak memory grew {grown / 1024:.1f} MB")


if __name__ == "__main__":
    main_()
