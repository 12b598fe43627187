"""HTML of the self-diagnosis board: the verdict strip, the item cards, the program overview (data texts escaped)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ...reports.fmt import METHOD_LABELS, format_value
from ...reports.wording import public_message, public_rule, public_source
from ...warnings.verdict import SCOPE_EN, SCOPE_ZH
from ..board import Board, Cell, Item
from ..i18n import colon, item_name, level_name, pick, tr, unit_text
from ..markup import Col, Td, sparkline, table
from ..theme import badge, level_html, severity_badge

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


def summary_html(board: Board, lang: str, attrs: Callable[[str], str] | None = None, focus: str = "") -> str:
    """The strip over the board: school, card, overall light and the light of every item (a card to click:
    the board then lists that item only)."""
    card = board.card
    card_text = {"红牌": "■ 红牌（暂停招生）", "黄牌": "▲ 黄牌（限制招生）", "不适用": "— 不适用（仅高职）"}.get(
        card, "● 无黄牌、红牌") if lang == "zh" else {"红牌": "■ red card", "黄牌": "▲ yellow card",
                                                   "不适用": "— n/a (higher vocational only)"}.get(card, "● no card")
    card_status = {"红牌": "red", "黄牌": "yellow", "不适用": "none"}.get(card, "green")
    where = f" · {escape(board.unit_label)}" if board.unit else ""
    lights = []
    for i in board.items:
        inner = f"<b>{escape(item_name(i.item, lang))}</b>{badge(i.status, lang)}"
        chosen = " za-chosen" if focus == i.item else ""
        click = attrs("item:" + i.item) if attrs else ""
        lights.append(f'<div class="za-light {i.status}{chosen}" data-item="{escape(i.item)}" data-light="{i.status}" '
                      f'data-red="{i.red}" data-yellow="{i.yellow}"{click}>{inner}'
                      f'<span class="za-muted">{escape(counts(i, lang))}</span></div>')
    level = level_name(board.school_level, lang)
    scope = SCOPE_ZH if lang == "zh" else SCOPE_EN  # which warnings the lights count, stated once
    return (f'<div class="za-card"><h3>{escape(board.school_name)}<span class="za-muted">{escape(level)} · '
            f'{escape(academic_year(board.year, lang))}{where}</span></h3>'
            f'<div>{escape(tr("overall", lang))}{colon(lang)}{badge(board.overall, lang)} &nbsp; '
            f'{escape(tr("card", lang))}{colon(lang)}'
            f'{badge(card_status, lang, card_text)}'
            f'<span class="za-muted"> {escape(public_message(board.card_reasons)[:160])}</span></div>'
            f'<div class="za-lights">{"".join(lights)}</div><p class="za-muted">{escape(scope)}</p>'
            f'<div class="za-muted">{escape(tr("click_item", lang))}</div></div>')


TARGET_EN = {"达成": "met", "未达成": "not met", "无数值": "no value", "": "—"}


def target_state(cell: Cell, lang: str) -> str:
    state = cell.target_state
    cls = {"达成": "green", "未达成": "yellow"}.get(state, "none")
    text = (TARGET_EN.get(state, state) if lang == "en" else state) or "—"
    return f'<span class="za-level {cls}">{escape(text)}</span>'


def _row(cell: Cell, year: int, lang: str, link: Link) -> dict:
    raw = "" if cell.value is None else repr(cell.value)
    unit = unit_text(cell.unit, lang) if cell.unit not in ("%", "", "1") and cell.value is not None else ""
    value = (f'<span class="za-v" data-ind="{escape(cell.indicator_id)}" data-raw="{escape(raw)}">'
             f"{escape(cell.text)}</span>" + (f' <span class="za-muted za-unit">{escape(unit)}</span>' if unit else ""))
    std = standard_text(cell, lang)
    level = level_html(cell.level, lang) + (f' <span class="za-muted">{escape(std)}</span>' if cell.level else "")
    return {"name": link(cell.indicator_id, cell_name(cell, lang)), "value": value,
            "level": level if cell.level or cell.qualified is not None else '<span class="za-muted">—</span>',
            "target": escape(cell.fmt(cell.target)), "met": target_state(cell, lang),
            "median": escape(cell.fmt(cell.peer_median)), "pct": escape(percentile_text(cell.percentile, lang)),
            "trend": sparkline(cell.trend, year, cell.qualified),
            "warn": severity_badge(cell.severity, lang) if cell.severity else ""}


SEVERITY_ORDER = {"red": 0, "yellow": 1, "info": 2, "": 3}
LEVEL_ORDER = {"限制招生": 0, "不合格": 1}


def _urgency(cell: Cell) -> tuple[int, int]:
    """Warned and failing indicators first (a stable sort keeps the model's order otherwise)."""
    return SEVERITY_ORDER.get(cell.severity, 3), LEVEL_ORDER.get(cell.level, 2)


def warning_key(w: dict) -> tuple:
    return (w.get("layer"), w.get("unit"), w.get("indicator_id"), w.get("message_zh"))


def _matches(cell: Cell, query: str) -> bool:
    q = query.strip().lower()
    return not q or q in cell.name_zh.lower() or q in cell.name_en.lower()


def item_html(item: Item, board: Board, lang: str, link: Link, shown: dict | None = None, query: str = "") -> str:
    """One item's card: its indicators (warned first) and its warnings; a warning already listed under an
    earlier item (its indicator belongs to both) is named there, not listed twice."""
    cols = [Col("name", tr("indicator", lang), raw=True), Col("value", tr("value", lang), num=True, raw=True),
            Col("level", tr("level", lang), raw=True), Col("target", tr("target", lang), num=True, raw=True),
            Col("met", tr("target_met", lang), raw=True), Col("median", tr("peer_median", lang), num=True, raw=True),
            Col("pct", tr("percentile", lang), num=True, raw=True), Col("trend", tr("trend", lang), raw=True),
            Col("warn", tr("warnings", lang), raw=True)]
    cells = [c for c in sorted(item.cells, key=_urgency) if _matches(c, query)]
    rows = table([_row(c, board.year, lang, link) for c in cells], cols,
                 widths=("23%", "9%", "19%", "8%", "7%", "8%", "8%", "100px", "10%"))
    units = {c.indicator_id: c.unit for c in item.cells}
    shown = {} if shown is None else shown
    names = {c.indicator_id: c for c in item.cells}
    fresh, elsewhere = [], {}
    for w in item.warnings:
        if query and not (w["indicator_id"] in names and _matches(names[w["indicator_id"]], query)):
            continue
        key = warning_key(w)
        if key in shown:
            elsewhere[shown[key]] = elsewhere.get(shown[key], 0) + 1
        else:
            shown[key] = item.item
            fresh.append(w)
    warns = "".join(f"<li><details><summary>{severity_badge(w['severity'], lang)} "
                    f"{escape(message_text(w, lang))}</summary>"
                    f"{flags_table((w,), units.get(w['indicator_id'] or '', ''), lang)}</details></li>"
                    for w in fresh[:12])
    more = len(fresh) - 12
    also = "".join(f'<div class="za-muted">{escape(tr("also_under", lang).format(n=n, item=item_name(k, lang)))}</div>'
                   for k, n in elsewhere.items())
    warns_html = ((f'<h4>{escape(tr("warnings", lang))}</h4><ul class="za-warnlist">{warns}</ul>' if warns else "")
                  + (f'<div class="za-muted">… +{more}</div>' if more > 0 else "") + also)
    if query and not cells and not fresh:
        return ""
    wide = f'<div class="za-wide">{rows}</div>' if rows else ""
    return (f'<div class="za-card" data-item="{escape(item.item)}"><h3>{badge(item.status, lang)} '
            f'{escape(item_name(item.item, lang))}'
            f'<span class="za-muted">{escape(counts(item, lang))}</span></h3>{wide}{warns_html}</div>')


def message_text(w: dict, lang: str) -> str:
    return str(w.get("message_en") or w.get("message_zh") or "") if lang == "en" else public_message(w.get("message_zh"))


def board_html(board: Board, lang: str, link: Link, items: list | None = None, query: str = "") -> str:
    shown: dict = {}
    parts = [item_html(i, board, lang, link, shown, query) for i in (board.items if items is None else items)]
    return "".join(parts) or f'<div class="za-card za-muted">{escape(tr("nothing_to_show", lang))}</div>'


def program_overview_html(rows: list[dict], indicators: list[tuple[str, str, str]], lang: str, link: Link) -> str:
    """Programs × indicators of the program layer: each cell the value with its standard level's symbol."""
    symbols = {"合格": "●", "不合格": "▲", "限制招生": "■"}
    status = {"合格": "green", "不合格": "yellow", "限制招生": "red"}
    cols = [Col("program", tr("program", lang), raw=True), Col("light", tr("status", lang), raw=True),
            *(Col(i, name, num=True, raw=True) for i, name, _unit in indicators)]
    out = []
    for r in rows:
        row = {"program": Td(link("program:" + r["code"], r["label"]), "za-nowrap"), "light": badge(r["light"], lang)}
        for i, _name, unit in indicators:
            v, level = r["values"].get(i, (None, ""))
            mark = symbols.get(level, "")
            row[i] = Td(f"{escape(format_value(v, unit))} {mark}".strip(), f"cell {status.get(level, 'none')}")
        out.append(row)
    return (f'<div class="za-card za-programs"><h3>{escape(tr("program_overview", lang))}</h3>'
            f'<div class="za-muted">{escape(tr("legend_levels", lang))}</div>'
            f'<div class="za-scroll">{table(out, cols, cls="za-table za-heat za-sticky")}</div></div>')


def _flag_rows(warnings: tuple[dict, ...], unit: str, lang: str) -> list[dict]:
    """One row per flag (the evidence) of ``warnings``: method, message, rule and source, numbers."""
    rows = []
    for w in warnings:
        for f in w.get("evidence") or []:
            method = METHOD_LABELS.get(f.get("method", ""), f.get("method", "")) if lang == "zh" else f.get("method")
            rule = f"{public_rule(f.get('rule') or '')} · {public_source(f.get('source') or '')}".strip(" ·")
            n = f.get("n")
            rows.append({"sev": severity_badge(f.get("severity", "info"), lang), "method": method,
                         "msg": message_text(f, lang), "rule": rule,
                         "obs": format_value(f.get("observed"), unit), "exp": f.get("expected") or "—",
                         "n": "" if n is None or n != n else f"{int(n):,}"})
    return rows


def flags_table(warnings: tuple[dict, ...], unit: str, lang: str) -> str:
    cols = [Col("sev", "", raw=True), Col("method", tr("method", lang)), Col("msg", tr("message", lang)),
            Col("rule", tr("source", lang)), Col("obs", tr("observed", lang), num=True),
            Col("exp", tr("expected", lang)), Col("n", tr("n", lang), num=True)]
    return f'<div class="za-wide">{table(_flag_rows(warnings, unit, lang), cols, empty=tr("no_warnings", lang))}</div>'
