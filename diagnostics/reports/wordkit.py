"""Building blocks for Word reports (python-docx): page set-up, styles, tables, fields, status cells.

Text from data only ever becomes plain runs (control characters removed, :func:`.fmt.clean_text`);
the only fields in a document are the ones written here (table of contents, page numbers), never
built from data, and a ``.docx`` carries no macros.  The table of contents is written out in full
(its entries, links to the headings and their pages), so it shows when the document opens; Word
refreshes the page numbers when it updates the field.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..palette import STATUS
from .fmt import clean_text

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Arial"
HEADER_FILL = "E8EEF4"
TABLE_PT = 8.5
SEVERITY_STATUS = {"red": "red", "yellow": "yellow", "info": "none"}


def _fonts(style_or_run: object, east_asia: str, latin: str = LATIN_FONT) -> None:
    font = style_or_run.font  # type: ignore[attr-defined]
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def new_document(landscape: bool = False) -> DocumentType:
    """An A4 document with Chinese fonts set on the body, title and heading styles."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.top_margin = section.bottom_margin = Mm(22)
    section.left_margin = section.right_margin = Mm(20)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, "Times New Roman")
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = doc.styles[name]
        _fonts(style, HEADING_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
    grid = doc.styles["Table Grid"]  # table text size set once on the style, not on every run
    grid.font.size = Pt(TABLE_PT)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")  # Word offers to fill the table of contents on opening
    update.set(qn("w:val"), "true")
    settings.append(update)
    return doc


def add_field(paragraph: object, instruction: str, placeholder: str = "") -> None:
    """A Word field (``TOC``, ``PAGE``, ``NUMPAGES``) with a placeholder result."""
    for part in (_char("begin"), _instr(instruction), _char("separate")):
        paragraph.add_run()._r.append(part)  # type: ignore[attr-defined]
    paragraph.add_run(placeholder)  # type: ignore[attr-defined]
    paragraph.add_run()._r.append(_char("end"))  # type: ignore[attr-defined]


def header_footer(doc: DocumentType, left: str, right: str, footer: str) -> None:
    """Running head (``left`` … ``right``) and a footer with ``footer`` and 第 X 页 / 共 Y 页."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    head = section.header.paragraphs[0]
    head.text = ""
    run = head.add_run(f"{clean_text(left)}　　{clean_text(right)}")
    run.font.size, run.font.color.rgb = Pt(8), RGBColor(0x66, 0x66, 0x66)
    for part in (section.footer, section.first_page_footer):
        foot = part.paragraphs[0]
        foot.text = ""
        small = foot.add_run(clean_text(footer) + "　　")
        small.font.size, small.font.color.rgb = Pt(7.5), RGBColor(0x66, 0x66, 0x66)
        foot.add_run("第 ")
        add_field(foot, "PAGE", "1")
        foot.add_run(" 页 / 共 ")
        add_field(foot, "NUMPAGES", "1")
        foot.add_run(" 页")
        for r in foot.runs:
            r.font.size = Pt(7.5)


def _char(kind: str) -> OxmlElement:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def _instr(text: str) -> OxmlElement:
    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = f" {text} "
    return el


def bookmark(paragraph: object, name: str, number: int) -> None:
    """Mark ``paragraph`` (a heading) as the bookmark ``name``: the target of a contents entry."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    p = paragraph._p  # type: ignore[attr-defined]
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def _toc_style(doc: DocumentType, level: int) -> object:
    name = f"toc {level}"
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        fmt = style.paragraph_format
        fmt.left_indent = Mm(7 * (level - 1))
        fmt.space_after = Pt(4 if level == 1 else 2)
        fmt.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        style.font.size = Pt(11 if level == 1 else 10.5)
        return style


def toc(doc: DocumentType, entries: Sequence[tuple[str, int, str, int | None]], levels: str = "1-2") -> None:
    """A table of contents whose entries are written out: ``(title, level, bookmark, page)`` each, a link
    to the bookmark and the page (when known); it is Word's TOC field, so updating it renumbers the pages."""
    for n, (title, level, name, page) in enumerate(entries):
        paragraph = doc.add_paragraph(style=_toc_style(doc, level))
        if n == 0:
            for part in (_char("begin"), _instr(f'TOC \\o "{levels}" \\h \\z \\u'), _char("separate")):
                paragraph.add_run()._r.append(part)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        for text in (clean_text(title), "\t", "" if page is None else str(page)):
            run = paragraph.add_run()
            if text == "\t":
                run._r.append(OxmlElement("w:tab"))
            else:
                run.text = text
            link.append(run._r)
        paragraph._p.append(link)
        if n == len(entries) - 1:
            paragraph.add_run()._r.append(_char("end"))


def shade(cell: object, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def status_cell(cell: object, status: str, label: str) -> None:
    """A status in a table cell: white bold symbol and word on the status colour."""
    cell.text = ""  # type: ignore[attr-defined]
    run = cell.paragraphs[0].add_run(clean_text(label))  # type: ignore[attr-defined]
    run.bold = True
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    shade(cell, STATUS[status].colour.lstrip("#"))


def table(doc: DocumentType, headers: Sequence[str], rows: Sequence[Sequence[object]],
          numeric: Sequence[int] = (), caption: str = "") -> object:
    """A bordered table with a shaded, repeated header row; ``numeric`` columns right-aligned."""
    if caption:
        cap = doc.add_paragraph()
        run = cap.add_run(clean_text(caption))
        run.bold, run.font.size = True, Pt(9.5)
    t = doc.add_table(rows=1 + len(rows), cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    t.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(t.rows[0].cells, headers):
        cell.paragraphs[0].add_run(clean_text(text)).bold = True
        shade(cell, HEADER_FILL)
    for row, values in zip(t.rows[1:], rows):
        for n, (cell, value) in enumerate(zip(row.cells, values)):
            para = cell.paragraphs[0]
            para.add_run(clean_text(value))
            if n in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return t


def keep_together(t: object) -> None:
    """A table that never splits across pages (rows kept whole and with the next row)."""
    for row in t.rows:  # type: ignore[attr-defined]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def picture(doc: DocumentType, png: bytes | None, caption: str, width_mm: float = 165) -> None:
    if not png:
        return
    doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap = doc.add_paragraph(clean_text(caption))
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.runs[0].font.size = Pt(8.5)


def para(doc: DocumentType, text: str, size: float | None = None, bold: bool = False) -> None:
    run = doc.add_paragraph().add_run(clean_text(text))
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def to_bytes(doc: DocumentType) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
