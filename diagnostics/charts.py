"""Charts shared by the reports and the dashboards: one CJK font, one palette, one status legend.

Chinese text drawn with matplotlib's default font (DejaVu Sans) comes out as empty boxes and a
``Glyph … missing from font(s)`` warning.  :func:`use_cjk` finds a Noto Sans CJK font (Debian
package ``fonts-noto-cjk``; ``shared/stack-notes.md``), registers it with matplotlib's font manager
when its cache does not know it yet (a font installed after the cache was built), makes it the
default family and fails loudly when no CJK font is installed: a report with boxes instead of
characters must never be produced.

Traffic lights are never colour alone (a reader may print in black and white or not tell red from
green): :data:`STATUS` gives each status a colour, a shape symbol and a word.

>>> family = use_cjk()                                         # doctest: +SKIP
>>> fig, ax = figure(4, 2); ax.set_title("生师比"); png = to_png(fig)  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .palette import CSS_FONT_STACK, PALETTE, SERIES, STATUS, Status  # noqa: E402, F401 - re-exported

#: Families tried in order (Simplified Chinese forms first).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC")
#: Font files registered when matplotlib's cache does not know a CJK family (``ZHENGAI_CJK_FONT`` first).
CJK_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
                  "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_ENV = "ZHENGAI_CJK_FONT"
_family: str | None = None


class MissingCJKFont(RuntimeError):
    """No font with Chinese glyphs is installed."""


def _known_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def find_cjk_family() -> str:
    """The first CJK family matplotlib can use, registering a font file if needed.

    Raises :class:`MissingCJKFont` (with the fix) when none is installed.
    """
    known = _known_families()
    for family in CJK_FAMILIES:
        if family in known:
            return family
    files = [os.environ[FONT_ENV]] if os.environ.get(FONT_ENV) else []
    for path in [*files, *CJK_FONT_FILES]:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            known = _known_families()
            for family in CJK_FAMILIES:
                if family in known:
                    return family
            added = font_manager.FontProperties(fname=path).get_name()
            if added:
                return added
    raise MissingCJKFont(
        "未找到中文字体，图表中的汉字将无法显示。请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）"
        f"或用环境变量 {FONT_ENV} 指定字体文件。/ No CJK font found: install fonts-noto-cjk or point "
        f"{FONT_ENV} at a font file.")


def use_cjk() -> str:
    """Make the CJK family matplotlib's default (once per process); return the family name."""
    global _family
    if _family is None:
        _family = find_cjk_family()
    plt.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [_family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.edgecolor": "#888888",
        "axes.labelcolor": PALETTE["ink"],
        "axes.prop_cycle": matplotlib.cycler(color=list(SERIES)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": PALETTE["grid"],
        "grid.linewidth": 0.6,
        "xtick.color": "#555555",
        "ytick.color": "#555555",
        "font.size": 9,
        "axes.titlesize": 10,
        "legend.fontsize": 8,
        "legend.frameon": False,
        "svg.fonttype": "none",
    })
    return _family


def figure(width: float, height: float) -> tuple[Figure, object]:
    """A figure of ``width`` × ``height`` inches with one axes, in the house style.

    Figures are made with :class:`matplotlib.figure.Figure` (not pyplot), so nothing is kept
    in pyplot's registry and a long batch does not leak memory.
    """
    use_cjk()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def data_uri(png: bytes) -> str:
    """A ``data:`` URI for embedding PNG bytes in a self-contained HTML page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
