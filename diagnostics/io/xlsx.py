"""A fast streaming reader of ``.xlsx`` cell values (lxml over the sheet XML).

openpyxl needs some 12 µs per cell, too slow for a school's workbook of a
million cells; this reader streams each sheet's XML with lxml and gives the
same values openpyxl would: text, int or float, bool, ``datetime`` for cells
with a date format, and the formula text for formula cells (reported, never
evaluated).  It reads SpreadsheetML in both the transitional and the strict
namespace, every cell that is there whatever the sheet's ``<dimension>``
declares, and says which sheets, rows and columns Excel hides.  It is the only
workbook reader: what it cannot read raises, and the import refuses the file.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_XLSX_XML, check_archive, check_cell, check_rectangle

_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_REL_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _parse(archive: zipfile.ZipFile, name: str) -> etree._Element:
    with archive.open(name) as fh:
        return etree.parse(fh, etree.XMLParser(resolve_entities=False, huge_tree=True)).getroot()


def _text(element: etree._Element) -> str:
    """The text of a string item: its ``t`` elements, leaving out phonetic runs (``rPh``)."""
    return "".join(t.text or "" for t in element.iter("{*}t") if _local(t.getparent().tag) != "rPh")


def _shared_strings(archive: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None or part not in archive.namelist():
        return []
    out: list[str] = []
    with archive.open(part) as fh:
        for _, si in etree.iterparse(fh, tag="{*}si", resolve_entities=False, huge_tree=True):
            out.append(_text(si))
            si.clear()
            if len(out) > MAX_CELLS:  # more strings than a workbook may have cells
                check_cell("sharedStrings", 1, 1, len(out))
    return out


def _date_styles(archive: zipfile.ZipFile, part: str | None) -> set[int]:
    """The cell-style indexes whose number format shows a date or time."""
    if part is None or part not in archive.namelist():
        return set()
    root = _parse(archive, part)
    formats = dict(BUILTIN_FORMATS)
    for nf in root.iter("{*}numFmt"):
        formats[int(nf.get("numFmtId"))] = nf.get("formatCode") or ""
    xfs = next(root.iter("{*}cellXfs"), None)
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs) if is_date_format(formats.get(int(xf.get("numFmtId") or 0), ""))}


def _parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str, str]], dict[str, str | None], bool]:
    """The worksheets as (title, part name, state) in workbook order, the other parts by kind, and the
    1904 flag.  A sheet's state is ``visible``, ``hidden`` or ``veryHidden`` (hidden even from Excel's menu)."""
    book = next(n for n in archive.namelist() if re.fullmatch(r"xl/workbook\d*\.xml", n))
    folder = posixpath.dirname(book)
    rels_root = _parse(archive, f"{folder}/_rels/{posixpath.basename(book)}.rels")
    targets: dict[str, tuple[str, str]] = {}
    for rel in rels_root:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    root = _parse(archive, book)
    pr = next(root.iter("{*}workbookPr"), None)
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    sheets = []
    for sheet in root.iter("{*}sheet"):
        kind, path = targets[sheet.get(_REL_ID) or sheet.get(_STRICT_REL_ID)]
        if kind == "worksheet":
            sheets.append((sheet.get("name"), path, sheet.get("state") or "visible"))
    other = {kind: path for kind, path in targets.values() if kind in ("sharedStrings", "styles")}
    return sheets, {"sharedStrings": other.get("sharedStrings"), "styles": other.get("styles")}, date1904


@dataclass
class SheetCells:
    """One worksheet as read: its cell values row by row, its formula cells, and what Excel hides of it."""

    title: str
    rows: list[list[object]]
    formulas: list[tuple[int, int, str]]  # (row, column, formula)
    state: str = "visible"  # visible | hidden | veryHidden
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)


def read_book(data: bytes) -> list[SheetCells]:
    """Every worksheet of a workbook, read in full whatever its ``<dimension>`` declares.

    The input limits (:mod:`.limits`) are checked on the archive's directory before anything is
    unpacked and on each cell as it is read; a broken limit raises :class:`limits.InputTooLarge`.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_archive(archive, len(data), MAX_XLSX_XML)
        sheets, parts, date1904 = _parts(archive)
        book = _Book(_shared_strings(archive, parts["sharedStrings"]), _date_styles(archive, parts["styles"]),
                     CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)
        out = []
        for title, path, state in sheets:
            sheet = None
            if archive.getinfo(path).file_size <= FAST_LIMIT:
                sheet = _regex_sheet_cells(title, archive.read(path).decode("utf-8"), book)
            sheet = sheet or _sheet_cells(title, archive, path, book)
            sheet.state = state
            book.cells += sum(map(len, sheet.rows))
            out.append(sheet)
        return out


def read_sheets(data: bytes) -> Iterator[tuple[str, list[list[object]], list[tuple[int, int, str]]]]:
    """Each worksheet as (title, rows of cell values, formula cells as (row, column, formula))."""
    for sheet in read_book(data):
        yield sheet.title, sheet.rows, sheet.formulas


def _grid(title: str, rows: dict[int, list[object]]) -> list[list[object]]:
    """The rows 1…last (missing ones empty), once the sheet's rectangle is known to fit the limits."""
    last = max(rows, default=0)
    check_rectangle(title, last, max(map(len, rows.values()), default=0))
    return [rows.get(r, []) for r in range(1, last + 1)]


_HIDDEN_ROW = re.compile(r'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_HIDDEN_COL = re.compile(r'<col\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL_SPAN = re.compile(r'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')


def _hidden_columns(xml_head: str) -> set[int]:
    """The columns a ``<cols>`` section hides (only those up to Excel's last column)."""
    out: set[int] = set()
    for tag in _HIDDEN_COL.finditer(xml_head):
        span = _COL_SPAN.search(tag.group())
        if span:
            a, b, c, d = span.groups()
            low, high = (int(a), int(b)) if a else (int(d), int(c))
            out.update(range(low, min(high, MAX_COLUMNS) + 1))
    return out


class _Book:
    """What cell values need from the rest of the workbook: shared strings, date styles, the epoch."""

    def __init__(self, strings: list[str], dates: set[int], epoch: dt.datetime) -> None:
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.cells = 0  # value cells of the sheets read so far (the input limit is on the whole workbook)

    def value(self, v: str, kind: str | None, style: str | None) -> object:
        """A cell's ``<v>`` text as the value its type (``t``) and style (``s``) say."""
        if not kind or kind == "n":
            number: int | float = int(v) if v.lstrip("-").isdigit() else float(v)
            if self.dates and int(style or 0) in self.dates:
                return from_excel(number, self.epoch)
            return number
        if kind == "s":
            return self.strings[int(v)]
        if kind == "b":
            return v in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(v)
        return v  # str (a formula's text), e (an error such as #N/A), inlineStr written with <v>


_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_V, _F, _IS, _T = ({f"{{{ns}}}{name}" for ns in _NS} for name in ("v", "f", "is", "t"))


# The fast path: the sheet XML as Excel, WPS, LibreOffice and openpyxl write it (unprefixed tags,
# ``r`` first, then ``s``, then ``t``), matched by one regular expression.  Any cell it cannot
# account for sends the whole sheet to the lxml path.
FAST_LIMIT = 64 * 2**20  # the whole XML is held as text: bounded so a sheet stays far below 1 GB
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?((?: [\w:]+="[^"]*")*)\s*'
                   r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: [^>]*)?>([^<]*)</t></is>|(.*?))</c>)', re.S)
_CELL_START = re.compile(r"<c[\s>/]")


def _regex_sheet_cells(title: str, xml: str, book: _Book) -> SheetCells | None:
    if "<![CDATA[" in xml or "<sheetData" not in xml:
        return None
    rows: dict[int, list[object]] = {}
    formulas: list[tuple[int, int, str]] = []
    columns: dict[str, int] = {}
    texts: dict[str, str] = {}  # escaped text -> text (pandas writes non-ASCII as &#NNNNN;)
    matched = stored = 0
    for match in _CELL.finditer(xml):
        letters, row_text, style, kind, _extra, v, inline, other = match.groups()
        matched += 1
        col_no = columns.get(letters) or columns.setdefault(letters, _column(letters))
        row_no = int(row_text)
        if other:  # a formula, rich text or an unusual layout: lxml reads this one cell
            cell = etree.fromstring(f'<c xmlns="{_NS[0]}" s="{style or 0}" t="{kind or "n"}">{other}</c>')
            value, formula = _cell(cell, book)
            if formula is not None:
                formulas.append((row_no, col_no, formula))
                continue
        elif inline or (v and kind not in (None, "n", "s", "b", "d")):
            text = inline or v
            value = texts.get(text) or texts.setdefault(text, html.unescape(text) if "&" in text else text)
        elif v:
            value = book.value(v, kind, style)
        else:
            continue  # an empty cell, or one that only carries a style
        stored += 1
        if row_no > MAX_ROWS or col_no > MAX_COLUMNS or stored + book.cells > MAX_CELLS:
            check_cell(title, row_no, col_no, stored + book.cells)
        values = rows.setdefault(row_no, [])
        if col_no - 1 > len(values):
            values.extend([None] * (col_no - 1 - len(values)))
        if col_no - 1 < len(values):
            return None  # cells out of order: let lxml read the sheet
        values.append(value)
    if matched != sum(1 for _ in _CELL_START.finditer(xml)):
        return None  # some cell was not matched
    numbers = [_ROW_NUMBER.search(tag.group()) for tag in _HIDDEN_ROW.finditer(xml)]
    if not all(numbers):
        return None  # a hidden row without its number: let lxml count the rows
    hidden = {int(n.group(1)) for n in numbers}
    return SheetCells(title, _grid(title, rows), formulas, hidden_rows=hidden & set(rows),
                      hidden_columns=_hidden_columns(xml[:xml.find("<sheetData")]))


def _sheet_cells(title: str, archive: zipfile.ZipFile, path: str, book: _Book) -> SheetCells:
    """The general way: the sheet's XML streamed element by element."""
    rows: dict[int, list[object]] = {}
    formulas: list[tuple[int, int, str]] = []
    columns: dict[str, int] = {}  # "AB" -> 28, each reference's letters converted once
    hidden_rows: set[int] = set()
    hidden_columns: set[int] = set()
    row_no = cells = 0
    with archive.open(path) as fh:
        for _, row in etree.iterparse(fh, tag=("{*}row", "{*}col"), resolve_entities=False, huge_tree=True):
            if _local(row.tag) == "col":
                if row.get("hidden") in ("1", "true"):
                    low, high = int(row.get("min") or 1), int(row.get("max") or 1)
                    hidden_columns.update(range(low, min(high, MAX_COLUMNS) + 1))
                continue
            row_no = int(row.get("r") or row_no + 1)
            if row.get("hidden") in ("1", "true"):
                hidden_rows.add(row_no)
            values: list[object] = []
            col_no = 0
            for c in row:
                ref = c.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    col_no = columns.get(letters) or columns.setdefault(letters, _column(letters))
                else:
                    col_no += 1
                if len(c) != 1:  # empty, or a formula with its cached value: the general way
                    value, formula = _cell(c, book)
                    if formula is not None:
                        formulas.append((row_no, col_no, formula))
                        value = None
                elif (child := c[0]).tag in _V:  # the common cases inline: a number or a shared string
                    value = None if child.text is None else book.value(child.text, c.get("t"), c.get("s"))
                elif child.tag in _IS:
                    only = child[0] if len(child) == 1 else None
                    value = (only.text or "") if only is not None and only.tag in _T else _text(child)
                else:
                    value, formula = _cell(c, book)
                    if formula is not None:
                        formulas.append((row_no, col_no, formula))
                        value = None
                if value is not None:
                    cells += 1
                    if row_no > MAX_ROWS or col_no > MAX_COLUMNS or cells + book.cells > MAX_CELLS:
                        check_cell(title, row_no, col_no, cells + book.cells)
                    if col_no - 1 > len(values):
                        values.extend([None] * (col_no - 1 - len(values)))
                    values.append(value)
            if values:
                rows[row_no] = values
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
    return SheetCells(title, _grid(title, rows), formulas, hidden_rows=hidden_rows & set(rows),
                      hidden_columns=hidden_columns)


def _cell(c: etree._Element, book: _Book) -> tuple[object, str | None]:
    """A cell's value and, for a formula cell, its formula."""
    v = f = None
    for child in c:
        tag = child.tag
        if tag in _V:
            v = child.text
        elif tag in _F:
            f = "=" + (child.text or "")
        elif tag in _IS:  # an inline string: usually one <t>
            only = child[0] if len(child) == 1 else None
            return (only.text or "") if only is not None and only.tag in _T else _text(child), f
    return (None if v is None else book.value(v, c.get("t"), c.get("s"))), f
