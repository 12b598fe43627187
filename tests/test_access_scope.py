"""Scopes: for every public method of Access, a user reaches no row of a school outside their scope.

``CASES`` declares, for each public method, calls aimed at another school ``b``:
``DENY`` calls name ``b`` (or one of its rows) and must be refused; ``FILTER``
calls ask broadly and must come back without any row of ``b``.  The method list
is found by introspection, so a new method without a case here fails the suite.
"""

from __future__ import annotations

import pandas as pd
import pytest
from workflow_world import NAMES, REACH, USERS, school_rows, world_in

from diagnostics.access import Access, PermissionDenied, public_methods
from diagnostics.access.roles import Role

DENY, FILTER = "deny", "filter"
CITIES = {"S1": "江州市", "S2": "海川市", "S3": "江州市"}
WARNING = {"layer": "school", "unit": "", "indicator_id": "dual_qualified_share", "method": "standard",
           "observed": 40.0, "message_zh": "双师比例低于标准"}

CASES = {
    "add_user": [(DENY, lambda a, w, b: a.add_user("mallory", "school", school_id=b))],
    "set_password": [(DENY, lambda a, w, b: a.set_password("mallory", "a long password"))],
    "audit": [(FILTER, lambda a, w, b: a.audit()), (DENY, lambda a, w, b: a.audit(school=b))],
    "clear_target": [(DENY, lambda a, w, b: a.clear_target(w.ids["target"][b], 1))],
    "city_schools": [(DENY, lambda a, w, b: a.city_schools(CITIES[b]))],
    "close_follow_up": [(DENY, lambda a, w, b: a.close_follow_up(w.ids["follow_up"][b], 1, "已整改"))],
    "comment_follow_up": [(DENY, lambda a, w, b: a.comment_follow_up(w.ids["follow_up"][b], "看看"))],
    "consolidated_reviews": [(FILTER, lambda a, w, b: a.consolidated_reviews()),
                             (DENY, lambda a, w, b: a.consolidated_reviews(school=b))],
    "create_task": [(DENY, lambda a, w, b: a.create_task(b, 2024, "问题"))],
    "create_task_from_warning": [(DENY, lambda a, w, b: a.create_task_from_warning(
        {**WARNING, "school_id": b, "year": 2023}))],
    "effective_targets": [(FILTER, lambda a, w, b: a.effective_targets()),
                          (DENY, lambda a, w, b: a.effective_targets(school=b, year=2024))],
    "flags": [(FILTER, lambda a, w, b: a.flags()), (DENY, lambda a, w, b: a.flags(school=b, year=2023))],
    "follow_up_comments": [(DENY, lambda a, w, b: a.follow_up_comments(w.ids["follow_up"][b]))],
    "follow_ups": [(FILTER, lambda a, w, b: a.follow_ups(status=None)),
                   (DENY, lambda a, w, b: a.follow_ups(school=b))],
    "import_data": [(DENY, lambda a, w, b: a.import_data(w.changed)),
                    (DENY, lambda a, w, b: a.import_data(w.changed, dry_run=True))],
    "indicator_values": [(FILTER, lambda a, w, b: a.indicator_values()),
                         (DENY, lambda a, w, b: a.indicator_values(school=b, year=2024))],
    "mark_follow_up": [(DENY, lambda a, w, b: a.mark_follow_up(b, 2024, "student_teacher_ratio"))],
    "measure_records": [(DENY, lambda a, w, b: a.measure_records(b, 2024, "fulltime_teachers")),
                        (DENY, lambda a, w, b: a.measure_records(b, 2024, "fulltime_teachers", unit="510201"))],
    "narratives": [(FILTER, lambda a, w, b: a.narratives()), (DENY, lambda a, w, b: a.narratives(school=b))],
    "recheck_tasks": [(FILTER, lambda a, w, b: a.recheck_tasks()), (DENY, lambda a, w, b: a.recheck_tasks(b))],
    "reviews": [(FILTER, lambda a, w, b: a.reviews()), (DENY, lambda a, w, b: a.reviews(school=b, year=2023))],
    "save_review": [(DENY, lambda a, w, b: a.save_review(b, 2023, "教师队伍建设", score=1))],
    "save_narrative": [(DENY, lambda a, w, b: a.save_narrative(b, 2024, "overview", "改写", expected_version=1))],
    "schools": [(FILTER, lambda a, w, b: a.schools())],
    "public_schools": [(DENY, lambda a, w, b: a.public_schools())],
    "draw_spot_check": [(FILTER, lambda a, w, b: a.draw_spot_check(2024, 5, schools=3, records=2, store=False))],
    "record_spot_check": [(DENY, lambda a, w, b: a.record_spot_check(w.ids["spot_record"].get(b, 0), 1, "confirmed"))],
    "selection": [(FILTER, lambda a, w, b: a.selection(2024))],
    "spot_check_estimates": [(FILTER, lambda a, w, b: a.spot_check_estimates()),
                             (DENY, lambda a, w, b: a.spot_check_estimates(school=b))],
    "spot_check_records": [(FILTER, lambda a, w, b: a.spot_check_records()),
                           (DENY, lambda a, w, b: a.spot_check_records(school=b))],
    "spot_samples": [(FILTER, lambda a, w, b: a.spot_samples())],
    "reported_school_years": [(FILTER, lambda a, w, b: a.reported_school_years()),
                              (DENY, lambda a, w, b: a.reported_school_years(school=b))],
    "set_target": [(DENY, lambda a, w, b: a.set_target(b, 2024, "dual_qualified_share", 1.0,
                                                       expected_version=1))],
    "status_table": [(FILTER, lambda a, w, b: a.status_table("teachers")),
                     (FILTER, lambda a, w, b: a.status_table("schools")),
                     (DENY, lambda a, w, b: a.status_table("students", school=b, year=2024))],
    "targets": [(FILTER, lambda a, w, b: a.targets()), (DENY, lambda a, w, b: a.targets(school=b))],
    "task": [(DENY, lambda a, w, b: a.task(w.ids["task"][b]))],
    "tasks": [(FILTER, lambda a, w, b: a.tasks()), (DENY, lambda a, w, b: a.tasks(school=b))],
    "update_review": [(DENY, lambda a, w, b: a.update_review(w.ids["review"][b], 1, score=1))],
    "update_task": [(DENY, lambda a, w, b: a.update_task(w.ids["task"][b], 1, problem="改"))],
    "users": [(DENY, lambda a, w, b: a.users())],
    "open_survey": [(DENY, lambda a, w, b: a.open_survey(b, 2024, "毕业生", 2))],
    "close_survey": [(DENY, lambda a, w, b: a.close_survey(b, 2024, "毕业生"))],
    "sync_survey": [(DENY, lambda a, w, b: a.sync_survey(b, 2024, "毕业生"))],
    "survey_status": [(FILTER, lambda a, w, b: a.survey_status()),
                      (DENY, lambda a, w, b: a.survey_status(school=b))],
    "verdict": [(FILTER, lambda a, w, b: a.verdict()), (DENY, lambda a, w, b: a.verdict(school=b, year=2023))],
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    with world_in(request.param, tmp_path_factory.mktemp(f"world_{request.param}")) as w:
        yield w


def frames_and_rows(result: object) -> list[object]:
    if isinstance(result, pd.DataFrame | dict):
        return [result]
    return [getattr(result, "summary", None)] if hasattr(result, "summary") else [result]


def reached_schools(result: object) -> set[str]:
    """The school ids in a result, and a check that no school name outside them is anywhere in it."""
    out: set[str] = set()
    for part in frames_and_rows(result):
        if isinstance(part, pd.DataFrame) and "school_id" in part:
            out |= set(part["school_id"].astype(str))
        elif isinstance(part, dict) and "school_id" in part:
            out.add(str(part["school_id"]))
    text = result.to_csv() if isinstance(result, pd.DataFrame) else repr(result)
    out |= {sid for sid, name in NAMES.items() if name in text}
    return out


def test_every_public_method_is_declared_and_has_a_scope_case():
    methods = public_methods()
    assert len(methods) >= 20
    for name, fn in methods.items():
        assert getattr(fn, "access_kind", None) in ("read", "write"), f"Access.{name} lacks @action"
    assert set(CASES) == set(methods), "every public method of Access needs a scope case in CASES"


@pytest.mark.parametrize("method", sorted(public_methods()))
def test_a_user_reaches_no_row_of_another_school(world, method):
    assert method in CASES, f"Access.{method} has no scope test case: add one to CASES"
    capability = public_methods()[method].capability
    for who, (reach, other) in REACH.items():
        access = world.access(who)
        before = school_rows(world.engine, other)
        assert any(before.values()), "the other school must have rows for this test to mean anything"
        for expect, call in CASES[method]:
            where = f"{who} ({access.user.role}) {method} → {other}"
            if expect == DENY or not access.user.can(capability):
                with pytest.raises(PermissionDenied):
                    call(access, world, other)
            else:
                reached = reached_schools(call(access, world, other))
                assert reached <= reach, f"{where} reached {reached - reach}"
            assert school_rows(world.engine, other) == before, f"{where} changed the other school's rows"


def test_each_user_does_reach_their_own_schools(world):
    """The filter is not simply 'nothing': every user sees exactly their schools' rows."""
    for who, (reach, _other) in REACH.items():
        access = world.access(who)
        assert set(access.tasks()["school_id"]) == reach, who
        assert set(access.schools()["school_id"]) == reach, who
        assert set(access.indicator_values()["school_id"]) == reach, who
        assert set(access.survey_status()["school_id"]) == reach, who
        assert set(access.status_table("teachers")["school_id"]) == reach & {"S1", "S2"}, who


def test_city_officer_sees_exactly_the_schools_of_their_city(world):
    zhou = world.access("zhou")
    assert set(zhou.schools()["city"]) == {"江州市"}
    assert set(zhou.follow_ups()["school_id"]) == {"S1", "S3"}
    assert set(zhou.audit()["school_id"]) == {"S1", "S3"}
    zhou.comment_follow_up(world.ids["follow_up"]["S3"], "市里已关注")
    assert list(zhou.follow_up_comments(world.ids["follow_up"]["S3"])["text"])[-1] == "市里已关注"
    with pytest.raises(PermissionDenied):
        zhou.update_task(world.ids["task"]["S1"], 1, measure="市里改的")  # city officers read tasks only


def test_an_expert_cannot_change_another_experts_review(world):
    exp1, exp2 = world.access("exp1"), world.access("exp2")
    theirs = exp2.reviews(school="S1").set_index("reviewer").loc["exp2"]
    with pytest.raises(PermissionDenied):
        exp1.update_review(int(theirs["id"]), int(theirs["version"]), score=0, comment="改别人的")
    with pytest.raises(PermissionDenied):  # nor can a province officer rewrite an expert's opinion
        world.access("prov").update_review(int(theirs["id"]), int(theirs["version"]), score=0)
    after = exp2.reviews(school="S1").set_index("reviewer").loc["exp2"]
    assert after["score"] == theirs["score"] and after["version"] == theirs["version"]
    # saving "the same" review as exp1 writes exp1's own row, never exp2's
    mine = exp1.save_review("S1", 2023, "教师队伍建设", score=85, conclusion="effective",
                            expected_version=1)
    assert mine["reviewer"] == "exp1" and mine["id"] != theirs["id"]
    assert exp2.reviews(school="S1").set_index("reviewer").loc["exp2", "score"] == theirs["score"]


@pytest.mark.parametrize("method", sorted(public_methods()))
def test_a_researcher_never_sees_a_school_name_or_id(world, method):
    res = world.access("res")
    assert res.user.role == Role.RESEARCHER
    capability = public_methods()[method].capability
    for _expect, call in CASES[method]:
        for school in NAMES:
            if not res.user.can(capability):
                with pytest.raises(PermissionDenied):
                    call(res, world, school)
                continue
            result = call(res, world, school)
            text = result.to_csv() if isinstance(result, pd.DataFrame) else repr(result)
            for sid, name in NAMES.items():
                assert name not in text, f"{method} showed the name of {sid}"
            assert not reached_schools(result) & set(NAMES), f"{method} showed a school id"


def test_researcher_codes_are_stable_and_distinct(world):
    res = world.access("res")
    first, again = res.schools(), Access(world.engine, USERS["res"]).schools()
    assert list(first["school_id"]) == list(again["school_id"])
    assert first["school_id"].nunique() == len(NAMES)
    assert (first["name"] == first["school_id"]).all()
    tasks = res.tasks()
    assert set(tasks["school_id"]) == set(first["school_id"])
