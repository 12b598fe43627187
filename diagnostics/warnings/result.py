"""``WarningResult``: the flags of a run, one warning per problem, traffic lights — in every medium.

Like a statsmodels result it renders itself as text for the terminal, HTML for a notebook
(``_repr_html_``) and a table for export (``to_frame``); problems met on the way (a plug-in that
did not load, a method that could not run) travel inside it as ``notes`` instead of being printed.
Rates of fewer people than the floor (23, ``uncertainty.n_floor``) are not shown in displays.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from .flags import EXPORT_COLUMNS, SEVERITY_ZH
from .inputs import PERCENT, IndicatorMeta
from .rollup import item_lights, merge_warnings, school_lights

COLOURS = {"red": "#d62728", "yellow": "#e6a700", "info": "#7f7f7f", "green": "#2ca02c"}
HTML_ROWS = 50


def display_frame(flags: pd.DataFrame, indicators: dict[str, IndicatorMeta], n_floor: int) -> pd.DataFrame:
    """Export columns, with the observed rate blanked where it rests on fewer than ``n_floor`` people."""
    out = flags.reindex(columns=EXPORT_COLUMNS).copy()
    rate = out["indicator_id"].map(lambda i: i in indicators and indicators[i].unit == PERCENT).astype(bool)
    small = rate & out["n"].notna() & (out["n"].fillna(0) < n_floor)
    out.loc[small, "observed"] = None
    return out


@dataclass
class WarningResult:
    """Flags and what they roll up to.

    >>> from diagnostics.warnings.flags import empty_flags
    >>> r = WarningResult(empty_flags())
    >>> len(r), r.to_frame().columns.tolist()[:3]
    (0, ['school_id', 'year', 'layer'])
    """

    flags: pd.DataFrame
    indicators: dict[str, IndicatorMeta] = field(default_factory=dict)
    school_years: pd.DataFrame | None = None
    run_id: int | None = None
    computed_at: datetime | None = None
    n_floor: int = 23
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._warnings: pd.DataFrame | None = None

    # ------------------------------------------------------------------ tables
    def to_frame(self, kind: str = "flags") -> pd.DataFrame:
        """``flags`` (the export columns), ``warnings`` (one per problem), ``items`` or ``schools`` lights."""
        if kind == "flags":
            return display_frame(self.flags, self.indicators, self.n_floor)
        if kind == "warnings":
            return self.warnings
        if kind == "items":
            return self.item_lights()
        if kind == "schools":
            return school_lights(self.item_lights())
        raise ValueError(f"kind 应为 flags / warnings / items / schools, not {kind!r}")

    @property
    def warnings(self) -> pd.DataFrame:
        if self._warnings is None:
            self._warnings = merge_warnings(self.flags)
        return self._warnings

    def item_lights(self) -> pd.DataFrame:
        return item_lights(self.warnings, self.indicators, self.school_years)

    def filter(self, school: str | None = None, year: int | None = None, method: str | None = None) -> WarningResult:
        keep = pd.Series(True, index=self.flags.index)
        if school is not None:
            keep &= self.flags["school_id"] == school
        if year is not None:
            keep &= self.flags["year"] == year
        if method is not None:
            keep &= self.flags["method"] == method
        years = self.school_years
        if years is not None and school is not None:
            years = years[years["school_id"] == school]
        return WarningResult(self.flags[keep].reset_index(drop=True), self.indicators, years, self.run_id,
                             self.computed_at, self.n_floor, list(self.notes), dict(self.timings))

    def counts(self) -> pd.DataFrame:
        """Flags per method and severity."""
        if self.flags.empty:
            return pd.DataFrame(columns=["method", "red", "yellow", "info"])
        table = pd.crosstab(self.flags["method"], self.flags["severity"])
        return table.reindex(columns=["red", "yellow", "info"], fill_value=0).reset_index()

    # ----------------------------------------------------------------- display
    def __len__(self) -> int:
        return len(self.flags)

    def __repr__(self) -> str:
        sev = self.flags["severity"].value_counts() if len(self.flags) else {}
        return (f"WarningResult({len(self.flags)} flags → {len(self.warnings)} warnings; "
                f"red {sev.get('red', 0)}, yellow {sev.get('yellow', 0)}, info {sev.get('info', 0)}; "
                f"run {self.run_id})")

    def to_text(self, rows: int = 30) -> str:
        lines = [repr(self), *[f"注意 / note: {n}" for n in self.notes]]
        for w in self.warnings.head(rows).itertuples(index=False):
            year = "" if w.year is None or pd.isna(w.year) else int(w.year)
            lines.append(f"[{SEVERITY_ZH[w.severity]}] {w.school_id} {year} {w.unit} ({w.methods}) {w.message_zh}")
        if len(self.warnings) > rows:
            lines.append(f"… 另有 {len(self.warnings) - rows} 条 / {len(self.warnings) - rows} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def badge(sev: str) -> str:
            return (f'<span style="background:{COLOURS[sev]};color:white;padding:0 6px;border-radius:3px">'
                    f"{html.escape(SEVERITY_ZH.get(sev, '正常'))}</span>")

        head = f"<p><b>{html.escape(repr(self))}</b></p>"
        notes = "".join(f"<p>⚠ {html.escape(n)}</p>" for n in self.notes)
        rows = []
        for w in self.warnings.head(HTML_ROWS).itertuples(index=False):
            year = "" if w.year is None or pd.isna(w.year) else int(w.year)
            rows.append(f"<tr><td>{badge(w.severity)}</td><td>{html.escape(str(w.school_id))}</td><td>{year}</td>"
                        f"<td>{html.escape(str(w.unit))}</td><td>{html.escape(w.methods)}</td>"
                        f"<td>{html.escape(w.message_zh)}<br><small>{html.escape(w.message_en)}</small></td></tr>")
        more = f"<p>… {len(self.warnings) - HTML_ROWS} more</p>" if len(self.warnings) > HTML_ROWS else ""
        table = ("<table><thead><tr><th>级别</th><th>学校</th><th>年度</th><th>单元</th><th>方法</th>"
                 "<th>说明 / message</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>") if rows \
            else "<p>没有预警 / no warnings</p>"
        return f"<div>{head}{notes}{table}{more}</div>"
