"""Spot checks (随机抽查): the same seed draws the same sample on SQLite and PostgreSQL, strata are
represented in proportion, the estimate and its interval match a hand computation, and outcomes turn
into warnings, follow-ups and what the school sees — all through the scoped door."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from app_world import sample_folder
from workflow_world import fresh_store

from diagnostics.access import Access, InvalidChange, PermissionDenied, Role, User
from diagnostics.cli import main
from diagnostics.io.importer import import_path
from diagnostics.spotcheck import DrawSpec, SpotConfig, draw_sample, estimates, spot_flags, wilson_fpc
from diagnostics.spotcheck.draw import allocate, draw_schools
from diagnostics.store.spotcheck_schema import spot_records
from diagnostics.warnings.persist import load_flags

PROV = User("prov", Role.PROVINCE)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A small generated province (8 schools, 3 years): the CSV folder."""
    return sample_folder(tmp_path_factory.mktemp("spot_province"), small=True)


def _store(kind, folder, tmp_path):
    ctx = fresh_store(kind, tmp_path)
    engine = ctx.__enter__()
    result = import_path(engine, folder)
    assert result.ok, result.to_text()
    return ctx, engine


# ---- the draw ----------------------------------------------------------------------------------------
def test_the_same_seed_draws_the_same_sample_on_sqlite_and_postgresql(province, tmp_path):
    drawn = {}
    for kind in ("sqlite", "postgresql"):
        (tmp_path / kind).mkdir()
        ctx, engine = _store(kind, province, tmp_path / kind)
        try:
            access = Access(engine, PROV)
            year = 2022
            first = access.draw_spot_check(year, 20241207, schools=5, records=6, kinds=("students", "teachers"))
            again = access.draw_spot_check(year, 20241207, schools=5, records=6, kinds=("students", "teachers"),
                                           store=False)
            other = access.draw_spot_check(year, 7, schools=5, records=6, kinds=("students", "teachers"), store=False)
            stored = access.spot_check_records(sample_id=first.attrs["sample_id"])
            samples = access.spot_samples()
        finally:
            ctx.__exit__(None, None, None)
        cols = ["school_id", "year", "kind", "record_key", "stratum", "population"]
        assert first[cols].equals(again[cols]), "the same seed must re-draw the same sample"
        assert not first[cols].equals(other[cols]), "another seed draws another sample"
        assert first["school_id"].nunique() == 5 and len(first) == 5 * 2 * 6
        assert sorted(map(tuple, stored[cols].to_numpy())) == sorted(map(tuple, first[cols].to_numpy()))
        assert int(samples["seed"].iloc[0]) == 20241207 and "default_rng(20241207)" in samples["method"].iloc[0]
        assert json.loads(samples["params"].iloc[0])["kinds"] == ["students", "teachers"]
        drawn[kind] = first[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(drawn["sqlite"], drawn["postgresql"])


def _frame(sizes: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows, n = [], 0
    for (city, level), size in sizes.items():
        for _ in range(size):
            n += 1
            rows.append({"school_id": f"X{n:03d}", "city": city, "level": level})
    return pd.DataFrame(rows)


def test_every_stratum_is_represented_in_proportion():
    sizes = {("江州市", "高职"): 24, ("江州市", "中职"): 36, ("海川市", "中职"): 18, ("云岭市", "中职"): 12,
             ("云岭市", "高职"): 6, ("青湖市", "中职"): 4}
    frame = _frame(sizes)
    total, n = sum(sizes.values()), 20
    for seed in range(30):
        chosen = draw_schools(DrawSpec(2024, seed, schools=n), frame, np.random.default_rng(seed))
        assert len(chosen) == n and chosen["school_id"].is_unique
        got = chosen["stratum"].value_counts().to_dict()
        for (city, level), size in sizes.items():
            exact = n * size / total
            assert abs(got.get(f"{city}·{level}", 0) - exact) < 1, (seed, city, level, got)
        members = frame.assign(stratum=frame["city"] + "·" + frame["level"]).set_index("school_id")["stratum"]
        assert all(members[s] == st for s, st in chosen.itertuples(index=False)), "a school drawn in another stratum"
    assert allocate({"a": 6, "b": 3, "c": 1}, 5) == {"a": 3, "b": 2, "c": 0}
    assert sum(allocate({k: v for k, v in zip("abcdef", sizes.values())}, 17).values()) == 17


def test_inclusion_is_random_within_the_stratum_and_records_come_from_the_school():
    frame = _frame({("A", "中职"): 10, ("B", "中职"): 10})
    hits = pd.Series(0, index=frame["school_id"])
    for seed in range(400):
        chosen = draw_schools(DrawSpec(2024, seed, schools=4, strata=("city",)), frame, np.random.default_rng(seed))
        hits[chosen["school_id"]] += 1
    share = hits / 400  # each school: 2 of 10 in its stratum
    assert share.between(0.13, 0.27).all(), share.describe()
    keys = {s: [f"{s}-{i:03d}" for i in range(30)] for s in frame["school_id"]}
    sample = draw_sample(DrawSpec(2024, 5, schools=4, records=7, strata=("city",)), frame, lambda s, k: keys[s])
    assert len(sample) == 28 and (sample["population"] == 30).all()
    assert all(k.startswith(s + "-") for s, k in zip(sample["school_id"], sample["record_key"]))


def test_the_draw_refuses_bad_parameters():
    with pytest.raises(InvalidChange, match="分层"):
        DrawSpec(2024, 1, strata=("province",))
    with pytest.raises(InvalidChange, match="抽查对象"):
        DrawSpec(2024, 1, kinds=("courses",))


# ---- the estimate ------------------------------------------------------------------------------------
def test_the_estimate_and_its_interval_match_a_hand_computation():
    # 3 discrepancies among 20 checked records of a school's 100, 95 %:
    # p = 0.15; n* = 20·99/80 = 24.75; z = 1.959964, z² = 3.841459
    # centre = (0.15 + 3.841459/49.5) / (1 + 3.841459/24.75) = 0.227605 / 1.155210 = 0.197026
    # half   = 1.959964/1.155210 · sqrt(0.1275/24.75 + 3.841459/(4·24.75²)) = 1.696630 · 0.081972 = 0.139077
    # interval = 0.197026 ± 0.139077 = [0.05795, 0.33610] (to the 5 decimals the rounded steps keep)
    rate, low, high = wilson_fpc(3, 20, 100)
    assert rate == 0.15
    assert low == pytest.approx(0.05795, abs=1e-5) and high == pytest.approx(0.33610, abs=1e-5)
    # without the correction (a huge school) the interval is the ordinary Wilson interval, wider
    _, low_inf, high_inf = wilson_fpc(3, 20, 10**9)
    assert low_inf == pytest.approx(0.05237, abs=1e-5) and high_inf == pytest.approx(0.36042, abs=1e-5)
    assert high_inf - low_inf > high - low
    # every record checked: the rate is known; 4 of 4 wrong of 5: at least 4/5 wrong for certain
    assert wilson_fpc(2, 10, 10) == (0.2, 0.2, 0.2)
    assert wilson_fpc(4, 4, 5)[1] >= 0.8 and wilson_fpc(0, 4, 5)[2] <= 0.2


def test_a_warning_only_where_the_whole_interval_lies_above_the_tolerance():
    def recs(school, x, n, big_n):
        return [{"sample_id": 1, "school_id": school, "year": 2024, "kind": "students", "population": big_n,
                 "outcome": "discrepancy" if i < x else "confirmed"} for i in range(n)]

    frame = pd.DataFrame(recs("A", 3, 20, 100) + recs("B", 1, 20, 100) + recs("C", 8, 20, 100) + recs("D", 2, 2, 100))
    cfg = SpotConfig(tolerance=0.05, red_tolerance=0.15, min_checked=5)
    est = estimates(frame, cfg)
    assert est.set_index("school_id").loc["A", ["checked", "discrepancies", "population"]].tolist() == [20, 3, 100]
    flags = spot_flags(est, cfg, {1: 99}).set_index("school_id")
    assert set(flags.index) == {"A", "C"}  # B: interval reaches below 5 %; D: only 2 checked
    assert flags.loc["A", "severity"] == "yellow" and flags.loc["C", "severity"] == "red"
    assert flags.loc["A", "method"] == "spotcheck" and "种子 99" in flags.loc["A", "source"]
    assert "5.8%–33.6%" in flags.loc["A", "message_zh"]


# ---- through the door --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_outcomes_become_warnings_and_follow_ups_and_the_school_sees_its_checked_records(province, tmp_path, kind):
    ctx, engine = _store(kind, province, tmp_path)
    try:
        prov = Access(engine, PROV)
        sample = prov.draw_spot_check(2022, 11, schools=3, records=6)
        school = sample["school_id"].iloc[0]
        city = prov.schools().set_index("school_id").loc[school, "city"]
        rows = prov.spot_check_records(school=school)
        assert len(rows) == 6 and (rows["outcome"] == "").all()
        staff = Access(engine, User("wang", Role.SCHOOL, school_id=school))
        assert staff.spot_check_records().empty, "a school must not see the records still to be checked"
        with pytest.raises(PermissionDenied):
            staff.record_spot_check(int(rows["id"].iloc[0]), 1, "confirmed")
        with pytest.raises(InvalidChange, match="差错内容"):
            prov.record_spot_check(int(rows["id"].iloc[0]), 1, "discrepancy")
        checker = Access(engine, User("zhou", Role.CITY, city=city))
        for rid in rows["id"].iloc[:5]:
            checker.record_spot_check(int(rid), 1, "discrepancy", "专业代码与学籍系统不一致")
        checker.record_spot_check(int(rows["id"].iloc[5]), 1, "confirmed")
        flags = load_flags(engine, school=school, year=2022, method="spotcheck")
        assert len(flags) == 1 and flags["severity"].iloc[0] == "red" and flags["unit"].iloc[0] == "spotcheck:students"
        follow = prov.follow_ups(school=school)
        assert (follow["method"] == "spotcheck").sum() == 1 and follow["status"].eq("open").all()
        seen = staff.spot_check_records()
        assert len(seen) == 6 and set(seen["outcome"]) == {"discrepancy", "confirmed"}
        est = staff.spot_check_estimates()
        assert est[["checked", "discrepancies"]].iloc[0].tolist() == [6, 5] and est["severity"].iloc[0] == "red"
        other = sorted(set(sample["school_id"]) - {school})
        assert staff.spot_check_estimates()["school_id"].eq(school).all()
        with pytest.raises(PermissionDenied):
            staff.spot_check_records(school=other[0])
        # a run of the other warning methods keeps the spot-check warnings
        from diagnostics.warnings.persist import save_flags
        save_flags(engine, load_flags(engine, school=school, year=2022, method="integrity").drop(
            columns=["run_id", "computed_at"]), None, school, 2022, ["integrity"])
        assert len(load_flags(engine, school=school, year=2022, method="spotcheck")) == 1
        # a city officer draws only among the schools of its city
        mine = checker.draw_spot_check(2022, 3, schools=50, records=2, store=False)
        in_city = set(prov.schools().query("city == @city")["school_id"])
        assert set(mine["school_id"]) <= in_city
        with engine.connect() as conn:
            assert conn.execute(spot_records.select()).fetchall(), "the sample is stored"
    finally:
        ctx.__exit__(None, None, None)


def test_the_command_prints_the_seed_and_the_method_and_redraws_the_same(province, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "import", str(province)]) == 0
    capsys.readouterr()
    assert main(["--db", url, "spotcheck", "draw", "--year", "2022", "--schools", "4", "--records", "3",
                 "--kind", "students,teachers", "--seed", "99"]) == 0
    table = capsys.readouterr().out
    assert "种子 / seed: 99" in table and "default_rng(99)" in table and "Method:" in table
    assert main(["--db", url, "spotcheck", "draw", "--year", "2022", "--schools", "4", "--records", "3",
                 "--kind", "students,teachers", "--seed", "99", "--dry-run", "--format", "json"]) == 0
    again = capsys.readouterr()
    records = json.loads(again.out)
    assert "default_rng(99)" in again.err and len(records) == 4 * 3 * 2
    assert main(["--db", url, "spotcheck", "show", "--format", "json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    key = ("school_id", "kind", "record_key")
    assert sorted(tuple(r[k] for k in key) for r in stored) == sorted(tuple(r[k] for k in key) for r in records)
    first = stored[0]["id"]
    assert main(["--db", url, "spotcheck", "record", str(first), "--outcome", "discrepancy"]) == 2
    assert "差错内容" in capsys.readouterr().err
    assert main(["--db", url, "spotcheck", "record", str(first), "--outcome", "discrepancy", "--note", "性别不符"]) == 0
    assert "已登记" in capsys.readouterr().out
    assert main(["--db", url, "spotcheck", "estimate", "--format", "csv"]) == 0
    est = pd.read_csv(io.StringIO(capsys.readouterr().out))
    row = est[est["discrepancies"] == 1]
    assert len(row) == 1 and row["checked"].iloc[0] == 1 and row["rate"].iloc[0] == 1.0
    assert row["lower"].iloc[0] == pytest.approx(wilson_fpc(1, 1, int(row["population"].iloc[0]))[1])
