"""A TrueType copy of Noto Sans CJK SC for the PDFs, made once and cached.

Chromium's PDF writer (Skia) embeds TrueType fonts as real, subsetted CID fonts, but turns
OpenType-CFF fonts (Noto Sans CJK is one) into hundreds of unnamed Type 3 glyph procedures: the
text still extracts, yet the file is larger, renders less crisply and ``pdffonts`` cannot show
that a Chinese font is embedded.  So the PDF printer serves the page a TrueType copy of the
Simplified-Chinese face, regular and bold, holding ASCII, Latin-1, common punctuation and
symbols and the 6 763 characters of GB 2312 (a character outside it falls back to the system's
Noto Sans CJK SC and is still printed correctly).

The copy is converted with fontTools (cubic outlines to quadratic) on first use, about half a
minute per weight, and kept in ``$ZHENGAI_FONT_CACHE`` (default ``~/.cache/zhengai/fonts``).
The HTML files a user receives do not reference it: they use the reader's own fonts.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

CACHE_ENV = "ZHENGAI_FONT_CACHE"
FAMILY = "Zhengai CJK"
FACE_NAME = "Noto Sans CJK SC"
SOURCES = {400: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
           700: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"}
URL = "https://fonts.zhengai.invalid/"
VERSION = "1"  # change to rebuild cached copies
_RANGES = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2300), (0x2460, 0x2700), (0x3000, 0x3100),
           (0xFF00, 0xFFF0)]


def cache_dir() -> Path:
    path = Path(os.environ.get(CACHE_ENV, "").strip() or Path.home() / ".cache" / "zhengai" / "fonts")
    return path.expanduser()


def charset() -> set[int]:
    """The code points the copy holds: the ranges above and every character of GB 2312."""
    points = {c for lo, hi in _RANGES for c in range(lo, hi)}
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((b1, b2)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def _face_index(source: Path) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source), lazy=True)
    for n, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FACE_NAME:
            return n
    raise ValueError(f"{source} has no face {FACE_NAME!r}")


def convert(source: Path, out: Path) -> Path:
    """Write the TrueType copy of the SC face of ``source`` (an OpenType-CFF collection) to ``out``."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), fontNumber=_face_index(source))
    options = subset.Options()
    options.layout_features, options.name_IDs, options.hinting, options.notdef_outline = [], ["*"], False, True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset())
    subsetter.subset(font)
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    for table in ("CFF ", "VORG", "GSUB", "GPOS"):
        if table in font:
            del font[table]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for key in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, key, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, suffix=".tmp", delete=False) as tmp:
        font.save(tmp.name)
    os.replace(tmp.name, out)  # atomic: parallel workers never read a half-written file
    return out


def pdf_fonts() -> dict[int, Path]:
    """The TrueType copies by weight, converting what is not cached yet.

    Without Noto Sans CJK, or with a cache that cannot be written, a weight is left out and the
    page falls back to the system's fonts (still correct text, as Type 3 glyphs; a warning says so).
    """
    out = {}
    for weight, source in SOURCES.items():
        if not Path(source).is_file():
            continue
        target = cache_dir() / f"NotoSansCJKsc-{weight}-v{VERSION}.ttf"
        try:
            out[weight] = target if target.is_file() else convert(Path(source), target)
        except OSError as exc:
            warnings.warn(f"PDF 字体副本无法写入 {target}：{exc} / cannot cache the PDF font copy", stacklevel=2)
    return out


def font_face_css(weights: list[int]) -> str:
    """``@font-face`` rules for the copies, served to the page at :data:`URL` by the printer."""
    return "".join(f'@font-face{{font-family:"{FAMILY}";font-weight:{w};src:url("{URL}{w}.ttf")}}'
                   for w in weights)
