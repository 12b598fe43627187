"""The shared chart module: a CJK font is found and used, Chinese text draws without missing glyphs,
statuses are never colour alone, and a machine without a CJK font fails loudly."""

from __future__ import annotations

import warnings

import pytest

from diagnostics import charts


def test_cjk_font_is_registered_and_default():
    family = charts.use_cjk()
    assert "CJK" in family or "Hei" in family or "Han" in family
    from matplotlib import rcParams

    assert rcParams["font.sans-serif"][0] == family


def test_chinese_text_draws_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = charts.figure(4, 2.5)
        ax.set_title("双师素质教师占专任教师比例（%）")
        ax.plot([2022, 2023, 2024], [61.5, 63.0, 66.7], label="本校")
        ax.set_xlabel("学年 −1 ≤ 18 · 生师比")
        ax.legend()
        png = charts.to_png(fig, dpi=60)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Glyph" in m or "missing from font" in m], messages
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_statuses_carry_symbol_and_word():
    labels = {s.label for s in charts.STATUS.values()}
    symbols = {s.symbol for s in charts.STATUS.values()}
    assert len(labels) == len(charts.STATUS) and len(symbols) == len(charts.STATUS)
    assert charts.STATUS["red"].label == "■ 红灯" and charts.STATUS["green"].meaning == "正常"


def test_no_cjk_font_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Family",))
    monkeypatch.setattr(charts, "CJK_FONT_FILES", (str(tmp_path / "missing.ttc"),))
    monkeypatch.delenv(charts.FONT_ENV, raising=False)
    with pytest.raises(charts.MissingCJKFont, match="fonts-noto-cjk"):
        charts.find_cjk_family()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_chart_speaks_one_language(lang):
    """The trend chart of the indicator detail: English mode has no Chinese word, Chinese mode its own."""
    import re

    from diagnostics.reports.figures import trend_chart
    from diagnostics.reports.model import IndicatorRow, TrendPoint

    name, unit, peers = ("就业率", "%", "同类院校") if lang == "zh" else ("Employment rate", "%", "Peers'")
    row = IndicatorRow("employment_rate", name, unit, "higher", 91.0, "91.0%", qualified=80.0, target=95.0,
                       trend=tuple(TrendPoint(y, 88.0 + k, 85.0, 80.0, 90.0) for k, y in enumerate(range(2020, 2024))))
    svg = trend_chart([row], peers, lang)
    text = " ".join(re.findall(r">([^<>]+)<", svg))
    has_cjk = bool(re.search(r"[\u4e00-\u9fff]", text))
    assert has_cjk == (lang == "zh"), text
    assert ("School target" in text) == (lang == "en") and ("学校目标" in text) == (lang == "zh")
