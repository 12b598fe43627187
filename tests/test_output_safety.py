"""Every spreadsheet and CSV file zhengai writes, from a province whose names are hostile, holds no
cell a spreadsheet would evaluate (issue 13): no openpyxl formula cell, no formula-like text without
Excel's quote prefix, no CSV text cell starting with = + - @ tab or CR (numbers stay numbers)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from app_world import context
from import_helpers import run_cli
from openpyxl import load_workbook

from diagnostics.app.dataimport.model import ImportModel
from diagnostics.app.province import ProvinceModel
from diagnostics.app.review.model import ReviewModel
from diagnostics.io.cells import FORMULA_START, is_live, neutral, safe_frame
from diagnostics.sample import ANSWER_KEY, generate

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
           "\t=1+1", "\r=1+1"]


def live_xlsx_cells(data: bytes) -> list[str]:
    """Cells of an xlsx file a spreadsheet would evaluate (formulas, or formula-like text not quoted)."""
    wb = load_workbook(io.BytesIO(data))
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    bad.append(f"{ws.title}!{cell.coordinate} formula {cell.value!r}")
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_START) and not cell.quotePrefix:
                    bad.append(f"{ws.title}!{cell.coordinate} unquoted {cell.value!r}")
    return bad


def quoted_cells(data: bytes) -> int:
    """How many formula-like text cells an xlsx file holds, kept as quoted text (the test has teeth)."""
    wb = load_workbook(io.BytesIO(data))
    return sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.lstrip("\t").startswith(FORMULA_START) and c.quotePrefix)


def live_csv_cells(text: str) -> list[str]:
    """Text cells of a CSV file that start with = + - @ tab or CR and are not plain numbers."""
    return [f"row {n} {cell!r}" for n, row in enumerate(csv.reader(io.StringIO(text))) for cell in row
            if is_live(cell)]


def hostile_programs() -> pd.DataFrame:
    """Programs whose every text cell is an injection and whose numbers are formulas: an invalid input."""
    return pd.DataFrame([{"school_id": f"S9{i}", "year": 2024, "program_code": h, "program_name": h,
                          "program_group": h, "first_year": 2005, "is_key": "是", "planned_intake": "=1+1",
                          "actual_intake": "@2"} for i, h in enumerate(HOSTILE)])


def test_the_sanitiser_neutralises_text_and_leaves_numbers():
    assert [neutral(h) for h in HOSTILE] == ["'" + h for h in HOSTILE]
    assert neutral("-3.5") == "-3.5" and neutral("+1e3") == "+1e3" and neutral(-3.5) == -3.5
    assert neutral("江州职业技术学院") == "江州职业技术学院" and neutral("a=b") == "a=b"
    frame = pd.DataFrame({"name": HOSTILE, "value": [-1.5] * len(HOSTILE),
                          "code": pd.Categorical(["=1"] * len(HOSTILE))})
    out = safe_frame(frame)
    assert out["value"].tolist() == [-1.5] * len(HOSTILE) and out["value"].dtype == float
    assert all(v.startswith("'") for v in out["name"]) and set(out["code"].astype(str)) == {"'=1"}
    assert frame["name"].tolist() == HOSTILE  # the caller's frame is not changed


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A small province whose school, city and program names and notes are formula injections,
    imported, computed and warned; returns (url, folder)."""
    root = tmp_path_factory.mktemp("hostile")
    mp = pytest.MonkeyPatch()
    mp.setenv("ZHENGAI_HOME", str(root / "home"))
    folder = root / "data"
    generate(folder, schools=4, years=2, seed=5, scale=0.1)
    (folder / ANSWER_KEY).unlink()
    schools = pd.read_csv(folder / "schools.csv", dtype=str)
    names = HOSTILE[:5]  # (a CR inside a CSV field is the importer's concern, not this test's)
    schools["name"] = [f"{names[i % len(names)]}{i}" for i in range(len(schools))]
    schools["city"] = [HOSTILE[(i + 1) % 2] for i in range(len(schools))]
    schools.to_csv(folder / "schools.csv", index=False)
    programs = pd.read_csv(folder / "programs.csv", dtype=str, keep_default_na=False)
    programs["program_name"] = [f"{names[i % len(names)]}p{i}" for i in range(len(programs))]
    programs.to_csv(folder / "programs.csv", index=False)
    url = f"sqlite:///{root / 'store.db'}"
    from diagnostics.cli import main

    for args in (["import", str(folder)], ["compute"]):
        assert main(["--db", url, *args]) == 0
    yield url, root, str(pd.to_numeric(programs["year"]).max())
    mp.undo()


def test_cli_files_hold_no_live_formula(hostile, tmp_path, capsys):
    url, _, year = hostile
    assert run_cli(capsys, url, "export", str(tmp_path / "out.xlsx")).code == 0
    assert live_xlsx_cells((tmp_path / "out.xlsx").read_bytes()) == []
    assert quoted_cells((tmp_path / "out.xlsx").read_bytes()) >= 4 + 100  # every school, every program
    wb = load_workbook(tmp_path / "out.xlsx")
    names = [c.value for c in wb["schools"]["B"][1:]]
    assert any(str(n).startswith("=HYPERLINK") for n in names)  # shown as typed, not changed
    assert run_cli(capsys, url, "export", str(tmp_path / "csv")).code == 0
    written = sorted((tmp_path / "csv").glob("*.csv"))
    assert {p.stem for p in written} >= {"schools", "programs"}
    for path in written:
        assert live_csv_cells(path.read_text(encoding="utf-8")) == [], path.name
    assert "'=HYPERLINK" in (tmp_path / "csv" / "schools.csv").read_text(encoding="utf-8")
    for args in (["values", "--format", "csv"], ["flags", "--format", "csv"], ["status", "--format", "csv"]):
        run = run_cli(capsys, url, *args)
        assert run.code == 0, run.text
        assert live_csv_cells(run.out) == [], args
    run = run_cli(capsys, url, "report", "--all", "--year", year, "--format", "xlsx",
                  "--out", str(tmp_path / "reports"))
    assert run.code == 0, run.text
    books = sorted((tmp_path / "reports").glob("*.xlsx"))
    assert len(books) == 4
    for path in books:
        assert live_xlsx_cells(path.read_bytes()) == [] and quoted_cells(path.read_bytes()) > 0, path.name
    assert run_cli(capsys, url, "template", str(tmp_path / "template.xlsx")).code == 0
    assert live_xlsx_cells((tmp_path / "template.xlsx").read_bytes()) == []


def test_errors_csv_of_a_hostile_input_holds_no_live_formula(hostile, tmp_path, capsys):
    url, _, _ = hostile
    bad = tmp_path / "bad"
    bad.mkdir()
    hostile_programs().to_csv(bad / "programs.csv", index=False)
    run = run_cli(capsys, url, "import", str(bad), "--errors", str(tmp_path / "errors.csv"))
    assert run.code == 2, run.text
    text = (tmp_path / "errors.csv").read_text(encoding="utf-8-sig")
    assert "'=1+1" in text or "'@2" in text
    assert live_csv_cells(text) == []


def test_dashboard_workbooks_hold_no_live_formula(hostile, tmp_path):
    url, _, _ = hostile
    ctx = context(url)
    province = ProvinceModel(ctx).export()
    assert live_xlsx_cells(province) == [] and quoted_cells(province) > 0
    review = ReviewModel(ctx).export()
    assert live_xlsx_cells(review) == [] and quoted_cells(review) > 0
    importer = ImportModel(ctx)
    try:
        importer.add_files([("programs.csv", hostile_programs().to_csv(index=False).encode())])
        assert not importer.validate() and importer.issues
        problems = importer.issues_workbook()
        assert live_xlsx_cells(problems) == [] and quoted_cells(problems) > 0
        assert live_xlsx_cells(importer.template()) == []
    finally:
        importer.close()


def test_sample_writer_never_writes_a_live_cell(tmp_path):
    from diagnostics.contract import BY_NAME
    from diagnostics.sample.writer import CsvWriter

    writer = CsvWriter(tmp_path)
    writer.write("schools", pd.DataFrame({"school_id": ["X1"], "name": ["=1+1"], "level": ["中职"],
                                          "category": ["工科"], "city": ["@c"], "ownership": ["公办"],
                                          "founded": [1990]}))
    writer.close()
    text = (tmp_path / "schools.csv").read_text(encoding="utf-8")
    assert live_csv_cells(text) == [] and "'=1+1" in text and len(BY_NAME["schools"].fields) == 7


def test_written_files_keep_their_place(tmp_path: Path):
    """The hardening of a workbook does not move or drop cells."""
    from openpyxl import Workbook

    from diagnostics.io.cells import workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "=1+1", -3.5, "@x"
    wb2 = load_workbook(io.BytesIO(workbook_bytes(wb)))
    cells = wb2.active
    assert (cells["A1"].value, cells["B1"].value, cells["C1"].value) == ("=1+1", -3.5, "@x")
    assert cells["A1"].data_type == "s" and cells["B1"].data_type == "n" and cells["A1"].quotePrefix
