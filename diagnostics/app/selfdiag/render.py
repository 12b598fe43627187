"""HTML of the self-diagnosis board and of an indicator's detail (every data text escaped)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ...charts import PALETTE
from ...reports.figures import trend_chart
from ...reports.fmt import METHOD_LABELS, format_value, unit_label
from ...reports.model import IndicatorRow, TrendPoint
from ...warnings.verdict import SCOPE_EN, SCOPE_ZH
from ..board import Board, Cell, Item
from ..i18n import item_name, pick, tr
from ..markup import Col, sparkline, strip_plot, table
from ..theme import badge, level_html, severity_badge
from .model import Detail

Link = Callable[[str, str], str]  # (key, text) -> clickable HTML


def cell_name(cell: Cell, lang: str) -> str:
    return pick(cell.name_zh, cell.name_en, lang)


def standard_text(cell: Cell, lang: str) -> str:
    if cell.qualified is None:
        return "—"
    op = "≥" if cell.direction != "lower_is_better" else "≤"
    text = f"{op} {cell.fmt(cell.qualified)}"
    if cell.restriction is not None:
        text += f"；{'限制招生' if lang == 'zh' else 'restriction'} {cell.fmt(cell.restriction)}"
    return f"（{text}）" if lang == "zh" else f"({text})"


def percentile_text(value: float | None, lang: str) -> str:
    """The place among peers: the share of peer schools this value is better than."""
    if value is None:
        return "—"
    return f"优于 {value:.0f}%" if lang == "zh" else f"beats {value:.0f}%"


def counts(item: Item, lang: str) -> str:
    words = ("红", "黄", "提示") if lang == "zh" else ("red", "yellow", "notes")
    return " · ".join(f"{w} {n}" for w, n in zip(words, (item.red, item.yellow, item.info)))


def academic_year(year: int, lang: str) -> str:
    return f"{year}–{year + 1} 学年" if lang == "zh" else f"academic year {year}–{year + 1}"


def summary_html(board: Board, lang: str) -> str:
    """The strip over the board: school, card, overall light and the light of every item."""
    card = board.card
    card_text = {"红牌": "■ 红牌（暂停招生）", "黄牌": "▲ 黄牌（限制招生）", "不适用": "— 不适用（仅高职）"}.get(
        card, "● 无黄牌、红牌") if lang == "zh" else {"红牌": "■ red card", "黄牌": "▲ yellow card",
                                                   "不适用": "— n/a (高职 only)"}.get(card, "● no card")
    card_status = {"红牌": "red", "黄牌": "yellow", "不适用": "none"}.get(card, "green")
    where = f" · {escape(board.unit_label)}" if board.unit else ""
    lights = "".join(f'<div class="za-light {i.status}" data-item="{escape(i.item)}" data-light="{i.status}" '
                     f'data-red="{i.red}" data-yellow="{i.yellow}"><b>{escape(item_name(i.item, lang))}</b>'
                     f'{badge(i.status, lang)}<span class="za-muted">{escape(counts(i, lang))}</span></div>'
                     for i in board.items)
    scope = SCOPE_ZH if lang == "zh" else SCOPE_EN  # which warnings the lights count, stated once
    return (f'<div class="za-card"><h3>{escape(board.school_name)}<span class="za-muted">{escape(board.school_id)} · '
            f'{escape(board.school_level)} · {escape(academic_year(board.year, lang))}{where}</span></h3>'
            f'<div>{escape(tr("overall", lang))}：{badge(board.overall, lang)} &nbsp; {escape(tr("card", lang))}：'
            f'{badge(card_status, lang, card_text)}'
            f'<span class="za-muted"> {escape(board.card_reasons[:160])}</span></div>'
            f'<div class="za-lights">{lights}</div><p class="za-muted">{escape(scope)}</p></div>')


def _row(cell: Cell, year: int, lang: str, link: Link) -> dict:
    raw = "" if cell.value is None else repr(cell.value)
    unit = unit_label(cell.unit) if cell.unit != "%" and cell.value is not None else ""
    value = (f'<span class="za-v" data-ind="{escape(cell.indicator_id)}" data-raw="{escape(raw)}">'
             f"{escape(cell.text)}</span>" + (f" <span class=za-muted>{escape(unit)}</span>" if unit else ""))
    std = standard_text(cell, lang)
    target = cell.fmt(cell.target)
    return {"name": link(cell.indicator_id, cell_name(cell, lang)), "value": value,
            "level": level_html(cell.level, lang) + (f' <span class="za-muted">{escape(std)}</span>' if cell.level else ""),
            "target": escape(target), "median": escape(cell.fmt(cell.peer_median)),
            "pct": escape(percentile_text(cell.percentile, lang)),
            "trend": sparkline(cell.trend, year, cell.qualified),
            "warn": severity_badge(cell.severity, lang) if cell.severity else ""}


SEVERITY_ORDER = {"red": 0, "yellow": 1, "info": 2, "": 3}
LEVEL_ORDER = {"限制招生": 0, "不合格": 1}


def _urgency(cell: Cell) -> tuple[int, int]:
    """Warned and failing indicators first (a stable sort keeps the model's order otherwise)."""
    return SEVERITY_ORDER.get(cell.severity, 3), LEVEL_ORDER.get(cell.level, 2)


def item_html(item: Item, board: Board, lang: str, link: Link) -> str:
    cols = [Col("name", tr("indicator", lang), raw=True), Col("value", tr("value", lang), num=True, raw=True),
            Col("level", tr("level", lang), raw=True), Col("target", tr("target", lang), num=True, raw=True),
            Col("median", tr("peer_median", lang), num=True, raw=True),
            Col("pct", tr("percentile", lang), num=True, raw=True), Col("trend", tr("trend", lang), raw=True),
            Col("warn", tr("warnings", lang), raw=True)]
    rows = table([_row(c, board.year, lang, link) for c in sorted(item.cells, key=_urgency)], cols,
                 widths=("25%", "10%", "21%", "9%", "9%", "9%", "110px", "10%"))
    units = {c.indicator_id: c.unit for c in item.cells}
    warns = "".join(f"<li><details><summary>{severity_badge(w['severity'], lang)} "
                    f"{escape(pick(w['message_zh'], w['message_en'], lang))}</summary>"
                    f"{flags_table((w,), units.get(w['indicator_id'] or '', ''), lang)}</details></li>"
                    for w in item.warnings[:12])
    more = len(item.warnings) - 12
    warns_html = (f'<h4>{escape(tr("warnings", lang))}</h4><ul class="za-warnlist">{warns}</ul>'
                  + (f'<div class="za-muted">… +{more}</div>' if more > 0 else "")) if warns else ""
    return (f'<div class="za-card" data-item="{escape(item.item)}"><h3>{badge(item.status, lang)} '
            f'{escape(item_name(item.item, lang))}'
            f'<span class="za-muted">{escape(counts(item, lang))}</span></h3>{rows}{warns_html}</div>')


def board_html(board: Board, lang: str, link: Link) -> str:
    return "".join(item_html(i, board, lang, link) for i in board.items)


def _trend_svg(d: Detail, lang: str) -> str:
    c = d.cell
    row = IndicatorRow(c.indicator_id, cell_name(c, lang), c.unit, c.direction, c.value, c.text,
                       trend=tuple(TrendPoint(y, v, med, q1, q3) for y, v, q1, med, q3 in d.history),
                       qualified=c.qualified, restriction=c.restriction, target=c.target)
    return trend_chart([row], "同类院校" if lang == "zh" else "peers") or ""


def _flag_rows(warnings: tuple[dict, ...], unit: str, lang: str) -> list[dict]:
    """One row per flag (the evidence) of ``warnings``: method, message, rule and source, numbers."""
    rows = []
    for w in warnings:
        for f in w.get("evidence") or []:
            method = METHOD_LABELS.get(f.get("method", ""), f.get("method", "")) if lang == "zh" else f.get("method")
            rows.append({"sev": severity_badge(f.get("severity", "info"), lang), "method": method,
                         "msg": pick(f.get("message_zh"), f.get("message_en"), lang),
                         "rule": f"{f.get('rule') or ''} · {f.get('source') or ''}".strip(" ·"),
                         "obs": format_value(f.get("observed"), unit), "exp": f.get("expected") or "—",
                         "n": "" if f.get("n") is None else f.get("n")})
    return rows


def flags_table(warnings: tuple[dict, ...], unit: str, lang: str) -> str:
    cols = [Col("sev", "", raw=True), Col("method", tr("method", lang)), Col("msg", tr("message", lang)),
            Col("rule", tr("source", lang)), Col("obs", tr("observed", lang), num=True),
            Col("exp", tr("expected", lang)), Col("n", tr("n", lang), num=True)]
    return table(_flag_rows(warnings, unit, lang), cols, empty=tr("no_warnings", lang))


def _follow_html(d: Detail, lang: str) -> str:
    if not d.follow_ups:
        return f'<div class="za-muted">{escape(tr("no_follow", lang))}</div>'
    parts = []
    for f in d.follow_ups:
        thread = "".join(f"<li><b>{escape(str(c.get('author', '')))}</b> {escape(str(c.get('at', ''))[:16])}："
                         f"{escape(str(c.get('text', '')))}</li>" for c in f.get("thread", []))
        parts.append(f'<div class="za-follow" data-id="{int(f["id"])}"><b>#{int(f["id"])}</b> '
                     f'{escape(str(f.get("status", "")))} · {escape(str(f.get("created_by", "")))} '
                     f'{escape(str(f.get("created_at", ""))[:16])} {escape(str(f.get("note") or ""))}'
                     f"<ul>{thread}</ul></div>")
    return "".join(parts)


def detail_html(d: Detail, lang: str) -> str:
    c = d.cell
    std = f"{tr('standard', lang)} {standard_text(c, lang)} {c.standard_source}" if c.qualified is not None else ""
    ind_def = f'<div class="za-muted">{escape(std)}</div>'
    head = (f'<div class="za-card"><h3>{escape(cell_name(c, lang))} <span class="za-muted">{escape(c.indicator_id)}'
            f'</span></h3><div>{escape(tr("value", lang))}：<b class="za-detail-value" data-raw="{c.value!r}">'
            f"{escape(c.text)}</b> {escape(unit_label(c.unit) if c.unit != '%' else '')} &nbsp; {level_html(c.level, lang)} &nbsp; "
            f'{escape(tr("target", lang))}：{escape(c.fmt(c.target))} &nbsp; {escape(tr("peer_median", lang))}：'
            f'{escape(c.fmt(c.peer_median))} &nbsp; {escape(tr("percentile", lang))}：'
            f'{escape(percentile_text(c.percentile, lang))}</div>{ind_def}</div>')
    lines = [(c.qualified, PALETTE["standard"], "合格" if lang == "zh" else "standard")] if c.qualified else []
    if c.peer_median is not None:
        lines.append((c.peer_median, PALETTE["peer"], "中位数" if lang == "zh" else "median"))
    dist = strip_plot({d.school_level or "—": d.peers}, c.value, "本校" if lang == "zh" else "this school", lines)
    charts = (f'<div class="za-card"><h4>{escape(tr("history", lang))}</h4>{_trend_svg(d, lang)}</div>'
              f'<div class="za-card"><h4>{escape(tr("distribution", lang))}</h4>{dist}'
              f'<div class="za-muted">{escape(tr("peer_note", lang))} · n = {len(d.peers)}</div></div>')
    programs = table([{"p": p["label"], "v": format_value(p["value"], c.unit), "l": level_html(p["level"], lang),
                       "pct": percentile_text(p["percentile"], lang)} for p in d.programs],
                     [Col("p", tr("program", lang)), Col("v", tr("value", lang), num=True),
                      Col("l", tr("level", lang), raw=True), Col("pct", tr("percentile", lang), num=True)])
    prog = f'<div class="za-card"><h4>{escape(tr("programs", lang))}</h4>{programs}</div>' if d.programs else ""
    flags = flags_table(d.warnings, c.unit, lang)
    return (head + f'<div class="za-grid2">{charts}</div>{prog}'
            f'<div class="za-card"><h4>{escape(tr("flags", lang))}</h4>{flags}</div>'
            f'<div class="za-card"><h4>{escape(tr("follow_ups", lang))}</h4>{_follow_html(d, lang)}</div>')
