"""Input limits, checked before the work they bound is done (README: "Input limits (导入限制)").

A crafted file of a few kilobytes must not make an import use gigabytes or minutes: a zip that
expands a thousandfold, thousands of zip members, a workbook cell at row 40 000 000.  Every limit
is checked on what the input declares (the zip's central directory) or as the cells are read, and
a broken limit is a located, bilingual error, never an exception.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import ImportIssue, file_issue

MAX_MEMBERS = 1_000  # members of a .zip or .xlsx (the contract has some twenty tables)
MAX_EXPANSION = 10  # a .zip of CSV files may hold at most this many times its own size ...
MIN_EXPANDED = 64 * 2**20  # ... or this much, whichever is more
MAX_XLSX_XML = 128 * 2**20  # the uncompressed parts of one workbook
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own limits: a reference beyond them is not a workbook
MAX_CELLS = 1_000_000  # cells of one workbook (value cells, and each sheet's row × column rectangle)


class InputTooLarge(Exception):
    """A limit broken while reading: where, and the bilingual message."""

    def __init__(self, zh: str, en: str, sheet: str = "", row: int | None = None, column: str = "") -> None:
        super().__init__(en)
        self.zh, self.en, self.sheet, self.row, self.column = zh, en, sheet, row, column

    def issue(self, file: str) -> ImportIssue:
        return file_issue(file, self.zh, self.en, "不超过导入限制的数据（见 README“导入限制”）",
                          "data within the input limits (README: Input limits)", self.sheet, self.column,
                          row=self.row)


def check_archive(archive: zipfile.ZipFile, size: int, budget: int) -> None:
    """Refuse an archive with too many members or that expands beyond ``budget`` bytes (from its directory)."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputTooLarge(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS}）",
                            f"too many members in the archive ({len(infos)}, at most {MAX_MEMBERS})")
    expanded = sum(i.file_size for i in infos)
    if expanded > budget:
        raise InputTooLarge(f"解压后过大（{expanded / 2**20:.0f} MB，{size / 2**20:.1f} MB 的文件上限 "
                            f"{budget / 2**20:.0f} MB；疑似压缩炸弹，请解压后按文件夹导入）",
                            f"expands too far ({expanded / 2**20:.0f} MB; a {size / 2**20:.1f} MB file may "
                            f"expand to {budget / 2**20:.0f} MB: a zip bomb? import the unpacked folder)")


def zip_budget(size: int) -> int:
    """How far a .zip of CSV files of ``size`` bytes may expand."""
    return max(MIN_EXPANDED, MAX_EXPANSION * size)


def check_cell(sheet: str, row: int, column: int, cells: int) -> None:
    """Refuse a cell beyond Excel's grid, or the cell that makes a workbook too large, when it is read."""
    if row > MAX_ROWS or column > MAX_COLUMNS:
        raise InputTooLarge(f"单元格超出 Excel 的范围（第{row}行第{column}列；上限 {MAX_ROWS} 行、{MAX_COLUMNS} 列）",
                            f"a cell beyond Excel's grid (row {row}, column {column}; at most {MAX_ROWS} rows, "
                            f"{MAX_COLUMNS} columns)", sheet, row, f"#{column}")
    if cells > MAX_CELLS:
        raise InputTooLarge(f"工作簿的单元格过多（超过 {MAX_CELLS} 个；大数据请用 CSV 文件夹或 zip 导入）",
                            f"too many cells in the workbook (more than {MAX_CELLS}; import large data as CSV)",
                            sheet, row, f"#{column}")


def check_rectangle(sheet: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose rows × columns (empty cells included) would not fit the cell limit."""
    if rows * columns > MAX_CELLS:
        raise InputTooLarge(f"工作表范围过大（{rows} 行 × {columns} 列；上限 {MAX_CELLS} 个单元格：远处是否有零散的单元格？）",
                            f"the sheet spans too far ({rows} rows × {columns} columns; at most {MAX_CELLS} cells: "
                            "a stray cell far away?)", sheet, rows, f"#{columns}")


def errors_path_issue(path: Path) -> ImportIssue | None:
    """Why the ``--errors`` file cannot be written (a folder, a missing folder), checked before importing."""
    expected = ("可写入的 .csv 文件路径（所在文件夹须已存在）", "a writable .csv file path in an existing folder")
    if path.is_dir():
        return file_issue(str(path), "--errors 指向的是文件夹，不是文件", "--errors names a folder, not a file",
                          *expected, column="--errors")
    if not path.parent.is_dir():
        return file_issue(str(path), f"--errors 文件所在的文件夹“{path.parent}”不存在",
                          f"the folder of the --errors file ('{path.parent}') does not exist", *expected,
                          column="--errors")
    return None
