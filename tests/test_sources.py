"""indicators/SOURCES.md and the YAML library say the same about every standard.

Every standard that decides anything (a level, a card, a light, a ranking, a default target) is verified
and has its row in SOURCES.md with the document, the table or article, the value as printed and the place
it was read; every unverified value is listed as a reference value and decides nothing.
"""

from __future__ import annotations

import re

import pytest

from diagnostics.models import MeasureRegistry, load_models
from diagnostics.models.loader import REPO_INDICATORS

SOURCES = REPO_INDICATORS / "SOURCES.md"


@pytest.fixture(scope="module")
def library():
    models, issues = load_models(registry=MeasureRegistry())
    assert [i for i in issues if i.level == "error"] == []
    return models


def _table(heading: str) -> list[list[str]]:
    text = SOURCES.read_text(encoding="utf-8").split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in rows]


def _value(cell: str) -> float:
    return float(re.sub(r"^[≤≥]\s*", "", cell))


def test_every_deciding_standard_has_its_source_row(library):
    places = {row[0] for row in _places()}
    listed = {(r[0].strip("`"), r[2], _value(r[4]), r[5], r[6], r[7]) for r in _table("Standards that decide")}
    wanted = {(i.id, s.level, s.value, s.source, s.article, s.printed)
              for i in library.indicators.values() for s in i.standards if s.decides}
    assert listed == wanted
    for row in _table("Standards that decide"):
        assert row[8].strip("[]") in places, row  # the place where the text was read is named


def test_every_reference_value_is_listed_and_decides_nothing(library):
    listed = {(r[0].strip("`"), r[2], _value(r[4]), r[5]) for r in _table("Reference values")}
    references = [(i.id, s) for i in library.indicators.values() for s in i.standards if not s.verified]
    assert listed == {(i, s.level, s.value, s.source) for i, s in references}
    assert all(not s.sets_level and not s.decides for _, s in references)


def test_no_unverified_standard_sets_a_level(library):
    setting = [(i.id, s.key) for i in library.indicators.values() for s in i.standards if s.sets_level]
    assert setting  # the library has level-setting standards …
    assert all(s.verified and s.article and s.printed
               for i in library.indicators.values() for s in i.standards if s.sets_level)  # … all verified


def _places() -> list[list[str]]:
    text = SOURCES.read_text(encoding="utf-8").split("## Where the texts were read", 1)[1].split("\n## ", 1)[0]
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if re.match(r"\| R\w+ \|", line)]


def test_indicators_show_lists_verified_and_sets_level(capsys):
    import json

    from diagnostics.cli import main

    assert main(["indicators", "show", "生均图书", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["id"] == "books_per_student"
    by = {(s["level"], s["value"], tuple(s["categories"])): s for s in info["standards"]}
    verified = by[("合格", 60.0, ("工科", "农林"))]
    assert (verified["verified"], verified["sets_level"], verified["printed"]) == (True, True, "60")
    memory = by[("限制招生", 35.0, ("工科", "农林", "医学"))]
    assert (memory["verified"], memory["sets_level"], memory["role"]) == (False, False, "reference")
