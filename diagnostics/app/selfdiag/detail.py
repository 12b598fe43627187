"""HTML of an indicator's detail: what it is and how it is computed (formula, numerator and denominator),
its history beside its peers, its place among them, its programs, the records behind its value, its
warnings and follow-ups (every data text escaped)."""

from __future__ import annotations

from html import escape

import pandas as pd

from ...contract import BY_NAME
from ...palette import PALETTE
from ...reports.figures import trend_chart
from ...reports.fmt import format_value
from ...reports.model import IndicatorRow, TrendPoint
from ..detail import Detail
from ..i18n import colon, level_name, pick, tr, unit_text
from ..markup import Col, chart, strip_plot, table
from ..theme import level_html
from .render import cell_name, flags_table, percentile_text, standard_text, target_state

RECORD_COLUMNS_SHOWN = 8


def _trend_svg(d: Detail, lang: str) -> str:
    c = d.cell
    row = IndicatorRow(c.indicator_id, cell_name(c, lang),
                       unit_text(c.unit, lang) if lang == "en" and c.unit not in ("", "1") else c.unit, c.direction, c.value, c.text,
                       trend=tuple(TrendPoint(y, v, med, q1, q3) for y, v, q1, med, q3 in d.history),
                       qualified=c.qualified, restriction=c.restriction, target=c.target)
    return chart(trend_chart([row], "同类院校" if lang == "zh" else "Peers'", lang), 1.42)


def formula_html(d: Detail, ind: object, lang: str) -> str:
    """The definition, the formula in words and this value's numerator and denominator (179 / 185)."""
    c = d.cell
    definition = pick(getattr(ind, "definition_zh", ""), getattr(ind, "definition_en", ""), lang)
    parts = [f"<div><b>{escape(tr('formula', lang))}</b>{colon(lang)}{escape(definition or '—')}</div>"]
    if c.numerator is not None and c.denominator is not None:
        parts.append(f'<div class="za-numden"><b>{escape(tr("num_den", lang))}</b>{colon(lang)}'
                     f'<span class="za-num">{c.numerator:,.0f}</span> / <span class="za-den">{c.denominator:,.0f}</span>'
                     f" = {escape(c.text)}</div>")
    elif c.n is not None:
        parts.append(f'<div><b>{escape(tr("n", lang))}</b>{colon(lang)}{c.n:,.0f}</div>')
    return "".join(parts)


def records_html(what: str, frame: pd.DataFrame, lang: str) -> str:
    """The records behind the value (within the user's scope): those not counted first."""
    if not what:
        return ""
    if frame.empty:
        return (f'<div class="za-card"><h4>{escape(tr("records", lang))}{colon(lang)}{escape(what)}</h4>'
                f'<div class="za-muted">{escape(tr("no_data", lang))}</div></div>')
    contract = BY_NAME.get(str(frame.attrs.get("table", "")))
    labels = {f.name: (f.en if lang == "en" else f.zh) for f in contract.fields} if contract else {}
    shown = [c for c in frame.columns if c not in ("school_id", "year", "_value", "_also")][:RECORD_COLUMNS_SHOWN]
    flag = "_also" if "_also" in frame else "_value"
    yes, no = (("是", "否") if lang == "zh" else ("yes", "no"))
    rows = [{**{c: _plain(r[c]) for c in shown}, "_in": yes if r[flag] else no} for r in frame.to_dict("records")]
    missing = sum(1 for r in rows if r["_in"] == no)
    cols = [Col("_in", tr("counted", lang)), *(Col(c, labels.get(c, c)) for c in shown)]
    note = tr("records_note", lang).format(n=len(rows), missing=missing)
    return (f'<div class="za-card za-records"><h4>{escape(tr("records", lang))}{colon(lang)}{escape(what)}</h4>'
            f'<div class="za-muted">{escape(note)}</div>'
            f'<div class="za-scroll" style="max-height:360px">{table(rows, cols, cls="za-table za-sticky")}</div></div>')


def _plain(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)


def survey_html(survey: dict | None, lang: str) -> str:
    """Response rate and margin of error of the online survey behind a satisfaction indicator."""
    if not survey:
        return ""
    rate, moe = survey["response_rate"], survey["margin_of_error"]
    moe_text = "—" if moe != moe else f"±{moe:.1f}"
    rate_text = "—" if rate != rate else f"{rate:.1f}%"
    stored = survey["in_store"]
    if lang == "zh":
        text = (f"在线调查（{survey['survey']}，{'进行中' if survey['status'] == 'open' else '已结束'}）："
                f"回收率 {rate_text}（{survey['responses']}/{survey['links']}），"
                f"误差范围 {moe_text} 个百分点（95% 置信）"
                + ("" if stored else "；最新结果尚未写入状态数据（zhengai survey sync）"))
    else:
        text = (f"Online survey ({survey['survey']}, {survey['status']}): response rate {rate_text} "
                f"({survey['responses']}/{survey['links']}), margin of error {moe_text} percentage points (95 %)"
                + ("" if stored else "; the latest results are not in the status data yet (zhengai survey sync)"))
    return f'<div class="za-survey">{escape(text)}</div>'


def _follow_html(d: Detail, lang: str) -> str:
    if not d.follow_ups:
        return f'<div class="za-muted">{escape(tr("no_follow", lang))}</div>'
    parts = []
    for f in d.follow_ups:
        thread = "".join(f"<li><b>{escape(str(c.get('author', '')))}</b> {escape(str(c.get('at', ''))[:16])}："
                         f"{escape(str(c.get('text', '')))}</li>" for c in f.get("thread", []))
        status = tr("open_status" if f.get("status") == "open" else "closed_status", lang)
        parts.append(f'<div class="za-follow" data-id="{int(f["id"])}"><b>#{int(f["id"])}</b> '
                     f'{escape(status)} · {escape(str(f.get("created_by", "")))} '
                     f'{escape(str(f.get("created_at", ""))[:16])} {escape(str(f.get("note") or ""))}'
                     f"<ul>{thread}</ul></div>")
    return "".join(parts)


def detail_html(d: Detail, lang: str, ind: object = None, records: tuple[str, pd.DataFrame] = ("", None)) -> str:
    c = d.cell
    std = f"{tr('standard', lang)} {standard_text(c, lang)} {c.standard_source}" if c.qualified is not None else ""
    unit = unit_text(c.unit, lang) if c.unit not in ("%", "", "1") else ""
    head = (f'<div class="za-card"><h3>{escape(cell_name(c, lang))}</h3>'
            f'<div>{escape(tr("value", lang))}{colon(lang)}<b class="za-detail-value" data-raw="{c.value!r}">'
            f"{escape(c.text)}</b> {escape(unit)} &nbsp; {level_html(c.level, lang) if c.level else ''} &nbsp; "
            f'{escape(tr("target", lang))}{colon(lang)}{escape(c.fmt(c.target))} {target_state(c, lang)} &nbsp; '
            f'{escape(tr("peer_median", lang))}{colon(lang)}{escape(c.fmt(c.peer_median))} &nbsp; '
            f'{escape(tr("percentile", lang))}{colon(lang)}{escape(percentile_text(c.percentile, lang))}</div>'
            f'<div class="za-muted">{escape(std)}</div>{formula_html(d, ind, lang)}{survey_html(d.survey, lang)}</div>')
    lines = [(c.qualified, PALETTE["standard"], "合格" if lang == "zh" else "standard")] if c.qualified else []
    if c.peer_median is not None:
        lines.append((c.peer_median, PALETTE["peer"], "中位数" if lang == "zh" else "peer median"))
    dist = strip_plot({level_name(d.school_level, lang) if d.school_level else "—": d.peers}, c.value,
                      "本校" if lang == "zh" else "this school", lines)
    charts = (f'<div class="za-card"><h4>{escape(tr("history", lang))}</h4>{_trend_svg(d, lang)}</div>'
              f'<div class="za-card"><h4>{escape(tr("distribution", lang))}</h4>{chart(dist)}'
              f'<div class="za-muted">{escape(tr("peer_note", lang))} · n = {len(d.peers)}</div></div>')
    programs = table([{"p": p["label"], "v": format_value(p["value"], c.unit), "l": level_html(p["level"], lang),
                       "pct": percentile_text(p["percentile"], lang)} for p in d.programs],
                     [Col("p", tr("program", lang)), Col("v", tr("value", lang), num=True),
                      Col("l", tr("level", lang), raw=True), Col("pct", tr("percentile", lang), num=True)],
                     cls="za-table za-sticky")
    prog = (f'<div class="za-card"><h4>{escape(tr("programs", lang))}</h4><div class="za-wide">{programs}</div></div>'
            if d.programs else "")
    what, frame = records
    recs = records_html(what, frame if frame is not None else pd.DataFrame(), lang)
    flags = flags_table(d.warnings, c.unit, lang)
    return (head + charts + prog + recs
            + f'<div class="za-card"><h4>{escape(tr("flags", lang))}</h4>{flags}</div>'
            f'<div class="za-card"><h4>{escape(tr("follow_ups", lang))}</h4>{_follow_html(d, lang)}</div>')
