"""``zhengai sample --realistic``: the province the warnings are measured on (issue 11).

Most schools are clean and meet every verified standard; faults sit in a minority of schools, the one-year
ones in a middle year so the years after them exist; targets name their indicators as schools do (and every
such name resolves); quantities move by a few per cent a year; the contract's newer fields are filled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.store import init_db, make_engine


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    out = tmp_path_factory.mktemp("realistic") / "p"
    generate(out, schools=12, years=5, seed=13, realistic=True)
    key = pd.read_csv(out / ANSWER_KEY, dtype={"school_id": str})
    tables = {n: pd.read_csv(out / f"{n}.csv", dtype={"school_id": str}, low_memory=False)
              for n in ("schools", "targets", "facilities", "graduates", "internships", "partners")}
    return out, key, tables


def test_faults_sit_in_a_minority_of_schools(province):
    _, key, t = province
    assert 4 <= key["school_id"].nunique() <= 6  # 35 % of 12 schools (at least four)
    assert set(key["fault_class"]) >= {"below_standard", "sudden_drop", "peer_outlier", "target_miss"}


def test_one_year_faults_have_years_after_them(province):
    _, key, _ = province
    drops = key[key["fault_class"] == "sudden_drop"]
    assert len(drops) and (drops["year"] <= 2023).all() and (drops["year"] >= 2023).all()  # t = 3 of 0…4


def test_targets_are_written_as_schools_write_them_and_all_resolve(province):
    _, _, t = province
    models, _ = load_models()
    names = set(t["targets"]["indicator_id"])
    assert names & {"毕业去向落实率", "生师比", "双师比例"}  # names, not the library's ids
    assert not names & set(models.indicators)
    assert all(models.resolve(n) for n in names), [n for n in names if not models.resolve(n)]
    rates = t["targets"][t["targets"]["indicator_id"].isin(["毕业去向落实率", "学生满意度", "双师比例"])]
    assert (rates["target"] > 1).all()  # in percent: 87.1, not 0.871


def test_the_newer_contract_fields_are_filled(province):
    _, _, t = province
    assert t["facilities"]["language_lab_seats"].gt(0).all()
    assert t["partners"]["employees"].ge(60).all()
    assert set(t["internships"]["kind"]) == {"岗位实习"} and t["internships"]["post_employees"].gt(0).all()
    g = t["graduates"]
    assert set(g["study_mode"]) <= {"全日制", "成人脱产", "夜大", "函授", "留学生", "预科", "进修"}
    followed = g["employed_half_year"].dropna()
    assert 0.85 < len(followed) / len(g) < 0.99 and followed.astype(str).isin(["True", "False"]).all()


def test_quantities_move_by_a_few_per_cent(province):
    _, _, t = province
    f = t["facilities"].sort_values(["school_id", "year"])
    per = f["equipment_value"] / f["books"]  # a ratio of two planned quantities: the noise shows
    change = per.groupby(f["school_id"]).pct_change().dropna().abs()
    assert 0.01 < change.median() < 0.08


def test_clean_schools_meet_every_verified_standard(province, tmp_path):
    out, key, _ = province
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    init_db(engine)
    assert import_path(engine, out).ok
    models, _ = load_models()
    values = compute(engine, models).to_frame()
    clean = values[~values["school_id"].isin(set(key["school_id"]))]
    below = clean[clean["level"].isin(["不合格", "限制招生"])]
    assert below.empty, below[["school_id", "year", "layer", "unit", "indicator_id", "value"]].head(20).to_string()
    assert np.isin(["合格"], clean["level"]).all()  # and standards do apply to them
