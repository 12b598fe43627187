"""The province monitor's model, without a browser."""

from __future__ import annotations

import io
import math

from app_world import ctx, small_url  # noqa: F401  (fixtures)
from openpyxl import load_workbook

from diagnostics.app.province import ProvinceModel, ProvinceView
from diagnostics.engine import current_values


def test_table_shows_the_computed_values_of_the_year(ctx):  # noqa: F811
    m = ProvinceModel(ctx)
    for year in (max(m.years), min(m.years)):
        m.year = year
        t = m.table()
        v = current_values(ctx.engine, year=year, layer="school")
        v = v[v["indicator_id"].isin(m.indicators)].set_index(["school_id", "indicator_id"])["value"]
        assert len(t) == len(ctx.access.schools())
        for r in t.to_dict("records"):
            for ind in m.indicators:
                want = v.get((r["school_id"], ind))
                assert (want is None or math.isnan(want)) == (r[ind] is None or math.isnan(r[ind]))
                if want is not None and not math.isnan(want):
                    assert math.isclose(r[ind], want)


def test_filters_and_sorting(ctx):  # noqa: F811
    m = ProvinceModel(ctx)
    version = m.version
    city = m.cities()[0]
    m.city = city
    assert set(m.table()["city"]) == {city} and m.version > version
    m.city, m.level = "", m.levels()[0]
    assert set(m.table()["level"]) == {m.levels()[0]}
    m.level, m.search = "", m.data.schools["name"].iloc[0][:4]
    assert len(m.table()) >= 1
    m.search = ""
    ind = m.indicators[0]
    m.sort(ind)
    col = m.table()[ind].dropna().tolist()
    assert m.descending and col == sorted(col, reverse=True)
    m.sort(ind)
    assert not m.descending and m.table()[ind].dropna().tolist() == sorted(col)
    m.indicators = m.indicators[:2]
    assert [c for c in m.table().columns if c in m.data.models.indicators] == m.indicators


def test_cards_ranking_rollup_medians_and_export(ctx):  # noqa: F811
    m = ProvinceModel(ctx)
    cards = m.cards()
    assert set(cards["card"]) <= {"黄牌", "红牌"}
    assert set(cards["school_id"]) <= set(m.data.schools.loc[m.data.schools["level"] == "高职", "school_id"])
    ranking = m.ranking()
    for rows in ranking.values():
        assert [r.rank for r in rows] == sorted(r.rank for r in rows)
        assert all(r.low <= r.rank <= r.high for r in rows)
    roll = m.rollup()
    assert roll["schools"].sum() == len(m.table())
    med = m.medians()
    assert set(med["indicator_id"]) <= set(m.indicators) and "全省" in set(med["school_level"])
    book = load_workbook(io.BytesIO(m.export()))
    assert book.sheetnames == ["筛选条件", "学校 × 指标", "黄牌与红牌", "综合排名", "按设区市汇总", "全省中位数趋势"]
    assert book.worksheets[1].max_row >= 4 + len(m.table())


def test_the_export_is_one_a_province_officer_can_hand_on(ctx):  # noqa: F811
    m = ProvinceModel(ctx)
    m.level, m.search = "高职", ""
    pct = next(i for i in m.indicators if m.unit(i) == "%")
    book = load_workbook(io.BytesIO(m.export()))
    first = book.worksheets[0]
    filters = {first.cell(r, 1).value: first.cell(r, 2).value for r in range(5, first.max_row + 1)}
    assert filters["学年"] == f"{m.year}–{m.year + 1}" and filters["办学层次"] == "高职"
    assert m.name(pct) in filters["选择指标"] and "导出时间" in filters
    ws = book["学校 × 指标"]
    heads = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    assert heads[:6] == ["学校", "学校代码", "办学层次", "设区市", "状态", "黄牌/红牌"]
    values = heads[6:]
    assert len(values) == len(m.indicators) and all(h.endswith("）") and "（" in h for h in values)  # a unit each
    statuses = {ws.cell(r, 5).value for r in range(5, ws.max_row + 1)}
    assert statuses <= {"■ 红灯", "▲ 黄灯", "● 正常", "○ 无数据", "◌ 未上报", "● 绿灯"} and statuses
    assert not {"red", "yellow", "green"} & {str(s).split()[-1] for s in statuses}
    col = heads.index(f"{m.name(pct)}（%）") + 1
    cell = next(ws.cell(r, col) for r in range(5, ws.max_row + 1) if isinstance(ws.cell(r, col).value, float))
    assert cell.number_format == "0.0%" and 0 <= cell.value <= 1.5  # a percentage Excel knows as one
    counts = [i for i in m.indicators if m.unit(i) in ("人", "门", "家", "个")]
    for i in counts:
        c = heads.index(f"{m.name(i)}（{m.unit(i)}）") + 1
        assert ws.cell(5, c).number_format == "#,##0"
    text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "median" not in text and "ID" not in heads
    cards = book["黄牌与红牌"]
    assert cards.max_row >= 5 and cards.cell(5, 1).value  # filled, or it says there is none


def test_the_view_draws_each_tab_and_sorts_on_header_clicks(ctx):  # noqa: F811
    view = ProvinceView(ProvinceModel(ctx))
    for index in range(len(view.pages)):
        view.tabs.selected_index = index
        assert view.pages[index].value and "Traceback" not in view.pages[index].value
    view.tabs.selected_index = 0
    ind = view.model.indicators[0]
    view.bridge.box.value = f"{ind}#9"
    assert view.model.sort_by == ind
    view._export()
    assert "download=" in view.download.value
