"""The look of every dashboard: one style sheet, one palette, status badges that never rely on colour.

Colours come from :mod:`diagnostics.charts` (the reports use the same), so a red light on a
dashboard and in a printed report look alike; a status always carries its symbol and word
(``■ 红灯``), for readers who print in black and white or do not tell red from green.
"""

from __future__ import annotations

from html import escape

from ..palette import CSS_FONT_STACK, PALETTE, STATUS
from ..reports.fmt import LEVEL_LABELS, SEVERITY_LABELS

INK, MUTED, LINE, PAGE, BRAND = PALETTE["ink"], "#5f6b7a", "#dde3ea", "#f4f6f9", "#12355b"
SEVERITY_STATUS = {"red": "red", "yellow": "yellow", "info": "none"}
LEVEL_STATUS = {"合格": "green", "不合格": "yellow", "限制招生": "red", "": "none"}
SEVERITY_EN = {"red": "■ Red warning", "yellow": "▲ Yellow warning", "info": "○ Note"}
LEVEL_EN = {"合格": "● meets standard", "不合格": "▲ below standard", "限制招生": "■ below restriction line",
            "": "— no standard"}
STATUS_EN = {"red": ("red", "act now"), "yellow": ("yellow", "watch"), "green": ("green", "normal"),
             "none": ("no data", "no basis"), "unreported": ("not reported", "no data reported this year")}

CSS = f"""
<style>
body, .jp-Notebook, .za-app {{ font-family: {CSS_FONT_STACK}; }}
body {{ background: {PAGE}; }}
.jp-Notebook, .jp-Cell, .jp-OutputArea-output {{ background: transparent !important; }}
.za-app {{ color: {INK}; max-width: 1320px; margin: 0 auto; font-size: 14px; box-sizing: border-box; min-width: 0; }}
.za-app * {{ box-sizing: border-box; }}
#rendered_cells, #rendered_cells > div, .jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output
  {{ max-width: 100%; min-width: 0; }}
.jp-Cell {{ padding: 0 !important; }}
.za-app .widget-box, .za-app .widget-hbox, .za-app .widget-vbox {{ max-width: 100%; min-width: 0; }}
.za-app .widget-dropdown, .za-app .widget-text, .za-app .widget-textarea, .za-app .widget-select,
.za-app .widget-select-multiple, .za-app .widget-datepicker {{ max-width: 100%; }}
.za-app .widget-dropdown > select {{ min-width: 0; }}
.za-app .lm-TabBar, .za-app .p-TabBar {{ overflow-x: auto; }}
.za-app .lm-TabBar-content, .za-app .p-TabBar-content {{ min-width: max-content; }}
.za-chart {{ overflow-x: auto; max-width: 100%; }}
.za-chart svg {{ max-width: none !important; height: auto; }}
.za-nowrap {{ white-space: nowrap; }}
.za-table.za-province td {{ padding: 2px 8px; white-space: nowrap; line-height: 1.4; }}
.za-table.za-province th {{ white-space: normal; vertical-align: bottom; min-width: 5em; max-width: 10em;
  padding: 4px 8px; line-height: 1.3; }}
.za-table.za-province th:nth-child(-n+5) {{ white-space: nowrap; min-width: 0; }}
.za-province .za-badge {{ font-size: 11.5px; padding: 0 6px; line-height: 1.5; }}
.za-page-table {{ padding-top: 4px; padding-bottom: 4px; }}
.za-province-box {{ max-height: calc(100vh - 120px); }}
.za-light[role=button] {{ cursor: pointer; }}
.za-light.za-chosen {{ box-shadow: 0 0 0 2px {BRAND}; }}
.za-sticky th:first-child, .za-sticky td:first-child {{ position: sticky; left: 0; z-index: 1; background: #fff; }}
.za-sticky th:first-child {{ z-index: 2; background: #eef2f6; }}
.za-sticky tr:nth-child(even) td:first-child {{ background: #fafbfc; }}
.za-field-error {{ color: #8a1c1c; font-size: 12.5px; margin: 2px 0 4px; }}
.za-field-error:empty {{ display: none; }}
.za-help {{ color: {MUTED}; font-size: 12.5px; margin: 2px 0; }}
.za-permalink a {{ color: {BRAND}; overflow-wrap: anywhere; }}
.za-figures {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }}
.za-figure {{ background: #fff; border: 1px solid {LINE}; border-radius: 8px; padding: 8px 14px; min-width: 150px; }}
.za-figure b {{ display: block; font-size: 22px; color: {BRAND}; }}
@media (max-width: 700px) {{
  .za-header {{ padding: 10px 12px; flex-wrap: wrap; }}
  .za-header .za-title {{ font-size: 17px; }}
  .za-headbox {{ flex-wrap: wrap; padding: 0 8px 8px; }}
  .za-grid2 {{ grid-template-columns: 1fr; }}
  .za-light {{ min-width: 0; flex: 1 1 140px; }}
  .za-card {{ padding: 8px 8px; }}
  .za-tiles {{ grid-template-columns: 1fr; }}
  .za-app .widget-hbox {{ flex-wrap: wrap; }}
  .za-app .widget-inline-hbox .widget-label {{ width: auto; }}
}}
@media print {{
  body, .za-app {{ background: #fff !important; }}
  .za-toolbar, .za-app .widget-button, .za-app .jupyter-button, .za-lang, .za-app .lm-TabBar, .za-app .p-TabBar,
  .za-app .widget-upload, .za-form {{ display: none !important; }}
  .za-scroll {{ max-height: none !important; overflow: visible !important; border: none; }}
  .za-card, .za-light, tr {{ break-inside: avoid; }}
  .za-header {{ background: #fff !important; color: {INK} !important; border-bottom: 2px solid {BRAND}; }}
  .za-headbox {{ background: #fff !important; }}
  .za-sticky th:first-child, .za-sticky td:first-child {{ position: static; }}
  .za-app .widget-tab > .widget-tab-contents {{ border: none; }}
}}
.za-header {{ background: {BRAND}; color: #fff; padding: 8px 20px; border-radius: 0 0 8px 8px;
  display: flex; align-items: center; gap: 18px; }}
.za-header .za-brand {{ font-size: 13px; opacity: .85; letter-spacing: .5px; }}
.za-header .za-title {{ font-size: 20px; font-weight: 600; }}
.za-header .za-sub {{ font-size: 12.5px; opacity: .8; }}
.za-header a {{ color: #fff; }}
.za-headbox {{ background: {BRAND}; border-radius: 0 0 8px 8px; align-items: center; padding-right: 12px; }}
.za-headbox .widget-toggle-buttons .widget-toggle-button {{ width: 78px; }}
.za-toolbar {{ background: #fff; border: 1px solid {LINE}; border-radius: 8px; padding: 6px 12px;
  margin: 8px 0; align-items: center; flex-wrap: wrap; gap: 6px; }}
.za-card {{ background: #fff; border: 1px solid {LINE}; border-radius: 8px; padding: 10px 14px; margin: 0 0 12px 0; }}
.za-card h3 {{ margin: 2px 0 8px 0; font-size: 15.5px; display: flex; gap: 10px; align-items: center; }}
.za-card h4 {{ margin: 12px 0 6px 0; font-size: 14px; color: {BRAND}; }}
.za-muted {{ color: {MUTED}; font-size: 12.5px; }}
.za-grid2 {{ display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }}
.za-table {{ border-collapse: collapse; width: 100%; font-size: 13px; }}
.za-table th {{ text-align: left; background: #eef2f6; color: #33414f; font-weight: 600; padding: 6px 8px;
  border-bottom: 1px solid {LINE}; position: sticky; top: 0; white-space: nowrap; }}
.za-table td {{ padding: 5px 8px; border-bottom: 1px solid #edf0f3; vertical-align: top; }}
.za-table tr:nth-child(even) td {{ background: #fafbfc; }}
.za-table td.num, .za-table th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.za-table td.num .za-unit {{ white-space: normal; }}  /* a long unit (English) wraps in its column */
.za-table th.za-sortable {{ cursor: pointer; }}
.za-table th.za-sortable:hover {{ text-decoration: underline; }}
.za-scroll {{ max-height: 560px; overflow: auto; border: 1px solid {LINE}; border-radius: 6px; max-width: 100%; }}
.za-wide {{ overflow-x: auto; max-width: 100%; }}
.za-link {{ color: {PALETTE["school"]}; cursor: pointer; text-decoration: none; border-bottom: 1px dotted; }}
.za-link:hover {{ border-bottom-style: solid; }}
.za-badge {{ display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  color: #fff; white-space: nowrap; }}
.za-badge.red {{ background: {STATUS["red"].colour}; }}
.za-badge.yellow {{ background: {STATUS["yellow"].colour}; }}
.za-badge.green {{ background: {STATUS["green"].colour}; }}
.za-badge.none {{ background: {STATUS["none"].colour}; }}
.za-level {{ white-space: nowrap; font-size: 12.5px; }}
.za-level.red {{ color: {STATUS["red"].colour}; font-weight: 600; }}
.za-level.yellow {{ color: #9a6200; font-weight: 600; }}
.za-level.green {{ color: {STATUS["green"].colour}; }}
.za-level.none {{ color: {MUTED}; }}
.za-lights {{ display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }}
.za-light {{ border: 1px solid {LINE}; border-left-width: 6px; border-radius: 6px; padding: 6px 10px; background: #fff;
  min-width: 150px; }}
.za-light.red {{ border-left-color: {STATUS["red"].colour}; }}
.za-light.yellow {{ border-left-color: {STATUS["yellow"].colour}; }}
.za-light.green {{ border-left-color: {STATUS["green"].colour}; }}
.za-light.none {{ border-left-color: {STATUS["none"].colour}; }}
.za-light.unreported {{ border-left-color: {STATUS["unreported"].colour}; }}
.za-badge.unreported {{ background: {STATUS["unreported"].colour}; }}
.za-light b {{ display: block; font-size: 13px; }}
.za-msg {{ padding: 6px 10px; border-radius: 6px; margin: 4px 0; font-size: 13px; }}
.za-msg.ok {{ background: #e8f5ec; color: #1e5c34; }}
.za-msg.error {{ background: #fbeaea; color: #8a1c1c; }}
.za-msg.info {{ background: #eef3fa; color: #1d3f66; }}
.za-evidence {{ font-size: 12px; color: {MUTED}; }}
.za-spark {{ vertical-align: middle; }}
.za-tiles {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 14px; margin-top: 14px; }}
.za-tile {{ background: #fff; border: 1px solid {LINE}; border-radius: 10px; padding: 16px 18px; }}
.za-tile h3 {{ margin: 0 0 6px 0; font-size: 17px; }}
.za-tile a.za-open {{ display: inline-block; margin-top: 10px; background: {BRAND}; color: #fff; padding: 5px 14px;
  border-radius: 6px; text-decoration: none; }}
.za-section-title {{ font-size: 15px; font-weight: 600; color: {BRAND}; margin: 14px 0 6px 2px; }}
.za-heat td.cell {{ text-align: center; font-size: 12px; white-space: nowrap; }}
.za-heat td.cell.red {{ background: #f6d5d1 !important; }}
.za-heat td.cell.yellow {{ background: #fbe9c6 !important; }}
.za-heat td.cell.green {{ background: #d7eedd !important; }}
.za-app .widget-label {{ min-width: 0; }}
.za-app .widget-html, .za-app .widget-html-content {{ max-width: 100%; overflow-x: auto; }}
.za-app svg {{ max-width: 100%; height: auto; }}
.za-app a.za-download {{ display: inline-block; margin: 8px 0; background: {BRAND}; color: #fff; padding: 6px 14px;
  border-radius: 6px; text-decoration: none; }}
.za-app .widget-tab > .widget-tab-contents, .za-app .widget-tab .lm-TabPanel-stackedPanel {{ overflow: visible; }}
.za-warnlist {{ margin: 4px 0 0 0; padding-left: 18px; }}
.za-warnlist li {{ margin: 3px 0; }}
.za-warnlist summary {{ cursor: pointer; }}
.za-warnlist details[open] summary {{ margin-bottom: 4px; }}
.za-app .jupyter-widgets.widget-tab > .p-TabBar .p-TabBar-tab,
.za-app .jupyter-widgets.widget-tab > .lm-TabBar .lm-TabBar-tab {{ min-width: 130px; max-width: none; flex: 0 0 auto; }}
.za-app .widget-button.za-primary, .za-app button.za-primary {{ background: {BRAND}; color: #fff;
  align-self: flex-start; padding: 0 18px; }}
</style>
"""


def badge(status: str, lang: str = "zh", text: str | None = None) -> str:
    """A traffic-light badge: colour, symbol and word (``■ 红灯 需整改``)."""
    st = STATUS.get(status, STATUS["none"])
    if text is None:
        word, meaning = (STATUS_EN.get(status, STATUS_EN["none"]) if lang == "en" else (st.word, st.meaning))
        text = f"{st.symbol} {word} · {meaning}"
    return f'<span class="za-badge {escape(st.key)}" title="{escape(text)}">{escape(text)}</span>'


def severity_badge(severity: str, lang: str = "zh") -> str:
    label = SEVERITY_EN.get(severity, severity) if lang == "en" else SEVERITY_LABELS.get(severity, severity)
    return badge(SEVERITY_STATUS.get(severity, "none"), lang, label)


def level_html(level: str, lang: str = "zh") -> str:
    """The standard level of a value, with its symbol (``▲ 未达合格标准``)."""
    level = level or ""
    label = LEVEL_EN.get(level, level) if lang == "en" else LEVEL_LABELS.get(level, level)
    return f'<span class="za-level {LEVEL_STATUS.get(level, "none")}">{escape(label)}</span>'


def message(text: str, kind: str = "info") -> str:
    """A message line (``ok``, ``error`` or ``info``); ``text`` is escaped."""
    return f'<div class="za-msg {escape(kind)}">{escape(text)}</div>' if text else ""


def header(title: str, subtitle: str, brand: str, home: tuple[str, str] | None = None) -> str:
    """The header bar's text: platform, title, one-line description; ``home``: (url, label) of a link."""
    link = f' · <a href="{escape(home[0])}">{escape(home[1])}</a>' if home else ""
    return (f'<div class="za-header"><div><div class="za-brand">{escape(brand)}{link}</div>'
            f'<div class="za-title">{escape(title)}</div><div class="za-sub">{escape(subtitle)}</div></div></div>')
