"""The look shared by the reports and the dashboards, without matplotlib: the CSS font stack, one palette
(Okabe–Ito, readable by colour-blind readers) and the status legend.

Traffic lights are never colour alone (a reader may print in black and white or not tell red from
green): :data:`STATUS` gives each status a colour, a shape symbol and a word.  A dashboard's kernel
imports this module, not :mod:`diagnostics.charts` (matplotlib: 30 MB and half a second per kernel).
"""

from __future__ import annotations

from dataclasses import dataclass

#: CSS font stack for HTML documents (the browser finds the same fonts through fontconfig).
CSS_FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", '
                  '"Microsoft YaHei", "PingFang SC", sans-serif')

# One palette (Okabe–Ito, readable by colour-blind readers) for series, and the status colours.
PALETTE = {
    "school": "#0072B2",  # this school
    "peer": "#999999",  # peers / province
    "band": "#D9E3EE",  # peer inter-quartile band
    "standard": "#D55E00",  # 合格 line
    "restriction": "#7F0000",  # 限制招生 line
    "target": "#009E73",  # the school's own target
    "accent": "#E69F00",
    "ink": "#222222",
    "grid": "#E5E5E5",
}
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class Status:
    """How a traffic-light status is shown: colour, a shape symbol and a word (never colour alone)."""

    key: str
    colour: str
    symbol: str
    word: str
    meaning: str

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.word}"


STATUS = {
    "red": Status("red", "#C0392B", "■", "红灯", "需整改"),
    "yellow": Status("yellow", "#D68910", "▲", "黄灯", "需关注"),
    "green": Status("green", "#1E8449", "●", "绿灯", "正常"),
    "none": Status("none", "#7F8C8D", "○", "无数据", "暂无判断依据"),
    "unreported": Status("unreported", "#7F8C8D", "◌", "未上报", "本学年尚未上报状态数据"),
}
