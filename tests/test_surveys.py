"""Online surveys: instruments, single-use links, anonymous answers, their way into the indicators."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from sqlalchemy import select
from survey_world import PROV, SURVEYS, WANG, import_world
from tiny_data import write_tiny

from diagnostics.access import Access, PermissionDenied, Role, User
from diagnostics.cli import main
from diagnostics.engine import compute, current_values
from diagnostics.models import load_models
from diagnostics.store import metadata
from diagnostics.store.surveys_schema import survey_answers, survey_links
from diagnostics.surveys.instruments import instrument, instruments, parse
from diagnostics.surveys.links import LinkState, lookup, submit, token_hash
from diagnostics.surveys.results import margin_of_error

ALL_GOOD = {"overall": "非常满意", "teaching": "满意", "career": "满意", "usefulness": "满意"}
ALL_BAD = {"overall": "不满意", "teaching": "一般", "career": "非常不满意"}


@pytest.fixture
def store(engine, tmp_path):
    return import_world(engine, tmp_path / "data")


def satisfaction(engine, indicator: str) -> float:
    values = current_values(engine, school="S1", year=2024, layer="school")
    return float(values.set_index("indicator_id").loc[indicator, "value"])


def test_every_instrument_is_sound_and_feeds_a_contract_survey():
    found = instruments()
    assert set(found) == {"毕业生", "用人单位", "在校生", "家长"}
    assert {i.feeds for i in found.values()} == {"毕业生", "用人单位", "学生", "家长"}
    assert instrument("在校生").indicator == "student_satisfaction"
    for inst in found.values():
        assert len(set(inst.items)) == len(inst.questions)


def test_the_instrument_schema_rejects_unknown_keys_and_unsound_scales():
    text = Path(instrument("毕业生").file).read_text(encoding="utf-8")
    assert parse(text)[0] is not None
    broken = text.replace("title_en:", "titel_en:").replace("item: 专业教学, required: true}",
                                                            "item: 专业教学, colour: red}")
    broken = broken.replace("satisfied: [非常满意, 满意]", "satisfied: [非常满意, 很满意]")
    inst, issues = parse(broken, "graduates.yaml")
    assert inst is None
    keys = {i.key for i in issues}
    assert {"titel_en", "questions.teaching.colour", "scales.satisfaction.satisfied", "title_en"} <= keys
    assert any("did you mean title_en" in i.message_en for i in issues)


def test_tokens_are_random_and_stored_only_hashed(store):
    row = Access(store, WANG).open_survey("S1", 2024, "毕业生", 5)
    tokens = row["tokens"]
    assert len(set(tokens)) == 5 and all(len(t) >= 40 for t in tokens)
    with store.connect() as conn:
        stored = conn.execute(select(survey_links.c.token_sha256)).scalars().all()
        dump = repr([tuple(r) for t in metadata.sorted_tables for r in conn.execute(select(t))])
    assert sorted(stored) == sorted(token_hash(t) for t in tokens)
    assert not any(t in dump for t in tokens)  # in no table, the audit log included
    assert lookup(store, tokens[0]).state == LinkState.OPEN
    assert lookup(store, tokens[0][:-1] + ("A" if tokens[0][-1] != "A" else "B")).state == LinkState.UNKNOWN


def test_a_link_submits_once_and_a_closed_survey_refuses(store):
    wang = Access(store, WANG)
    first, second, third = wang.open_survey("S1", 2024, "毕业生", 3)["tokens"]
    assert submit(store, first, {"overall": "满意"}).missing == ["teaching", "career"]  # nothing stored yet
    assert submit(store, first, {**ALL_GOOD, "teaching": "棒极了"}).invalid == ["teaching"]
    assert submit(store, first, ALL_GOOD, today=dt.date(2025, 6, 1)).stored
    assert submit(store, first, ALL_BAD).state == LinkState.USED  # second submit refused
    assert submit(store, second, ALL_BAD).stored
    wang.close_survey("S1", 2024, "毕业生")
    assert submit(store, third, ALL_GOOD).state == LinkState.CLOSED
    with store.connect() as conn:
        answers = conn.execute(select(survey_answers)).mappings().all()
    assert len(answers) == 4 + 3  # two respondents; the optional question left out once
    assert {a["answered_on"] for a in answers} <= {dt.date(2025, 6, 1), dt.date.today()}
    assert set(answers[0]) == {"id", "round_id", "question", "item", "choice", "satisfied", "answered_on"}


def test_a_submitted_answer_changes_the_satisfaction_indicator_after_compute(store, tmp_path):
    models = load_models()[0]
    compute(store, models)
    assert satisfaction(store, "graduate_satisfaction") == pytest.approx(80.0)
    wang = Access(store, WANG)
    tokens = wang.open_survey("S1", 2024, "毕业生", 4)["tokens"]
    assert submit(store, tokens[0], ALL_GOOD).stored
    assert submit(store, tokens[1], ALL_BAD).stored
    row, result = wang.close_survey("S1", 2024, "毕业生")
    assert row["status"] == "closed" and result.ok and result.summary.new_versions == [("S1", 2024, 2)]
    compute(store, models)
    # online rows replace the imported graduate rows: 4 satisfied of 7 answers; the student survey stays
    assert satisfaction(store, "graduate_satisfaction") == pytest.approx(400 / 7)
    assert satisfaction(store, "student_satisfaction") == pytest.approx(90.0)
    status = wang.survey_status("S1", 2024).iloc[0]
    assert (status["links"], status["responses"], status["response_rate"]) == (4, 2, 50.0)
    assert status["satisfaction"] == pytest.approx(57.1) and status["indicator_value"] == pytest.approx(57.1)
    assert status["margin_of_error"] == pytest.approx(round(margin_of_error(4 / 7, 2, 4), 1))
    assert status["margin_of_error"] > 0
    assert bool(status["in_store"])
    # a later import of a surveys table replaces it, as every import does; status says so; sync restores
    again = Access(store, PROV).import_data(write_tiny(tmp_path / "again", tables={"surveys": SURVEYS}))
    assert again.ok
    assert not bool(wang.survey_status("S1", 2024).iloc[0]["in_store"])
    assert wang.sync_survey("S1", 2024, "毕业生").ok
    assert bool(wang.survey_status("S1", 2024).iloc[0]["in_store"])


def test_only_staff_of_the_school_open_its_surveys(store):
    with pytest.raises(PermissionDenied):
        Access(store, User("li", Role.SCHOOL, school_id="S2")).open_survey("S1", 2024, "毕业生", 2)
    with pytest.raises(PermissionDenied):
        Access(store, User("zhou", Role.CITY, city="江州市")).open_survey("S1", 2024, "毕业生", 2)
    assert Access(store, User("li", Role.SCHOOL, school_id="S2")).survey_status().empty


def test_margin_of_error_shrinks_with_more_answers_and_vanishes_for_a_census():
    assert math.isnan(margin_of_error(0.5, 0, 100))
    assert margin_of_error(0.8, 50, 1000) > margin_of_error(0.8, 200, 1000) > margin_of_error(0.8, 900, 1000) > 0
    assert margin_of_error(0.8, 1000, 1000) == 0.0


def test_the_cli_opens_reports_and_closes(store, capsys, tmp_path, monkeypatch):
    url = store.url.render_as_string(hide_password=False)
    out = tmp_path / "links.txt"
    assert main(["--db", url, "survey", "open", "--school", "S1", "--year", "2024", "--survey", "用人单位",
                 "--links", "3", "--out", str(out)]) == 0
    links = out.read_text().split()
    assert len(links) == 3 and all(u.startswith("http://127.0.0.1:8870/s/") for u in links)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    token = links[0].rsplit("/", 1)[1]
    assert submit(store, token, {"conduct": "满意", "skills": "满意", "overall": "一般"}).stored
    capsys.readouterr()
    assert main(["--db", url, "survey", "status", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert "response_rate" in text and "margin_of_error" in text and "33.3" in text
    assert main(["--db", url, "survey", "close", "--school", "S1", "--year", "2024", "--survey", "用人单位"]) == 0
    assert "新版本" in capsys.readouterr().out
    assert main(["--db", url, "survey", "open", "--school", "S1", "--year", "2024", "--survey", "校友",
                 "--links", "3"]) == 2


def test_the_parent_survey_lands_in_the_surveys_table_under_its_own_code(store):
    wang = Access(store, WANG)
    token = wang.open_survey("S1", 2024, "家长", 1)["tokens"][0]
    assert submit(store, token, {"growth": "满意", "safety": "非常满意", "contact": "一般", "overall": "满意"}).stored
    _row, result = wang.close_survey("S1", 2024, "家长")
    assert result.ok
    rows = wang.status_table("surveys", school="S1", year=2024)
    parents = rows[rows["survey"] == "家长"].set_index("item")
    assert parents[["respondents", "satisfied"]].astype(int).to_dict("index") == {
        "孩子成长进步": {"respondents": 1, "satisfied": 1}, "安全管理": {"respondents": 1, "satisfied": 1},
        "家校沟通": {"respondents": 1, "satisfied": 0}, "总体满意度": {"respondents": 1, "satisfied": 1}}
    assert set(rows["survey"]) == {"家长", "毕业生", "学生"}  # the imported rows of the other surveys stay
