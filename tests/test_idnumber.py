"""Resident ID numbers: the GB 11643 check, problem records, keyed hashes, masking —
and that a clear number never reaches the store, the output or an error report."""

from __future__ import annotations

import datetime as dt
import random
import stat

import pandas as pd
import pytest
from broken_cases import add_column, csv_text, rows_of, set_cell
from import_helpers import assert_clean_output, dump, read_errors, run_cli, tiny_ids, url_of
from sqlalchemy import select
from tiny_data import make_id, students_csv, write_tiny

from diagnostics.io.idnumber import (
    BAD_CHECK,
    BAD_DATE,
    BAD_FORMAT,
    BIRTH_MISMATCH,
    MISSING,
    SEX_MISMATCH,
    check,
    check_char,
    check_many,
    keyed_hash,
    keyed_hashes,
    load_secret,
    mask,
    normalise,
    secret_path,
)
from diagnostics.store.schema import DATA_TABLES

A, B = "11010519491231002X", "440524188001010014"  # the examples of GB 11643-1999
STUDENTS = DATA_TABLES["students"]


def test_standard_examples_are_valid():
    assert check_char(A[:17]) == "X" and check_char(B[:17]) == "4"
    assert check(A) == (A, check(A)[1]) and check(A)[1].problem is None
    assert (check(A)[1].gender, check(A)[1].birth_date) == ("女", dt.date(1949, 12, 31))
    assert (check(B)[1].problem, check(B)[1].gender, check(B)[1].birth_date) == (None, "男", dt.date(1880, 1, 1))


@pytest.mark.parametrize("raw, problem", [
    (A[:17] + "5", BAD_CHECK),
    (make_id("110105", "20230230", "001"), BAD_DATE),  # 30 February
    (make_id("110105", "20991231", "001"), BAD_DATE),  # born in the future
    ("张三", BAD_FORMAT), ("1101051949123100", BAD_FORMAT), ("", MISSING), (None, MISSING),
    (" 11010519491231002x ", None), ("１１０１０５１９４９１２３１００２Ｘ", None),  # spaces, lower case, full width
])
def test_problems(raw, problem):
    assert check(raw)[1].problem == problem


def test_sex_and_birth_date_must_agree():
    assert check(A, gender="男")[1].problem == SEX_MISMATCH
    assert check(A, birth_date=dt.date(1949, 12, 30))[1].problem == BIRTH_MISMATCH
    assert check(A, gender="女", birth_date=dt.date(1949, 12, 31))[1].problem is None


def test_fifteen_digit_number_becomes_eighteen():
    assert normalise("110105491231002") == A
    assert check("110105491231002")[1].problem is None


def test_mask_hides_birth_date_and_sequence():
    assert mask(A) == "110105********002X"
    assert mask("张三") == "**" and mask("王小明") == "王*明"


def test_vectorised_check_equals_the_scalar_one():
    rng = random.Random(11643)
    values, genders, births = [], [], []
    for _ in range(3000):
        body = f"{rng.randint(110000, 659999)}{rng.randint(1790, 2030)}{rng.randint(0, 13):02d}" \
               f"{rng.randint(0, 32):02d}{rng.randint(0, 999):03d}"
        value = body + (check_char(body) if rng.random() < 0.6 else rng.choice("0123456789X"))
        values.append(rng.choice([value, value[:6] + value[8:17], "张三", "", None, value.lower(), value + ".0"]))
        genders.append(rng.choice([None, "男", "女"]))
        births.append(rng.choice([None, dt.date(1949, 12, 31), dt.date(2000, 1, 1)]))
    many = check_many(pd.Series(values, dtype=object), pd.Series(genders, dtype=object),
                      pd.Series(births, dtype=object))
    for i, (v, g, b) in enumerate(zip(values, genders, births)):
        number, outcome = check(v, g, b)
        assert (many.number[i], many.problem[i]) == (number, outcome.problem), v
        if number is not None:
            assert (many.gender[i], many.birth_date[i]) == (outcome.gender, outcome.birth_date), v


def test_keyed_hashes_are_hmac_sha256_and_the_secret_is_private():
    key = load_secret()
    assert keyed_hashes([A, B], key) == [keyed_hash(A, key), keyed_hash(B, key)]
    assert keyed_hash(A, key) != keyed_hash(A, b"another key")
    assert stat.S_IMODE(secret_path().stat().st_mode) == 0o600


# ------------------------------------------------------------------ on import

FULL_WIDTH = "１１０１０５１９４９１２３１００２Ｘ"


def _problem_students() -> tuple[str, dict[str, str | None]]:
    """The tiny students table with one problem ID number per row; expected id_problem by student."""
    rows = rows_of(students_csv())
    rows[0] += ["gender", "birth_date"]
    wrong = {  # student row -> (ID number, gender, birth date, expected problem)
        1: (A[:17] + "5", "", "", BAD_CHECK),
        2: (make_id("110105", "20230230", "001"), "", "", BAD_DATE),
        3: (A, "男", "", SEX_MISMATCH),
        4: (B, "", "1880-01-02", BIRTH_MISMATCH),
        5: ("110105491231002", "", "", None),  # an old 15-digit number: converted, fine
        6: ("", "", "", MISSING),
        7: (FULL_WIDTH, "女", "1949-12-31", None),
    }
    expected = {}
    for i, r in enumerate(rows[1:], start=1):
        number, gender, born, problem = wrong.get(i, (r[3], "", "", None))
        r[3:4] = [number]
        r += [gender, born]
        expected[r[2] + "/" + r[1]] = problem
    return csv_text(rows), expected


def test_bad_id_numbers_are_stored_as_problem_records(engine, tmp_path, capsys):
    text, expected = _problem_students()
    run = run_cli(capsys, url_of(engine), "import", str(write_tiny(tmp_path / "in", tables={"students": text})))
    assert run.code == 0, run.text
    with engine.connect() as conn:
        stored = conn.execute(select(STUDENTS.c.student_key, STUDENTS.c.year, STUDENTS.c.id_problem,
                                     STUDENTS.c.id_hash, STUDENTS.c.gender, STUDENTS.c.birth_date)).all()
    assert {f"{r.student_key}/{r.year}": r.id_problem for r in stored} == expected
    hashes = {f"{r.student_key}/{r.year}": r.id_hash for r in stored}
    key = load_secret()
    assert hashes["A003/2024"] == hashes["A001/2024"] == keyed_hash(A, key)  # 15 digits, converted; problem rows keep a hash
    assert hashes["B001/2024"] == keyed_hash(A, key)  # A in full-width digits
    assert hashes["B001/2023"] is None  # missing
    assert all(len(h) == 64 for k, h in hashes.items() if k != "B001/2023")
    assert_clean_output(run.text, repr(dump(engine)), ids=tiny_ids() + [A[:17] + "5", FULL_WIDTH, "110105491231002"])


def test_clear_numbers_never_leave_the_importer(sqlite_engine, tmp_path, capsys):
    """A headerless students file puts an ID number where a column name should be: shown masked only."""
    folder = write_tiny(tmp_path / "in", tables={"students": "".join(students_csv().splitlines(True)[1:]),
                                                 "teachers": set_cell("teachers", 2, "degree", "博士后")})
    errors_csv = tmp_path / "errors.csv"
    before = dump(sqlite_engine)
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(folder), "--errors", str(errors_csv))
    assert run.code == 2
    report = errors_csv.read_text(encoding="utf-8-sig")
    assert "110105********002X" in run.err and "110105********002X" in report
    assert_clean_output(run.text, report, repr(dump(sqlite_engine)))
    assert dump(sqlite_engine) == before
    assert len(read_errors(errors_csv)) > 5


def test_same_person_at_two_schools_has_the_same_hash(engine, tmp_path, capsys):
    """Two separate imports (each school its own) still meet on the keyed hash."""
    moved = csv_text(rows_of(students_csv()) + [["S2", "2024", "B003", A, "730301", "2024", "在籍", "全日制"]])
    s1 = "\n".join(line for line in moved.splitlines() if not line.startswith("S2")) + "\n"
    s2 = "\n".join(line for i, line in enumerate(moved.splitlines()) if i == 0 or line.startswith("S2")) + "\n"
    url = url_of(engine)
    assert run_cli(capsys, url, "import", str(write_tiny(tmp_path / "s1", tables={"students": s1}))).code == 0
    assert run_cli(capsys, url, "import", str(write_tiny(tmp_path / "s2", tables={"students": s2}))).code == 0
    with engine.connect() as conn:
        rows = conn.execute(select(STUDENTS.c.school_id, STUDENTS.c.student_key, STUDENTS.c.id_hash)
                            .where(STUDENTS.c.year == 2024)).all()
    by_key = {(r.school_id, r.student_key): r.id_hash for r in rows}
    assert by_key[("S1", "A001")] == by_key[("S2", "B003")] == keyed_hash(A, load_secret())
    assert len(set(by_key.values())) == len(by_key) - 1


def test_gender_and_birth_date_are_derived_when_absent(sqlite_engine, tmp_path, capsys):
    folder = write_tiny(tmp_path / "in", tables={"students": add_column("students", "gender", {})})
    assert run_cli(capsys, url_of(sqlite_engine), "import", str(folder)).code == 0
    with sqlite_engine.connect() as conn:
        row = conn.execute(select(STUDENTS.c.gender, STUDENTS.c.birth_date)
                           .where(STUDENTS.c.student_key == "A001", STUDENTS.c.year == 2023)).one()
    assert (row.gender, row.birth_date) == ("女", dt.date(1949, 12, 31))
