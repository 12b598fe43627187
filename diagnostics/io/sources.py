"""The tables of an input and their rows, read piece by piece.

An input is a folder of CSV files, a ``.zip`` of them, one ``.csv`` or one
``.xlsx`` workbook.  :func:`find_sources` lists its tables (checking names,
emptiness and encoding in one streaming pass that also hashes the input);
:func:`pieces` yields a table's rows in pieces of at most :data:`CHUNK_ROWS`,
so a province's data never has to be in memory at once.  Every problem
becomes a located issue, never an exception.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..contract import Table, table_for_label
from .errors import ImportIssue, file_issue
from .limits import MAX_MEMBERS, InputTooLarge, check_archive, zip_budget
from .read import HEADER_SEARCH_ROWS, Sheet, body_sheet, find_header, match_header, no_rows_issue

ENCODINGS = ("utf-8-sig", "gb18030")
CHUNK_ROWS = 200_000
SCAN_BLOCK = 1 << 20
RESTART = None  # yielded by :func:`pieces`: drop the pieces so far, the table is read again
_WHOLE = ("CSV 文件夹、.zip 或 .xlsx", "a folder of CSV files, a .zip or an .xlsx file")
_EMPTY = ("文件为空", "the file is empty", "表头行和数据行", "a header row and data rows")


@dataclass
class Source:
    """One table of the input: a CSV file (opened on demand) or a workbook sheet (read whole)."""

    file: str
    table: Table
    opener: Callable[[], BinaryIO] | None = None
    encoding: str = ENCODINGS[0]
    size: int = 0
    sheet: Sheet | None = None


def find_sources(path: Path, issues: list[ImportIssue], digest: hashlib._Hash | None = None,
                 allow_hidden: bool = False, notes: list[ImportIssue] | None = None) -> list[Source]:
    """Every table of the input at ``path``; structural problems go to ``issues``.

    ``allow_hidden`` imports hidden workbook sheets, rows and columns, naming them in ``notes``.
    """
    from .workbook import read_workbook

    digest = digest or hashlib.sha256()
    path = Path(path)
    suffix = path.suffix.lower()
    sources: list[Source] = []
    if not path.exists():
        issues.append(file_issue(str(path), "路径不存在", "path does not exist", *_WHOLE))
    elif path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "_", "~$")))
        csvs = [p for p in files if p.suffix.lower() == ".csv"]
        if len(csvs) > MAX_MEMBERS:
            issues.append(file_issue(str(path), f"文件夹中的 CSV 文件过多（{len(csvs)} 个，上限 {MAX_MEMBERS}）",
                                     f"too many CSV files in the folder ({len(csvs)}, at most {MAX_MEMBERS})",
                                     "每张表一个 CSV 文件", "one CSV file per table"))
            csvs = []
        elif not csvs:
            issues.append(file_issue(str(path), "文件夹中没有 CSV 文件", "no CSV files in the folder",
                                     "每张表一个 CSV 文件", "one CSV file per table"))
        sources += [s for p in csvs if (s := csv_source(p.name, partial(p.open, "rb"), issues, digest))]
    elif suffix == ".zip":
        sources += _zip_sources(path, issues, digest)
    elif suffix in (".xlsx", ".xlsm"):
        data = path.read_bytes()
        digest.update(data)
        sources += [Source(s.file, s.table, size=len(data), sheet=s)
                    for s in read_workbook(path.name, data, issues, allow_hidden, notes)]
    elif suffix == ".csv":
        sources += [s for s in [csv_source(path.name, partial(path.open, "rb"), issues, digest)] if s]
    else:
        issues.append(file_issue(path.name, f"不支持的文件类型“{path.suffix}”", f"unsupported file type '{path.suffix}'",
                                 "CSV 文件夹、.zip 或 .xlsx（不支持 .xls，请另存为 .xlsx）",
                                 "a folder of CSV files, a .zip or an .xlsx file (save .xls as .xlsx)"))
    return _drop_repeated(sources, issues)


def csv_source(name: str, opener: Callable[[], BinaryIO], issues: list[ImportIssue],
               digest: hashlib._Hash) -> Source | None:
    """A CSV file as a source, after one pass that hashes it and finds its encoding."""
    stem = Path(name).stem
    table = table_for_label(stem)
    try:
        encoding, nonblank, size = _scan(name, opener, digest)
    except (zlib.error, zipfile.BadZipFile, EOFError, OSError) as exc:  # a damaged member of a zip
        issues.append(file_issue(name, f"文件已损坏，无法完整读取（{type(exc).__name__}）",
                                 f"the file is damaged and cannot be read in full ({type(exc).__name__})",
                                 "完整的 CSV 文件（重新导出或重新压缩）", "an intact CSV file (export or zip it again)"))
        return None
    if table is None:
        issues.append(file_issue(name, f"文件名“{stem}”不是已知的表名", f"file name '{stem}' is not a known table",
                                 "表名（英文或中文），如 students.csv 或 学生.csv",
                                 "a table name in English or Chinese, e.g. students.csv"))
    elif not nonblank:
        issues.append(file_issue(name, *_EMPTY))
    elif isinstance(encoding, tuple):
        issues.append(_encoding_issue(name, *encoding))
    else:
        return Source(name, table, opener, encoding, size)
    return None


def _encoding_issue(name: str, utf8_row: int | None, gb_row: int | None) -> ImportIssue:
    expected = ("整个文件统一为 UTF-8、带BOM的UTF-8或GB18030编码的CSV", "CSV wholly in UTF-8, UTF-8 with BOM or GB18030")
    if utf8_row is None:  # not text at all, or UTF-16 ("Unicode text")
        return file_issue(name, "无法识别文件编码（不是文本 CSV，或是 UTF-16）",
                          "cannot decode the file (not a text CSV, or UTF-16)", *expected)
    return file_issue(name, f"文件编码混杂：第{utf8_row}行起不是 UTF-8，第{gb_row}行起不是 GB18030（可能由不同编码的文件拼接而成）",
                      f"mixed encodings: not UTF-8 from row {utf8_row}, not GB18030 from row {gb_row} "
                      "(files of different encodings joined?)", *expected, row=utf8_row)


def _scan(name: str, opener: Callable[[], BinaryIO],
          digest: hashlib._Hash) -> tuple[str | tuple[int | None, int | None], bool, int]:
    """Hash the file; return (the first encoding that decodes all of it, whether it holds any text, size).

    When no encoding decodes it, the "encoding" is the rows where UTF-8 and GB18030 first fail
    (``(None, None)`` for a file that is not text or is UTF-16).
    """
    digest.update(name.encode() + b"\0")
    nonblank, size, binary = False, 0, False
    utf8 = codecs.getincrementaldecoder(ENCODINGS[0])()
    utf8_row = None
    lines = 0
    with opener() as fh:
        while block := fh.read(SCAN_BLOCK):
            if size == 0 and (block.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in block[:4096]):
                binary = True  # UTF-16 ("Unicode text") or not text at all
            digest.update(block)
            size += len(block)
            nonblank = nonblank or bool(block.strip())
            if utf8_row is None and (at := _fails_at(utf8, block)) is not None:
                utf8_row = lines + block[:at].count(b"\n") + 1
            lines += block.count(b"\n")
    if utf8_row is None and _fails_at(utf8, b"", final=True) is not None:
        utf8_row = lines + 1
    if binary:
        return (None, None), nonblank, size
    if utf8_row is None:
        return ENCODINGS[0], nonblank, size
    gb_row = _fails_row(opener, ENCODINGS[1])
    return (ENCODINGS[1] if gb_row is None else (utf8_row, gb_row)), nonblank, size


def _fails_at(decoder: codecs.IncrementalDecoder, block: bytes, final: bool = False) -> int | None:
    """Where in ``block`` the decoder fails (``None``: it does not)."""
    try:
        decoder.decode(block, final)
    except UnicodeDecodeError as exc:
        return max(exc.start, 0)
    return None


def _fails_row(opener: Callable[[], BinaryIO], encoding: str) -> int | None:
    """The row where ``encoding`` first fails to decode the file (``None``: it decodes all of it)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    with opener() as fh:
        while block := fh.read(SCAN_BLOCK):
            if (at := _fails_at(decoder, block)) is not None:
                return lines + block[:at].count(b"\n") + 1
            lines += block.count(b"\n")
    return None if _fails_at(decoder, b"", final=True) is None else lines + 1


def _zip_sources(path: Path, issues: list[ImportIssue], digest: hashlib._Hash) -> list[Source]:
    """The CSV members of a zip, read through one open archive (its directory is read once)."""
    try:
        archive = zipfile.ZipFile(path)
        check_archive(archive, path.stat().st_size, zip_budget(path.stat().st_size))
        members = sorted((_zip_name(i), i) for i in archive.infolist()
                         if i.filename.lower().endswith(".csv") and not Path(i.filename).name.startswith((".", "_")))
        if not members:
            issues.append(file_issue(path.name, "zip 中没有 CSV 文件", "no CSV files in the zip",
                                     "每张表一个 CSV 文件", "one CSV file per table"))
        return [s for n, i in members
                if (s := csv_source(Path(n).name, partial(archive.open, i), issues, digest))]
    except InputTooLarge as exc:
        issues.append(exc.issue(path.name))
        return []
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        issues.append(file_issue(path.name, f"不是有效的 zip 文件，或已损坏、加密（{type(exc).__name__}）",
                                 f"not a valid zip, or damaged or encrypted ({type(exc).__name__})",
                                 "包含 CSV 文件的完整、未加密的 zip", "an intact, unencrypted zip of CSV files"))
        return []


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name; names zipped on Chinese Windows are GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _drop_repeated(sources: list[Source], issues: list[ImportIssue]) -> list[Source]:
    seen: dict[str, Source] = {}
    for s in sources:
        first = seen.get(s.table.name)
        if first is None:
            seen[s.table.name] = s
            continue
        where = f"{first.file} {first.sheet.sheet if first.sheet else ''}".strip()
        issues.append(file_issue(s.file, f"表“{s.table.zh}”重复提供（已在 {where} 中）",
                                 f"table '{s.table.name}' given twice (also in {where})",
                                 "每张表只提供一次", "each table once", sheet=s.sheet.sheet if s.sheet else ""))
    return list(seen.values())


# ------------------------------------------------------------------ rows, piece by piece

def pieces(source: Source, issues: list[ImportIssue]) -> Iterator[Sheet | None]:
    """The table's data rows in pieces; :data:`RESTART` means: forget the pieces so far."""
    if source.sheet is not None:
        yield source.sheet
        return
    found: list[ImportIssue] = []
    try:
        yield from _csv_pieces(source, _fast_chunks(source), found)
    except pd.errors.ParserError:  # ragged rows or bad quotes: read again, record by record
        found = []
        yield RESTART
        yield from _csv_pieces(source, _strict_chunks(source, found), found)
    issues.extend(found)


def _fast_chunks(source: Source) -> Iterator[pd.DataFrame]:
    """The file's records by pandas' C parser, which is given the bytes and decodes them itself: given a
    text stream, pandas 3 turns it back into bytes through a wrapper whose carried-over bytes grow with
    every read of multi-byte text, so reading cost grew with the square of the file (82 s of copying in
    that wrapper for a province's 690 MB students file; on its first 120 MB, 4.1 s against 1.6 s)."""
    with source.opener() as raw:
        try:
            reader = pd.read_csv(raw, encoding=source.encoding, dtype=str, keep_default_na=False, header=None,
                                 skip_blank_lines=False, chunksize=CHUNK_ROWS)
        except pd.errors.EmptyDataError:
            return
        with reader:
            yield from reader


def _strict_chunks(source: Source, issues: list[ImportIssue]) -> Iterator[pd.DataFrame]:
    """Records by Python's csv reader: locates a bad quote; rows may have any number of cells."""
    with source.opener() as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding=source.encoding, newline=""), strict=True)
        rows: list[list[str]] = []
        done = 0
        try:
            for record in reader:
                rows.append(record)
                if len(rows) == CHUNK_ROWS:
                    yield _ragged_frame(rows)
                    done, rows = done + len(rows), []
        except csv.Error as exc:
            row = done + len(rows) + 1
            issues.append(file_issue(source.file, f"CSV 格式错误：第{row}行起引号不成对或位置不对（{exc}）",
                                     f"malformed CSV: unbalanced or misplaced quote from row {row} ({exc})",
                                     "逗号分隔，含逗号或换行的值用成对的英文双引号括起",
                                     "comma-separated values; a value holding a comma or line break "
                                     "in paired double quotes", row=row))
            return
        if rows:
            yield _ragged_frame(rows)


def _ragged_frame(rows: list[list[str]]) -> pd.DataFrame:
    """Records of any lengths as one frame, short ones padded with empty cells."""
    width = max(map(len, rows))
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)


def _csv_pieces(source: Source, chunks: Iterator[pd.DataFrame], issues: list[ImportIssue]) -> Iterator[Sheet]:
    table, name = source.table, source.file
    header = None
    seen = rows = 0
    failed = False
    for chunk in chunks:
        start, seen = seen, seen + len(chunk)
        if header is None:
            top = chunk.head(HEADER_SEARCH_ROWS).to_numpy(dtype=object).tolist()
            at = find_header(table, top)
            header = match_header(name, "", table, top[at], start + at + 1, issues)
            body, first = chunk.iloc[at + 1:], start + at + 2
        else:
            body, first = chunk, start + 1
        piece = None if failed else body_sheet(name, "", table, header, body, first, issues)
        failed = failed or piece is None
        if piece is not None and len(piece.frame):
            rows += len(piece.frame)
            yield piece
    if header is None:
        issues.append(file_issue(name, *_EMPTY))
    elif not failed and rows == 0:
        issues.append(no_rows_issue(name, "", header.row + 1))


def whole_sheet(source: Source, issues: list[ImportIssue]) -> Sheet | None:
    """All rows of a source as one sheet (for small inputs and the in-memory API)."""
    parts: list[Sheet] = []
    for piece in pieces(source, issues):
        parts = [] if piece is RESTART else parts + [piece]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return Sheet(parts[0].file, parts[0].sheet, parts[0].table,
                 pd.concat([p.frame for p in parts], ignore_index=True),
                 pd.concat([p.rows for p in parts], ignore_index=True), clean=all(p.clean for p in parts))
