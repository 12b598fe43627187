"""Targets are never lost: named as schools name them, resolved on import, refused when unknown.

Through the real CLI on the tiny data set (two schools, 2023–2024): a target named by an alias is
stored under the indicator's id; an unknown name is a located bilingual error that suggests the nearest
indicators (exit 2, store unchanged); a fraction on a percentage indicator is imported with a located
warning; a target for a layer the indicator does not have is refused.
"""

from __future__ import annotations

import pandas as pd
import pytest
from import_helpers import assert_located, dump, populate, read_errors, run_cli, url_of
from sqlalchemy import select
from tiny_data import write_tiny

from diagnostics.store import init_db, make_engine
from diagnostics.store.schema import DATA_TABLES

HEAD = "school_id,year,indicator_id,target,set_by,note,program_code\n"


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    init_db(eng)
    yield eng
    eng.dispose()


def _targets(engine) -> pd.DataFrame:
    t = DATA_TABLES["targets"]
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.school_id, t.c.year, t.c.indicator_id, t.c.program_code, t.c.target))
        return pd.DataFrame(rows.fetchall(), columns=["school_id", "year", "indicator_id", "program_code", "target"])


def test_aliases_and_names_are_stored_as_ids(engine, tmp_path, capsys):
    rows = ("S1,2023,就业率,87.1,招生就业处,一校一策,\n"
            "S1,2023,双师比例,60,人事处,,\n"
            "S1,2023,生均图书,100,图书馆,,\n"
            "S1,2023,employment_rate,90,招生就业处,,\n")
    folder = write_tiny(tmp_path / "in", tables={"targets": HEAD + rows})
    run = run_cli(capsys, url_of(engine), "import", str(folder))
    assert run.code == 0, run.text
    got = _targets(engine).sort_values("indicator_id")
    assert got["indicator_id"].tolist() == ["books_per_student", "dual_qualified_share", "employment_rate",
                                            "half_year_employment_rate"]
    assert got.set_index("indicator_id").loc["half_year_employment_rate", "target"] == 87.1  # 87.1 means 87.1 %


def test_an_unknown_name_is_a_located_error_with_suggestions(engine, tmp_path, capsys):
    populate(engine, write_tiny(tmp_path / "existing"))
    before = dump(engine)
    folder = write_tiny(tmp_path / "in", tables={"targets": HEAD + "S1,2024,就业,90,招生就业处,,\n"})
    errors = tmp_path / "errors.csv"
    run = run_cli(capsys, url_of(engine), "import", str(folder), "--errors", str(errors))
    assert run.code == 2, run.text
    assert dump(engine) == before  # nothing written
    frame = read_errors(errors)
    assert_located(frame, "targets.csv", "", 2, "指标(indicator_id)")
    issue = frame.iloc[0]
    assert "half_year_employment_rate（就业率（毕业半年后））" in issue["expected_zh"]  # the nearest indicators
    assert "就业" in issue["message_zh"] and "could never be checked" in issue["message_en"]


def test_a_fraction_on_a_percentage_indicator_is_imported_with_a_warning(engine, tmp_path, capsys):
    folder = write_tiny(tmp_path / "in", tables={"targets": HEAD + "S2,2024,毕业去向落实率,0.871,招生就业处,,\n"})
    run = run_cli(capsys, url_of(engine), "import", str(folder))
    assert run.code == 0, run.text
    assert "0.871" in run.out and "像是小数" in run.out and "targets.csv" in run.out  # located, imported
    assert _targets(engine)["target"].tolist() == [0.871]


@pytest.mark.parametrize("row, column", [
    ("S1,2023,生均图书,100,图书馆,,P01\n", "专业代码(program_code)"),  # books: school layer only
])
def test_a_target_for_a_layer_the_indicator_lacks_is_refused(engine, tmp_path, capsys, row, column):
    folder = write_tiny(tmp_path / "in", tables={"targets": HEAD + row})
    errors = tmp_path / "errors.csv"
    run = run_cli(capsys, url_of(engine), "import", str(folder), "--errors", str(errors))
    assert run.code == 2, run.text
    assert_located(read_errors(errors), "targets.csv", "", 2, column)


def test_a_teacher_layer_target_is_refused(engine, tmp_path, capsys):
    folder = write_tiny(tmp_path / "in", tables={"targets": "school_id,year,indicator_id,target,set_by,teacher_key\n"
                                                           "S1,2023,教师满意度,90,人事处,T001\n"})
    errors = tmp_path / "errors.csv"
    run = run_cli(capsys, url_of(engine), "import", str(folder), "--errors", str(errors))
    assert run.code == 2, run.text
    assert_located(read_errors(errors), "targets.csv", "", 2, "教师编号(teacher_key)")
