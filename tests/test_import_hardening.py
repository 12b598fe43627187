"""Issue 13, the importer half: what the corpus cases cannot say alone — the --errors file, the
--allow-hidden flag, a reader out of memory, simultaneous imports, linear zip reading, the one
ID-number detector and the one table of invisible characters."""

from __future__ import annotations

import sys
import threading
import time
import unicodedata

import pandas as pd
import pytest
from broken_cases import CASES, NOTE_ID, set_cell, spaced, workbook, zip_members
from import_helpers import assert_clean_output, content, dump, populate, read_errors, run_cli, url_of
from tiny_data import write_tiny

from diagnostics.access import Access
from diagnostics.access.roles import local_user
from diagnostics.io import coerce, importer, xlsx
from diagnostics.io.errors import ImportIssue, scrub
from diagnostics.io.idnumber import id_numbers_in, mask_shaped
from diagnostics.io.importer import import_path
from diagnostics.store import make_engine

# ------------------------------------------------------------------ --errors

def test_successful_import_leaves_the_errors_file_alone(sqlite_engine, tmp_path, capsys):
    mine = tmp_path / "notes.csv"
    mine.write_text("my own notes, not zhengai's\n", encoding="utf-8")
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(write_tiny(tmp_path / "in")), "--errors", str(mine))
    assert run.code == 0, run.text
    assert mine.read_text(encoding="utf-8") == "my own notes, not zhengai's\n"


@pytest.mark.parametrize("where", ["folder", "missing_folder"])
def test_errors_path_that_cannot_be_written_is_a_located_error(where, sqlite_engine, tmp_path, capsys):
    populate(sqlite_engine, write_tiny(tmp_path / "existing"))
    before = dump(sqlite_engine)
    target = tmp_path if where == "folder" else tmp_path / "no such folder" / "errors.csv"
    bad_input = CASES["text_in_count"].build(tmp_path / "input")
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(bad_input), "--errors", str(target))
    assert run.code == 2, run.text
    assert "--errors" in run.err and "数据库未改动" in run.err and "unchanged" in run.err
    assert ("文件夹" in run.err) and ("folder" in run.err)
    assert_clean_output(run.text)
    assert dump(sqlite_engine) == before


# ------------------------------------------------------------------ hidden content

def _hide_teacher_row(wb) -> None:  # noqa: ANN001
    wb["teachers"].row_dimensions[3].hidden = True
    wb["teachers"].sheet_state = "veryHidden"


def test_allow_hidden_imports_hidden_content_and_names_it(sqlite_engine, tmp_path, capsys):
    book = workbook(tweak=_hide_teacher_row)(tmp_path / "input")
    refused = run_cli(capsys, url_of(sqlite_engine), "import", str(book))
    assert refused.code == 2 and "--allow-hidden" in refused.err
    assert "veryHidden" in refused.err and "第3行" in refused.err and "row 3" in refused.err
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(book), "--allow-hidden")
    assert run.code == 0, run.text
    assert "very hidden" in run.out and "row 3 is hidden" in run.out and "--allow-hidden" in run.out
    ref = make_engine(f"sqlite:///{tmp_path / 'ref.db'}")
    assert run_cli(capsys, url_of(ref), "import", str(write_tiny(tmp_path / "plain"))).code == 0
    assert content(sqlite_engine) == content(ref)  # the hidden row was imported, not dropped
    ref.dispose()


# ------------------------------------------------------------------ one reader, refusing what it cannot read

def test_reader_out_of_memory_is_a_located_error(sqlite_engine, tmp_path, monkeypatch):
    def no_memory(data: bytes) -> list:
        raise MemoryError

    monkeypatch.setattr("diagnostics.io.workbook.read_book", no_memory)
    result = import_path(sqlite_engine, workbook()(tmp_path))
    assert not result.ok
    issue = result.issues.issues[0]
    assert issue.file == "book.xlsx" and "内存" in issue.message_zh and "too large" in issue.message_en
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from data_versions").scalar() == 0


def test_the_reader_ignores_a_declared_dimension(tmp_path):
    path = CASES["xlsx_dimension_understated"].build(tmp_path)
    teachers = next(s for s in xlsx.read_book(path.read_bytes()) if s.title == "teachers")
    assert len(teachers.rows) == 6  # header + 5 teachers, though <dimension> says A1:A2


# ------------------------------------------------------------------ bounds

def test_zip_members_are_read_in_linear_time(sqlite_engine, tmp_path):
    path = zip_members(0)(tmp_path)
    import zipfile

    with zipfile.ZipFile(path, "a") as zf:
        for i in range(900):  # within the member limit: 900 CSV members, each refused as an unknown table
            zf.writestr(f"more/x{i}.csv", b"a,b\n1,2\n")
    started = time.perf_counter()
    result = import_path(sqlite_engine, path)
    elapsed = time.perf_counter() - started
    assert not result.ok and len(result.issues) >= 900
    assert elapsed < 15, f"900 members took {elapsed:.1f} s"


def test_zip_bomb_is_refused_before_it_is_unpacked(sqlite_engine, tmp_path):
    import zipfile

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("students.csv", b"0" * (200 * 2**20))
    assert path.stat().st_size < 1 * 2**20
    started = time.perf_counter()
    result = import_path(sqlite_engine, path)
    assert time.perf_counter() - started < 5
    assert not result.ok and "zip bomb" in result.issues.issues[0].message_en


# ------------------------------------------------------------------ simultaneous imports

@pytest.mark.postgres
def test_two_simultaneous_imports_of_one_school_year(pg_url_engine, tmp_path, monkeypatch):
    engine = pg_url_engine
    populate(engine, write_tiny(tmp_path / "existing"))
    changed = write_tiny(tmp_path / "changed", tables={"teachers": set_cell("teachers", 4, "teaching_hours", "340")})
    barrier = threading.Barrier(2, timeout=30)
    real = importer.write_tables

    def together(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        barrier.wait()  # both have read the current versions: now both write
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "write_tables", together)
    results: list = []

    def run() -> None:
        try:
            results.append(Access(engine, local_user()).import_data(changed))
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(not isinstance(r, BaseException) for r in results), results
    ok = [r for r in results if r.ok]
    refused = [r for r in results if not r.ok]
    assert len(ok) == 1 and len(refused) == 1, [r.to_text() for r in results]
    assert "同时" in refused[0].to_text() and "at the same time" in refused[0].to_text()
    assert "Traceback" not in refused[0].to_text()


@pytest.fixture
def pg_url_engine(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    from diagnostics.store import init_db, make_engine

    engine = make_engine(db_url)
    init_db(engine)
    yield engine
    engine.dispose()


# ------------------------------------------------------------------ the one detector, the one table

def test_one_detector_finds_id_numbers_however_written():
    number = NOTE_ID
    forms = [number, spaced(number), spaced(number, "-"), "ID" + number, f"身份证号：{spaced(number)}",
             number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")), f"ID {number[:17]} {number[17]}"]
    assert id_numbers_in(pd.Series(forms)).all()
    not_ids = ["A001", "13800138000", "6222021234567890123", number[:17] + ("0" if number[17] != "0" else "1")]
    assert not id_numbers_in(pd.Series(not_ids)).any()
    for form in forms:
        shown = mask_shaped(f"值 {form} 之后")
        assert number not in shown.replace(" ", "").replace("-", "") and "********" in shown
        assert shown.startswith("值 ") and shown.endswith(" 之后")


def test_a_unified_social_credit_code_is_not_an_old_id_number():
    """An enterprise's unified social credit code (18 characters, letters allowed at the end) starts with 15
    digits whenever its organisation code starts with 7: that head looked like an old 15-digit ID number with
    a real birth date (1923-10-06 here), and a 300-school province's partners and internships were refused."""
    codes = ["913604231006253HA4", "91360423100625 3HA4", "913604231006253ha4", "９１３６０４２３１００６２５３ＨＡ４",
             "企业 913604231006253HA4 实习"]
    assert not id_numbers_in(pd.Series(codes)).any()
    assert all(mask_shaped(code) == code for code in codes)
    old = "440524880101001"  # an old 15-digit ID number is still found when no letter follows it
    forms = [old, f"身份证{old}号", f"ID{old}", f"{old} 张三", f"{old}-", f"{old}。", spaced(old)]
    assert id_numbers_in(pd.Series(forms)).all()


def test_issues_mask_a_spaced_id_number_in_every_field():
    issue = ImportIssue("f.csv", "", 2, "年授课学时(teaching_hours)", spaced(NOTE_ID), "整数", "an integer",
                        f"无法识别 {spaced(NOTE_ID, '-')}", "not a number")
    text = issue.text()
    assert NOTE_ID not in text.replace(" ", "").replace("-", "")
    assert scrub("第3行起不是 UTF-8：") == "第3行起不是 UTF-8："  # messages are not otherwise changed


def test_invisible_table_is_unicodes_control_and_format_characters():
    cats = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"}
    expected = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) in cats]
    # object dtype: lone surrogates (Cs) cannot be Arrow strings, and no decoded input holds them anyway
    mask = coerce.invisible_mask(pd.Series(expected + ["S1", "江州", "a b"], dtype=object), key=True)
    assert mask[:len(expected)].all() and not mask[len(expected):].any()


def test_errors_csv_of_a_spaced_id_in_a_count_is_masked(sqlite_engine, tmp_path, capsys):
    errors = tmp_path / "errors.csv"
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(CASES["spaced_id_number_in_count"].build(tmp_path)),
                  "--errors", str(errors))
    assert run.code == 2
    frame = read_errors(errors)
    assert frame["value"].str.contains(r"\*{8}").any()
    assert_clean_output(run.text, errors.read_text(encoding="utf-8-sig"), ids=[NOTE_ID])


@pytest.mark.parametrize("fast_limit", [xlsx.FAST_LIMIT, -1], ids=["regex", "lxml"])
def test_both_sheet_parsers_see_hidden_sheets_rows_and_columns(fast_limit, tmp_path, monkeypatch):
    def hide(wb) -> None:  # noqa: ANN001
        _hide_teacher_row(wb)
        wb["programs"].column_dimensions["D"].hidden = True

    monkeypatch.setattr(xlsx, "FAST_LIMIT", fast_limit)
    book = {s.title: s for s in xlsx.read_book(workbook(tweak=hide)(tmp_path).read_bytes())}
    assert book["teachers"].state == "veryHidden" and book["teachers"].hidden_rows == {3}
    assert 4 in book["programs"].hidden_columns and book["programs"].state == "visible"
    assert not book["students"].hidden_rows and not book["students"].hidden_columns
