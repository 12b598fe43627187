"""Checks of a published site (信息发布): its links stay inside it, and no private token is in any file.

>>> check_links(Path("site")), scan(Path("site"), private_tokens(engine))   # doctest: +SKIP
([], [])
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def check_links(root: Path) -> list[str]:
    """Every ``href``/``src`` of every page under ``root`` that does not resolve to a file (or an anchor)
    inside ``root``, as ``page: link``; absolute, network and ``file:`` links are broken by definition."""
    broken = []
    root = root.resolve()
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("/"):
                broken.append(f"{page.relative_to(root)}: {link}")
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in parser.ids:
                    broken.append(f"{page.relative_to(root)}: {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(root):
                broken.append(f"{page.relative_to(root)}: {link}")
    return broken


def file_text(path: Path) -> str:
    """The text of a site file as a reader sees it (PDFs through ``pdftotext``)."""
    if path.suffix.lower() == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    return path.read_text(encoding="utf-8", errors="replace")


_WORD = re.compile(r"[0-9A-Za-z_\-]+")


def scan(root: Path, tokens: set[str]) -> list[str]:
    """``file: token`` for each private token that stands as a word (letters, digits, ``_``, ``-``) in a
    file under ``root``.  The words of each file are looked up in the set, so a province's million
    student keys cost no more than a few."""
    wanted = {t for t in (str(t).strip() for t in tokens) if t}
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        words = set(_WORD.findall(file_text(path)))
        found += [f"{path.relative_to(root)}: {t}" for t in sorted(words & wanted)]
    return found


PRIVATE_COLUMNS = ("student_key", "teacher_key", "id_hash")
MIN_TOKEN = 4  # shorter keys (T1, A01) also occur as ordinary text; they are not searched for


def private_tokens(engine: object) -> set[str]:
    """Every student key, teacher key and ID hash the store holds (at least :data:`MIN_TOKEN` long)."""
    import sqlalchemy as sa

    from ..store import metadata

    tokens: set[str] = set()
    with engine.connect() as conn:  # type: ignore[attr-defined]
        for table in metadata.tables.values():
            for name in PRIVATE_COLUMNS:
                if name in table.c:
                    tokens |= {str(v) for v in conn.execute(sa.select(table.c[name]).distinct()).scalars()
                               if v is not None and len(str(v)) >= MIN_TOKEN}
    return tokens
