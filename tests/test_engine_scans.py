"""How the engine reads the store: one scan per table with school sums rolled up from the program
groups, scans side by side on their own connections, and the data checks beside the compute."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from store_fixtures import load_frames
from test_warn_data import FACILITIES, FINANCE, GRADUATES, INTERNSHIPS, PROGRAMS_CHANGED, STUDENTS
from tiny_data import write_tiny

from diagnostics.engine import compute
from diagnostics.engine import measures as measures_module
from diagnostics.engine.compute import evaluate
from diagnostics.engine.measures import scans
from diagnostics.engine.persist import current_values, current_versions, school_info
from diagnostics.io.importer import import_path
from diagnostics.models import MeasureRegistry, load_models
from diagnostics.warnings import load_flags, run_warnings


def _models(tmp_path):
    def m(ident, table, agg, unit="人", **kw):
        return {"id": ident, "name_zh": ident, "name_en": ident, "table": table, "agg": agg, "unit": unit, **kw}

    def ind(ident, measure, layers, unit="人"):
        return {"id": ident, "name_zh": ident, "name_en": ident, "definition_zh": "d", "definition_en": "d",
                "unit": unit, "direction": "higher_is_better", "items": ["学校管理"], "layers": layers,
                "period": {"year": "academic", "kind": "stock"}, "measure": measure,
                "missing": "skip_if_any_missing"}

    measures = [
        m("enrolled", "students", "count", filter="status = '在籍'"),
        m("entry_sum", "students", "sum", expr="entry_year"),
        m("entry_mean", "students", "mean", expr="entry_year"),
        m("dropout_share", "students", "share", "1", expr="status = '退学'"),
        m("cohorts", "students", "distinct_count", expr="entry_year"),
        m("income", "graduates", "sum", "元", expr="monthly_income"),
    ]
    both = ["school", "program"]
    indicators = [ind("i_enrolled", "enrolled", both), ind("i_entry_sum", "entry_sum", both),
                  ind("i_entry_mean", "entry_mean", both), ind("i_dropout", "dropout_share", both, "1"),
                  ind("i_cohorts", "cohorts", both), ind("i_income", "income", both, "元")]
    path = tmp_path / "scans.yaml"
    path.write_text(yaml.safe_dump({"measures": measures, "indicators": indicators}, allow_unicode=True),
                    encoding="utf-8")
    models, issues = load_models([path], registry=MeasureRegistry())
    assert issues == []
    return models


def _data() -> dict[str, pd.DataFrame]:
    c = {"school_id": "S", "year": 2023}
    rows = [("P1", 2023, "在籍"), ("P1", 2022, "在籍"), ("P1", 2022, "退学"), ("P2", 2023, "在籍"),
            (None, 2021, "在籍")]  # a student without a program counts for the school only
    return {
        "students": pd.DataFrame([{**c, "student_key": f"s{i}", "program_code": p, "entry_year": y, "status": s}
                                  for i, (p, y, s) in enumerate(rows)]),
        "graduates": pd.DataFrame([{**c, "student_key": f"g{i}", "program_code": p, "monthly_income": None}
                                   for i, p in enumerate(["P1", "P2"])]),
    }


def test_one_scan_per_table_and_a_school_scan_only_for_a_distinct_count(tmp_path):
    planned = {(s.table, s.grouping): s for s in scans(_models(tmp_path))}
    assert set(planned) == {("students", "program"), ("students", "school"), ("graduates", "program")}
    assert [m.id for m in planned[("students", "school")].measures] == ["cohorts"]  # does not add up
    assert "cohorts" not in planned[("students", "program")].school
    assert {"enrolled", "entry_sum", "entry_mean", "dropout_share"} <= planned[("students", "program")].school


def test_school_values_rolled_up_from_program_groups(engine, tmp_path):
    load_frames(engine, _data())
    frame = compute(engine, _models(tmp_path)).to_frame()
    got = {(r.indicator_id, r.unit): (r.value, r.numerator, r.denominator, r.n) for r in frame.itertuples()}
    # school layer: all five students, the one without a program included
    assert got[("i_enrolled", "")][0] == 4
    assert got[("i_entry_sum", "")][0] == 2023 + 2022 + 2022 + 2023 + 2021
    assert got[("i_entry_mean", "")][:2] == pytest.approx(((2023 + 2022 * 2 + 2023 + 2021) / 5, 10111))
    assert got[("i_dropout", "")][:3] == pytest.approx((1 / 5, 1, 5))
    assert got[("i_cohorts", "")][0] == 3  # 2021, 2022, 2023: not 2 + 1 + 1 summed over the groups
    # program layer: only the programs, never a unit for the rows without one
    assert {u for (_, u) in got if u} == {"P1", "P2"}
    assert got[("i_enrolled", "P1")][0] == 2 and got[("i_enrolled", "P2")][0] == 1
    assert got[("i_cohorts", "P1")][0] == 2
    assert got[("i_dropout", "P1")][:3] == pytest.approx((1 / 3, 1, 3))
    # a sum over only missing incomes stays missing at both layers (no value under skip_if_any_missing)
    assert not any(i == "i_income" for (i, _) in got)


def test_side_by_side_scans_give_the_same_values_as_one_connection(sqlite_engine, tmp_path, monkeypatch):
    load_frames(sqlite_engine, _data())
    models = _models(tmp_path)
    frames = []
    for workers in (1, 3):
        monkeypatch.setattr(measures_module, "scan_workers", lambda engine, n=workers: n)
        with sqlite_engine.connect() as conn:
            frames.append(evaluate(conn, models, current_versions(conn), school_info(conn)))
    assert len(frames[0]) > 10
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_data_checks_beside_the_compute_give_the_same_flags(engine, tmp_path):
    folder = write_tiny(tmp_path / "data", tables={
        "students": STUDENTS, "programs": PROGRAMS_CHANGED, "facilities": FACILITIES, "finance": FINANCE,
        "internships": INTERNSHIPS, "graduates": GRADUATES})
    assert import_path(engine, folder).ok
    models = load_models()[0]
    called = []

    def computed():
        called.append(True)
        return compute(engine, models)

    beside = run_warnings(engine, models=models, values=computed, store=False)
    after = run_warnings(engine, models=models, store=False)
    assert called == [True]
    assert not beside.notes
    assert {"integrity", "completeness", "rule", "standard"} <= set(beside.flags["method"])
    columns = ["school_id", "year", "unit", "indicator_id", "method", "severity", "message_zh"]
    key = beside.flags[columns].sort_values(columns).reset_index(drop=True)
    pd.testing.assert_frame_equal(key, after.flags[columns].sort_values(columns).reset_index(drop=True))
    assert {"integrity", "completeness", "load", "standard"} <= set(beside.timings)


def test_background_compute_stores_what_it_returns(engine, tmp_path):
    load_frames(engine, _data())
    models = _models(tmp_path)
    result = compute(engine, models, background=True)
    assert result.stored is not None
    result.wait_stored()
    stored = current_values(engine, with_provenance=True)
    columns = list(result.values.columns)
    pd.testing.assert_frame_equal(result.values.reset_index(drop=True), stored[columns].reset_index(drop=True))
    # nothing stale now: a second compute recomputes nothing and writes in the foreground
    again = compute(engine, models, background=True)
    assert again.stored is None and len(again.values) == len(result.values)


def test_warnings_store_their_flags_after_a_background_compute(engine, tmp_path):
    folder = write_tiny(tmp_path / "data", tables={"students": STUDENTS, "facilities": FACILITIES})
    assert import_path(engine, folder).ok
    models = load_models()[0]
    result = run_warnings(engine, models=models, values=lambda: compute(engine, models, background=True))
    stored = load_flags(engine)
    assert len(stored) == len(result.flags) > 0 and set(stored["run_id"]) == {result.run_id}
    assert len(current_values(engine)) > 0  # the values the flags cite are committed
