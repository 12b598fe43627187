"""Printing HTML to PDF, and SVG charts to PNG, with the system's headless Chromium (Playwright).

One :class:`Browser` is started once and reused for many documents (a batch worker keeps one for
its whole life).  Playwright's own browser download is never used: ``/usr/bin/chromium`` (or
``$ZHENGAI_CHROMIUM``) is launched with the options of ``shared/stack-notes.md``.

The table of contents gets its page numbers in two passes: the document is printed, the page of
each chapter heading is read from the PDF's text (``pdftotext``), the numbers are written into
the contents page and the document is printed again.  The contents page has a fixed length, so
the second pass does not move any heading.

Text is printed with a TrueType copy of Noto Sans CJK SC (:mod:`.fonts`), served to the page
from memory, so the PDF embeds a real, named, subsetted CJK font.  Running heads and page
numbers come from the document's CSS ``@page`` margin boxes (Chromium's header and footer
templates cannot use the page's fonts: their Chinese text would become Type 3 glyphs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .fonts import URL, font_face_css, pdf_fonts
from .model import Heading

CHROMIUM_ENV = "ZHENGAI_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
_SPACE = re.compile(r"\s+")
_FILL_TOC = """(pages) => { for (const el of document.querySelectorAll('.toc-page')) {
  const p = pages[el.dataset.anchor]; el.textContent = p === undefined ? '' : String(p); } }"""


_PRINT = {"prefer_css_page_size": True, "print_background": True}


class BrowserError(RuntimeError):
    """Chromium or poppler is missing, or printing failed."""


def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV, "").strip() or DEFAULT_CHROMIUM
    if not Path(path).exists():
        raise BrowserError(f"未找到 Chromium 浏览器（{path}），无法生成 PDF：请安装 chromium（apt-get install chromium）"
                           f"或设置 {CHROMIUM_ENV} / Chromium not found at {path}: install it or set {CHROMIUM_ENV}")
    return path


def heading_pages(pdf: bytes, headings: Sequence[Heading]) -> dict[str, int]:
    """The page (1-based) of each heading: the last page whose text holds its numbered title (the
    contents list every title before the chapters do, however many pages the contents take)."""
    if shutil.which("pdftotext") is None:
        raise BrowserError("未找到 pdftotext（poppler-utils），无法为目录编页码 / pdftotext not found")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              timeout=120).stdout.decode("utf-8", "replace")
    pages = [_SPACE.sub("", p) for p in text.split("\f")]
    found = {}
    for h in headings:
        title = _SPACE.sub("", h.title)
        hits = [n for n, p in enumerate(pages, 1) if title in p]
        if hits:
            found[h.anchor] = hits[-1]
    return found


class Browser:
    """A headless Chromium kept open for many documents; use as a context manager or call :meth:`close`."""

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable
        self._playwright = None
        self._browser = None
        self._page = None
        self._fonts: dict[int, bytes] = {}
        self._pages: dict[str, int] | None = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def page(self):  # noqa: ANN201 - playwright's Page
        if self._page is None:
            from playwright.sync_api import sync_playwright

            self._fonts = {}
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=self.executable or chromium_path(), args=LAUNCH_ARGS, headless=True)
            except Exception:
                self.close()
                raise
            context = self._browser.new_context(device_scale_factor=1.5, locale="zh-CN")
            self._fonts = {w: p.read_bytes() for w, p in pdf_fonts().items()}
            context.route(URL + "*", self._serve_font)
            self._page = context.new_page()
        return self._page

    def _serve_font(self, route) -> None:  # noqa: ANN001 - playwright's Route
        weight = int(route.request.url.rsplit("/", 1)[-1].split(".")[0] or 0)
        if weight in self._fonts:
            route.fulfill(status=200, body=self._fonts[weight], content_type="font/ttf")
        else:
            route.abort()

    def _print_css(self) -> str:
        return f"<style>{font_face_css(sorted(self._fonts))}</style>" if self._fonts else ""

    def close(self) -> None:
        for closer in (self._browser, self._playwright):
            if closer is not None:
                try:
                    closer.close() if closer is self._browser else closer.stop()
                except Exception:  # noqa: BLE001 - closing a dead browser is not an error
                    pass
        self._playwright = self._browser = self._page = None

    def _set(self, html: str) -> None:
        page = self.page
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")

    def load(self, html: str) -> None:
        """Open ``html`` as it will be printed (print media, the embedded TrueType CJK font)."""
        page = self.page
        self._pages = None
        self._set(html.replace("</head>", self._print_css() + "</head>", 1))
        page.emulate_media(media="print")

    def print_pdf(self, toc: Sequence[Heading] = ()) -> bytes:
        """Print the loaded page (page size, margins, running heads and page numbers from its CSS ``@page``).

        With ``toc`` (the chapters the contents list; a chapter with anchor ``summary`` is page 1),
        the contents get page numbers.
        """
        if toc:
            self.page.evaluate(_FILL_TOC, self.pages(toc))
        return self.page.pdf(**_PRINT, outline=True, tagged=True)  # bookmarks from the headings

    def pages(self, toc: Sequence[Heading]) -> dict[str, int]:
        """The page of each heading of ``toc`` when the loaded page is printed (a chapter with anchor
        ``summary`` is page 1); learnt once per loaded page, by a plain first pass (tagging does not
        change the page breaks)."""
        if self._pages is None:
            self._pages = heading_pages(self.page.pdf(**_PRINT), [h for h in toc if h.anchor != "summary"])
            self._pages.update({h.anchor: 1 for h in toc if h.anchor == "summary"})
        return self._pages

    def pdf(self, html: str, toc: Sequence[Heading] = ()) -> bytes:
        """Load and print ``html`` (see :meth:`load` and :meth:`print_pdf`)."""
        self.load(html)
        return self.print_pdf(toc)

    def snapshots(self, keys: Sequence[str]) -> dict[str, bytes]:
        """PNG images (at 1.5 × the CSS size: about 150 dpi in a Word page) of the loaded page's charts (``<figure data-chart=key>``)."""
        return {key: self.page.locator(f'figure[data-chart="{key}"] svg').screenshot(type="png") for key in keys}
