"""What a dashboard's address carries, and the refusal of an address outside one's scope (no browser)."""

from __future__ import annotations

import pytest
from app_world import context, ctx, register, small_url  # noqa: F401  (fixtures)

from diagnostics.app import build
from diagnostics.app.links import Link, LinkRefused, check_scope, parse


def test_an_address_carries_school_year_indicator_and_language():
    link = parse("school=S1&year=2023&indicator=employment_rate&lang=en")
    assert link == Link("S1", 2023, "employment_rate", "en")
    assert link.choices(("school", "year")) == {"school": "S1", "year": 2023}
    assert parse(link.query()) == link and parse("") == Link() and Link().query() == ""
    for bad in ("year=20x3", "year=99", "lang=fr"):
        with pytest.raises(LinkRefused):
            parse(bad)


def test_a_school_outside_the_scope_is_refused_and_not_built(small_url, ctx, monkeypatch):  # noqa: F811
    ids = sorted(ctx.access.schools()["school_id"].astype(str))
    own, other = ids[0], ids[1]
    staff = context(small_url, register(small_url, "wang", "school", school_id=own))
    check_scope(staff, Link(own))
    with pytest.raises(LinkRefused, match="you may not see school"):
        check_scope(staff, Link(other))
    monkeypatch.setenv("QUERY_STRING", f"school={other}&year=2023")
    page = build("self_diagnosis", staff)
    assert "za-refused" in page._dom_classes
    monkeypatch.setenv("QUERY_STRING", f"school={own}&lang=en")
    page = build("self_diagnosis", staff)
    assert "za-refused" not in page._dom_classes


def permalink_href(page) -> str:  # noqa: ANN001
    import re

    line = next(c for c in page.children if 'class="za-permalink' in getattr(c, "value", ""))
    return re.search(r'href="([^"]*)"', line.value).group(1).replace("&amp;", "&")


def test_the_page_shows_the_address_of_what_is_on_the_screen(small_url, ctx, monkeypatch):  # noqa: F811
    from diagnostics.app import selfdiag
    from diagnostics.app.links import link_of, permalink

    own = sorted(ctx.access.schools()["school_id"].astype(str))[0]
    staff = context(small_url, register(small_url, "li", "school", school_id=own))
    monkeypatch.setenv("QUERY_STRING", f"school={own}")
    href = permalink_href(build("self_diagnosis", staff))
    assert href.startswith("self_diagnosis.ipynb?") and parse(href.split("?", 1)[1]).school == own

    model = selfdiag.create(staff, school=own).model  # the line follows the model as the person chooses
    line = permalink(model, "self_diagnosis.ipynb")
    other_year = next(y for y in model.years if y != model.year)
    model.choose(year=other_year)
    model.lang = "en"
    shown = parse(line.value.split('href="self_diagnosis.ipynb?', 1)[1].split('"', 1)[0].replace("&amp;", "&"))
    assert shown == link_of(model) and shown.year == other_year and shown.school == own and shown.lang == "en"
    assert "Link to this view" in line.value and "本页链接" not in line.value
