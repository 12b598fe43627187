"""Improvement tasks set in year Y are re-checked from year Y+1 data of the sample province.

The expected verdicts come from the sample's answer key: a planted ``target_miss`` in year Y+1
means a task on that indicator, judged against the school's own Y+1 target, is *not reached*;
a target of the same school-year that is not planted as missed is *reached*.
"""

import pandas as pd
from app_world import PROVINCE, SAMPLE, copy_store, store_once

from diagnostics.access import Access
from diagnostics.engine import current_values
from diagnostics.sample import ANSWER_KEY
from diagnostics.store import make_engine


def test_tasks_are_rechecked_with_next_years_sample_data(tmp_path_factory, tmp_path):
    engine = make_engine(copy_store(store_once("sample", tmp_path_factory), tmp_path / "store.db"))
    key = pd.read_csv(SAMPLE / ANSWER_KEY, dtype={"school_id": str})
    targets = pd.read_csv(SAMPLE / "targets.csv", dtype={"school_id": str, "program_code": str})
    targets = targets[targets["program_code"].isna()]
    first_year = int(targets["year"].min())
    missed = key[(key["fault_class"] == "target_miss") & (key["year"] > first_year)].iloc[0]
    school, year, missed_ind = missed["school_id"], int(missed["year"]), missed["indicator_id"]
    met = targets[(targets["school_id"] == school) & (targets["year"] == year)
                  & (targets["indicator_id"] != missed_ind)]["indicator_id"].iloc[0]

    door = Access(engine, PROVINCE)
    for ind in (missed_ind, met):
        door.create_task(school, year - 1, f"{ind} 改进", indicator_id=ind, status="done",
                         measure="改进措施", owner="质量办")
    result = door.recheck_tasks(school=school).set_index("indicator_id")

    values = current_values(engine, school=school, year=year, layer="school").set_index("indicator_id")
    for ind, verdict in ((missed_ind, "not_reached"), (met, "reached")):
        row = result.loc[ind]
        assert row["recheck_year"] == year
        assert row["value"] == values.loc[ind, "value"]  # the engine's Y+1 value
        goal = targets[(targets["school_id"] == school) & (targets["year"] == year)
                       & (targets["indicator_id"] == ind)]["target"].iloc[0]
        assert row["target"] == goal  # the school's own Y+1 target from the sample
        assert row["verdict"] == verdict, (ind, row.to_dict())
    stored = door.tasks(school, year - 1).set_index("indicator_id")
    assert stored.loc[missed_ind, "recheck_verdict"] == "not_reached"
    assert stored.loc[met, "recheck_verdict"] == "reached"
    engine.dispose()
