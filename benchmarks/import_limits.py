"""Input limits benchmark (issue 13): wall time and peak memory of importing hostile inputs under 10 MB.

    .venv/bin/python benchmarks/import_limits.py            # every input
    .venv/bin/python benchmarks/import_limits.py far_cell   # one of them

Each input is built in a temporary folder, then imported by ``zhengai import`` in a child process
into an empty SQLite store, so the peak memory and CPU time (``getrusage`` of the child) are the
import's own.  The bound to meet: no input under 10 MB uses more than 1 GB or 60 s (judged on CPU
time, which a loaded machine does not inflate; wall time is printed too).  The inputs:

* ``far_cell`` — the tiny workbook with one cell at row 40 000 000 (the reported 9 KB, 2.7 GB file);
* ``zip_4000`` — the tiny CSVs zipped with 4 000 tiny members (the reported 96 s, quadratic zip);
* ``zip_bomb`` — a zip of about 1 MB that unpacks to 1 GB;
* ``xlsx_max`` — a teachers workbook just inside the cell limit (about 1 million cells);
* ``zip_max`` — a students zip just inside the expansion limit (about 8 × its size, as student CSVs compress).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

LIMIT_S, LIMIT_MB, INPUT_MB = 60.0, 1024.0, 10.0


def far_cell(base: Path) -> Path:
    from broken_cases import CASES

    return CASES["xlsx_cell_at_row_40_million"].build(base)


def zip_4000(base: Path) -> Path:
    from broken_cases import zip_members

    return zip_members(4000)(base)


def zip_bomb(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    path = base / "bomb.zip"
    block = b"S1,2024," + b"0" * (2**20 - 8)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("students.csv", "w", force_zip64=True) as fh:
        for _ in range(1024):
            fh.write(block)
    return path


def xlsx_max(base: Path) -> Path:
    """A teachers sheet of 11 columns × 90 000 rows written as SpreadsheetML (about 1 million cells)."""
    from broken_cases import workbook

    path = workbook()(base)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    head = "school_id,year,teacher_key,employment,degree,title,dual_qualified,program_code," \
           "enterprise_practice_days,teaching_hours,birth_year".split(",")
    letters = [chr(65 + i) for i in range(len(head))]

    def row(r: int, values: list[object]) -> str:
        cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>' if isinstance(v, str)
                        else f'<c r="{c}{r}"><v>{v}</v></c>' for c, v in zip(letters, values))
        return f'<row r="{r}">{cells}</row>'

    rows = [row(1, head)] + [row(r, ["S1", 2024, f"T{r:07d}", "专任", "硕士", "副高", "是", "510201", 30, 320, 1980])
                             for r in range(2, 90_002)]
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main"><sheetData>{"".join(rows)}</sheetData></worksheet>')
    parts["xl/worksheets/sheet4.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def zip_max(base: Path) -> Path:
    """The tiny data set zipped with a students.csv that unpacks to just under the expansion limit."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_import_broken import big_students_csv
    from tiny_data import write_tiny

    from diagnostics.io.limits import MAX_EXPANSION

    folder = write_tiny(base / "folder")
    big_students_csv(folder / "students.csv", 75 * 2**20)
    path = base / "data.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for csv in folder.glob("*.csv"):
            zf.write(csv, csv.name)
    expanded = sum(p.stat().st_size for p in folder.glob("*.csv"))
    print(f"  zip_max: {path.stat().st_size / 2**20:.1f} MB zip, {expanded / 2**20:.0f} MB of CSV "
          f"({expanded / path.stat().st_size:.1f}×; limit {MAX_EXPANSION}×)")
    return path


INPUTS = {"far_cell": far_cell, "zip_4000": zip_4000, "zip_bomb": zip_bomb, "xlsx_max": xlsx_max, "zip_max": zip_max}


CHILD = """
import resource, sys
from diagnostics.cli import main
code = main(["--db", sys.argv[1], "import", sys.argv[2]])
use = resource.getrusage(resource.RUSAGE_SELF)
print("PEAK_KB", use.ru_maxrss, use.ru_utime + use.ru_stime, file=sys.stderr)
sys.exit(code)
"""


def measure(name: str, base: Path) -> tuple[float, float, float, float, int, str]:
    path = INPUTS[name](base / name)
    size_mb = path.stat().st_size / 2**20
    db = base / f"{name}.db"
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{db}", str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    lines = proc.stderr.splitlines()
    usage = next((line.split()[1:] for line in lines if line.startswith("PEAK_KB ")), ["nan", "nan"])
    peak, cpu = float(usage[0]) / 1024, float(usage[1])
    shown = [line.strip() for line in (lines + proc.stdout.splitlines()) if not line.startswith("PEAK_KB ")]
    return size_mb, elapsed, cpu, peak, proc.returncode, " | ".join(shown[1:3])[:200]


def main(names: list[str]) -> int:
    failed = 0
    print(f"{'input':<10} {'size MB':>8} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} exit  first line")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(INPUTS):
            size, elapsed, cpu, peak, code, first = measure(name, Path(tmp))
            ok = size < INPUT_MB and cpu < LIMIT_S and peak < LIMIT_MB and code in (0, 2)
            failed += not ok
            print(f"{name:<10} {size:8.2f} {elapsed:7.1f} {cpu:6.1f} {peak:8.0f} {code:>4}  "
                  f"{'' if ok else 'OVER LIMIT '}{first}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
