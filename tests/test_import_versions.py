"""Versioned writes: re-imports, corrections, dry runs, the errors file, plausibility
left to warnings, and tables read in pieces (as big province files are)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from broken_cases import CASES, set_cell
from import_helpers import check_case, content, dump, populate, read_errors, run_cli, url_of
from sqlalchemy import select
from tiny_data import PROGRAMS, TEACHERS, write_tiny

from diagnostics.io import sources, stage
from diagnostics.io.errors import COLUMNS_ZH
from diagnostics.store import init_db, make_engine
from diagnostics.store.schema import DATA_TABLES, data_versions, import_batches


def versions(engine) -> dict[tuple[str, int, int], bool]:
    with engine.connect() as conn:
        rows = conn.execute(select(data_versions.c.school_id, data_versions.c.year, data_versions.c.version_no,
                                   data_versions.c.is_current)).all()
    return {(r.school_id, r.year, r.version_no): r.is_current for r in rows}


def rows_of_version(engine, table: str, school: str, year: int, version_no: int) -> list[tuple]:
    t = DATA_TABLES[table]
    cols = [c for c in t.columns if c.name != "version_id"]
    with engine.connect() as conn:
        query = (select(*cols).join(data_versions, data_versions.c.id == t.c.version_id)
                 .where(data_versions.c.school_id == school, data_versions.c.year == year,
                        data_versions.c.version_no == version_no))
        return sorted(tuple(r) for r in conn.execute(query))


def test_reimporting_identical_data_changes_nothing(engine, tmp_path, capsys):
    folder = write_tiny(tmp_path / "in")
    assert run_cli(capsys, url_of(engine), "import", str(folder)).code == 0
    before = dump(engine)
    again = run_cli(capsys, url_of(engine), "import", str(folder))
    assert again.code == 0 and "nothing changed" in again.out
    assert dump(engine) == before
    assert len(before["import_batches"]) == 1 and len(before["data_versions"]) == 4


def test_a_corrected_school_year_is_a_new_version(engine, tmp_path, capsys):
    url = url_of(engine)
    assert run_cli(capsys, url, "import", str(write_tiny(tmp_path / "first"))).code == 0
    first = versions(engine)
    s2_before = {t: rows_of_version(engine, t, "S2", 2024, 1) for t in DATA_TABLES}
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    (corrected / "programs.csv").write_text(set_cell("programs", 3, "planned_intake", "120"), encoding="utf-8")
    run = run_cli(capsys, url, "import", str(corrected))
    assert run.code == 0, run.text
    after = versions(engine)
    assert after == {**first, ("S1", 2024, 1): False, ("S1", 2024, 2): True}
    for table in ("students", "teachers", "facilities"):  # not in the correction: carried forward
        assert rows_of_version(engine, table, "S1", 2024, 2) == rows_of_version(engine, table, "S1", 2024, 1)
        assert rows_of_version(engine, table, "S1", 2024, 1)
    old, new = (rows_of_version(engine, "programs", "S1", 2024, v) for v in (1, 2))
    assert [r[-2] for r in old] == [100] and [r[-2] for r in new] == [120]
    assert {t: rows_of_version(engine, t, "S2", 2024, 1) for t in DATA_TABLES} == s2_before
    with engine.connect() as conn:
        assert len(conn.execute(select(import_batches)).all()) == 2
    assert run_cli(capsys, url, "import", str(corrected)).code == 0
    assert versions(engine) == after  # the correction again: nothing new


def test_dry_run_writes_nothing(sqlite_engine, tmp_path, capsys):
    populate(sqlite_engine, write_tiny(tmp_path / "first"))
    before = dump(sqlite_engine)
    folder = write_tiny(tmp_path / "changed", tables={"teachers": set_cell("teachers", 2, "teaching_hours", "999")})
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(folder), "--dry-run")
    assert run.code == 0 and "dry run" in run.out and "1 new school-year version" in run.out
    assert dump(sqlite_engine) == before


def test_errors_file_has_bilingual_headers_and_every_error(sqlite_engine, tmp_path, capsys):
    folder = write_tiny(tmp_path / "in", tables={
        "teachers": set_cell("teachers", 2, "degree", "博士后"),
        "programs": set_cell("programs", 3, "is_key", "也许"),
        "facilities": set_cell("facilities", 4, "books", "-1"),
    })
    errors_csv = tmp_path / "problems.csv"
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(folder), "--errors", str(errors_csv))
    assert run.code == 2 and "发现 3 个问题 / found 3 problem(s)" in run.err
    header = errors_csv.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header == [f"{zh} {name}" if zh != name else name for name, zh in COLUMNS_ZH.items()]
    errors = read_errors(errors_csv)
    assert sorted(zip(errors["file"], errors["row"], errors["column"])) == [
        ("facilities.csv", "4", "纸质图书(books)"), ("programs.csv", "3", "重点/骨干专业(is_key)"),
        ("teachers.csv", "2", "学位(degree)")]


def test_plausibility_is_left_to_the_warnings(sqlite_engine, tmp_path, capsys):
    """Totals that do not add up and dangling references import fine: they are warnings, not shape errors."""
    tables = {
        "programs": set_cell("programs", 2, "actual_intake", "7"),  # ≠ its first-year students
        "students": set_cell("students", 3, "program_code", "999999"),  # no such program
        "courses": "school_id,year,program_code,course_code,course_name,course_type,hours,practice_hours,"
                   "enterprise_codeveloped,online_resources,taught_by_industry_hours\n"
                   "S1,2023,510201,C01,程序设计,B,64,80,是,否,0\n",  # practice hours > hours
        "finance": "school_id,year,state_appropriation,per_student_appropriation,tuition_income,total_income,"
                   "total_expenditure,teaching_expenditure,aid_received,aid_disbursed,aid_recipients,budget,"
                   "budget_executed\nS1,2023,1000,10,500,1000,2000,300,100,150,3,1000,1500\n",  # more out than in
        "graduates": "school_id,year,student_key,program_code,destination,job_related,monthly_income,certificate,"
                     "competition_award\nS1,2023,Z999,510201,就业,,,否,无\n",  # not a student of the school
    }
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(write_tiny(tmp_path / "in", tables=tables)))
    assert run.code == 0, run.text


@pytest.fixture
def small_pieces(monkeypatch):
    """Read tables three rows at a time and keep pieces on disk, as for a province's files."""
    monkeypatch.setattr(sources, "CHUNK_ROWS", 3)
    monkeypatch.setattr(stage, "SPILL_BYTES", 0)


def test_pieces_give_the_same_content(small_pieces, sqlite_engine, tmp_path, capsys):
    reference = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    init_db(reference)
    populate(reference, write_tiny(tmp_path / "a"))
    assert run_cli(capsys, url_of(sqlite_engine), "import", str(write_tiny(tmp_path / "b"))).code == 0
    assert content(sqlite_engine) == content(reference)
    reference.dispose()


def test_pieces_find_duplicates_and_rows_across_pieces(small_pieces, sqlite_engine, tmp_path, capsys):
    teachers = TEACHERS + "S2,2024,U1,专任,学士,中级,是,730301,12,410,1990\n"  # row 7 repeats row 6
    programs = PROGRAMS.replace("S2,2024,730301,会计事务,财经商贸类,2003,否,50,1",
                                "S2,2024,730301,会计事务,财经商贸类,2003,否,-50,1")  # row 5, second piece
    errors_csv = tmp_path / "errors.csv"
    folder = write_tiny(tmp_path / "in", tables={"teachers": teachers, "programs": programs})
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(folder), "--errors", str(errors_csv))
    assert run.code == 2
    errors = read_errors(errors_csv)
    assert sorted(zip(errors["file"], errors["row"], errors["column"])) == [
        ("programs.csv", "5", "计划招生数(planned_intake)"),
        ("teachers.csv", "6", "教师编号(teacher_key)"), ("teachers.csv", "7", "教师编号(teacher_key)")]


def test_export_filters_by_year(engine, tmp_path, capsys):
    populate(engine, write_tiny(tmp_path / "in"))
    out = tmp_path / "out"
    assert run_cli(capsys, url_of(engine), "export", str(out), "--year", "2024").code == 0
    assert (out / "programs.csv").read_text().count("\nS") == 2


def test_module_entry_point_knows_the_commands(tmp_path):
    run = subprocess.run([sys.executable, "-m", "diagnostics.cli", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                          "import", str(write_tiny(tmp_path / "in"))], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("name", ["ragged_row", "unbalanced_quotes", "ragged_blank_extra_cells", "header_unknown"])
def test_pieces_restart_after_a_late_parser_error(name, small_pieces, sqlite_engine, tmp_path, capsys):
    """A malformed line found after earlier pieces were read: the table is read again, record by record."""
    check_case(CASES[name], sqlite_engine, tmp_path, capsys)
