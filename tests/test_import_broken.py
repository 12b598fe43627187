"""The import corpus: every broken input is refused with located, bilingual errors
(exit 2, store unchanged, no traceback, no clear ID number); every valid variant
imports cleanly with exactly the stored content of the plain tiny data set.

The whole corpus runs on SQLite; a representative subset also on PostgreSQL.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from broken_cases import BROKEN, CASES, VALID, Case
from import_helpers import assert_clean_output, check_case, run_cli, url_of
from tiny_data import write_tiny

from diagnostics.io.idnumber import check_chars
from diagnostics.store.schema import DATA_TABLES, data_versions, import_batches

PG_SUBSET = ["header_unknown", "text_in_count", "duplicate_key", "id_column_holds_names", "xlsx_merged_header",
             "unbalanced_quotes", "encoding_gb18030", "xlsx_bilingual_template_headers"]


def test_corpus_is_large_enough():
    assert len(BROKEN) >= 30 and len(CASES) == len(BROKEN) + len(VALID)


@pytest.mark.parametrize("case", BROKEN + VALID, ids=lambda c: c.name)
def test_corpus_on_sqlite(case: Case, sqlite_engine, tmp_path, capsys):
    check_case(case, sqlite_engine, tmp_path, capsys)


@pytest.mark.postgres
@pytest.mark.parametrize("name", PG_SUBSET)
def test_corpus_subset_on_both_backends(name: str, engine, tmp_path, capsys):
    check_case(CASES[name], engine, tmp_path, capsys)


# ------------------------------------------------------------------ a 50 MB file

def big_students_csv(path: Path, target_bytes: int = 50 * 2**20) -> int:
    """A valid students.csv of about ``target_bytes`` for school S1, 2024: distinct keys and ID numbers,
    sex and birth date given (and consistent), as a province's student-status export has them."""
    n = target_bytes // 80 + 1
    i = np.arange(n)
    born = pd.Timestamp("2000-01-01") + pd.to_timedelta(i % 3650, unit="D")
    sequence = i // 3650 % 1000
    first17 = pd.Series("320102" + born.strftime("%Y%m%d") + pd.Series(sequence).astype(str).str.zfill(3))
    frame = pd.DataFrame({"school_id": "S1", "year": 2024, "student_key": "K" + pd.Series(i).astype(str).str.zfill(8),
                          "id_number": first17 + check_chars(first17), "program_code": "510201",
                          "entry_year": 2024 - (i % 3), "status": "在籍",
                          "study_mode": np.where(i % 7 == 0, "夜大", "全日制"),
                          "gender": np.where(sequence % 2 == 1, "男", "女"), "birth_date": born.strftime("%Y-%m-%d")})
    frame.to_csv(path, index=False)
    return n


@pytest.mark.slow  # about 18 s of CPU (read, check and hash 655 000 students, insert them): > 20 s of wall time
def test_50mb_students_file_imports(sqlite_engine, tmp_path, capsys):
    folder = write_tiny(tmp_path / "big")
    rows = big_students_csv(folder / "students.csv")
    assert (folder / "students.csv").stat().st_size >= 50 * 2**20
    started, cpu = time.perf_counter(), time.process_time()
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(folder))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert run.code == 0, run.text[-3000:]
    assert_clean_output(run.text)
    with sqlite_engine.connect() as conn:
        stored = conn.execute(DATA_TABLES["students"].select().with_only_columns(
            DATA_TABLES["students"].c.id_problem).where(DATA_TABLES["students"].c.year == 2024,
                                                      DATA_TABLES["students"].c.school_id == "S1")).scalars().all()
        batches = conn.execute(import_batches.select()).all()
        versions = conn.execute(data_versions.select()).all()
    assert len(stored) == rows and set(stored) == {None}
    assert len(batches) == 1 and len(versions) == 4
    assert cpu < 60, f"50 MB import took {cpu:.1f} s of CPU ({elapsed:.1f} s)"
    print(f"50 MB students.csv: {rows} rows in {elapsed:.1f} s ({cpu:.1f} s CPU)")
