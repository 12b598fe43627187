"""One verdict everywhere: the self-diagnosis board, the school report and ``zhengai status`` show the same
lights and counts for every item and school-year (the small generated province, without a browser; the
served dashboards and the report files are checked in ``test_browser_dashboards.py``)."""

from __future__ import annotations

import io

import pandas as pd
from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app.selfdiag import SelfDiagnosisModel
from diagnostics.cli import main
from diagnostics.reports import StoreSource
from diagnostics.reports.school import gather_school


def status_rows(url: str, school: str, year: int, capsys) -> pd.DataFrame:
    capsys.readouterr()
    assert main(["--db", url, "status", "--school", school, "--year", str(year), "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"school_id": str}, keep_default_na=False)


def test_board_report_and_status_agree_on_every_school_year(ctx, small_url, capsys):  # noqa: F811
    model = SelfDiagnosisModel(ctx)
    source = StoreSource(ctx.engine, ctx.user, ctx.models)
    checked = 0
    for _, school in model.schools:
        for year in model.data.years_of(school):
            model.choose(school=school, year=year, layer="school")
            board = {i.item: (i.status, i.red, i.yellow) for i in model.board.items}
            report = gather_school(source, school, year)
            lights = {light.item: (light.status, light.red, light.yellow) for light in report.lights}
            status = status_rows(small_url, school, year, capsys)
            items = {r.item: (r.light, int(r.red), int(r.yellow)) for r in status.itertuples() if r.scope == "item"}
            whole = status[status["scope"] == "school"].iloc[0]
            for item, got in lights.items():  # every item the report shows
                assert board[item] == got == items[item], (school, year, item, board[item], got, items[item])
            assert (report.overall.status, report.overall.red, report.overall.yellow) == (
                model.board.overall, int(whole["red"]), int(whole["yellow"])) == (
                whole["light"], int(whole["red"]), int(whole["yellow"]))
            assert report.card.card in ("不适用", whole["card"])
            checked += 1
    assert checked >= 8
