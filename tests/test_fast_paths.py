"""The fast paths of reading and validating give what the plain cell-by-cell code gives.

Each fast path (Arrow for text read from a CSV, parsing each distinct text once, RE2 searches,
skipping a second cleaning of cleaned cells, the row hashes) is compared with a plain reference
on tricky input: Unicode whitespace, zero-width and control characters, NUL, lone surrogates,
missing cells, numbers from Excel as float, empty strings.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from diagnostics.io import coerce
from diagnostics.io.coerce import (
    clean_cells,
    cleaned,
    invisible_mask,
    parse_bool,
    parse_date,
    parse_number,
    parse_text,
    parse_year,
)
from diagnostics.io.idnumber import ID_SHAPED, _digits, check_many, id_numbers_in
from diagnostics.store.content import group_hashes, row_hashes

SPACES = [chr(i) for i in range(0x110000) if chr(i).isspace()]  # what str.strip() removes
NOT_SPACES = ["\u200b", "\ufeff", "\u180e", "\u2060", "\x00", "\x1b", "\xad", "x"]
TRICKY = [" a ", "\u3000b\u3000", "\x1cc\x1f", "\u200bd\u200b", "", "   ", None, "x\x00y", " \x00 ",
          "\xa0", "\u2028e\u2029", "\x85f\x85", "\ufeff", "\t\n", "1,200", " 3 ", "是", "TRUE", "No", "2024-01-02",
          "2024年3月4日", "20240506", "1 2", "-0", "1e3", "9007199254740993", "18446744073709551615", "-1", "abc",
          "1.5", "0.0", " 1.0 "]


def _old_clean(col: pd.Series | np.ndarray) -> np.ndarray:
    """The plain cleaning: every cell stripped in Python."""
    values = np.array(col, dtype=object, copy=True)
    values[pd.isna(values)] = None
    values[:] = [(v.strip() or None) if type(v) is str else v for v in values]
    return values


def _same(a: np.ndarray, b: np.ndarray) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert type(x) is type(y) and (x == y or (x is None and y is None)), (x, y)


def _texts_with_spaces() -> list[str | None]:
    cells: list[str | None] = [s + "t" + s for s in SPACES] + [s * 3 for s in SPACES]
    cells += [n + "t" + n for n in NOT_SPACES] + [SPACES[0] + n + SPACES[-1] for n in NOT_SPACES]
    return cells + TRICKY


def test_arrow_cleaning_strips_exactly_what_str_strip_strips():
    cells = _texts_with_spaces()
    arrow = pd.Series(cells, dtype="str")
    assert isinstance(arrow.array, pd.arrays.ArrowStringArray)  # the CSV reader's dtype: the fast path
    values, blank = cleaned(arrow)
    _same(values, _old_clean(pd.Series(cells, dtype=object)))
    assert blank.tolist() == [v is None for v in values]
    _same(clean_cells(arrow), values)


def test_cleaning_other_cells_as_given():
    cells = [510201.0, 1.5, True, 0, dt.datetime(2024, 1, 2, 3, 4), dt.date(2024, 1, 2), float("nan"), pd.NA, None,
             " x ", "  "]
    for col in (pd.Series(cells, dtype=object), np.array(cells, dtype=object)):
        values, blank = cleaned(col)
        _same(values, _old_clean(col))
        assert blank.tolist() == [v is None for v in values]


def test_empty_and_all_missing_columns():
    for col in (pd.Series([], dtype="str"), pd.Series([None, None], dtype="str"), pd.Series([], dtype=object)):
        values, blank = cleaned(col)
        _same(values, _old_clean(col))
        assert blank.tolist() == [True] * len(col)


PARSERS = [lambda c, clean=False: parse_number(c, integer=False, clean=clean),
           lambda c, clean=False: parse_number(c, integer=True, clean=clean),
           lambda c, clean=False: parse_year(c, clean=clean), parse_bool, parse_date, parse_text]
EXCEL = [510201.0, 1.5, True, False, 1, -0.0, dt.datetime(2024, 1, 2), dt.date(2023, 5, 6), float("nan"), None]


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("cells", [_texts_with_spaces(), TRICKY + EXCEL, [None, None], [], ["1", "2", "1"]])
def test_parsers_same_on_every_path(parse, cells):
    """Arrow text, object cells and already-cleaned cells (``clean=True``) parse alike."""
    plain = pd.Series(cells, dtype=object)
    expected, expected_bad = parse(plain)
    paths = [(plain, False), (pd.Series(clean_cells(plain), dtype=object), True)]
    if all(v is None or type(v) is str for v in cells):
        paths.append((pd.Series(cells, dtype="str"), False))
    for col, clean in paths:
        out, bad = parse(col, clean=clean)
        pd.testing.assert_series_equal(out, expected, check_exact=True)
        assert bad.tolist() == expected_bad.tolist()
        if out.dtype == object:
            assert [type(v) for v in out] == [type(v) for v in expected]


@pytest.mark.parametrize("cells", [
    ["1", "2", None, "1", "3.5", "x", "1"],
    ["9007199254740993", "9007199254740993", None],
    ["18446744073709551615", "-1", "5", "-1"],
    ["18446744073709551616", "1", "1"],
    ["-9223372036854775809", "7", None, "7"],
    ["1e400", "-1e400", "nan", "inf", "1"],
    ["0", "-0", "0.0", "-0.0", "0"],
])
def test_numbers_parsed_once_per_text_as_to_numeric_parses(cells):
    values, blank = cleaned(pd.Series(cells, dtype=object))
    expected = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float).to_numpy()
    got = coerce._numbers(values, blank)
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.signbit(got).tolist() == np.signbit(expected).tolist()


def _old_invisible(values: pd.Series, key: bool) -> np.ndarray:
    return np.array([type(v) is str and any(coerce._INVISIBLE.match(ch) and (key or ch not in "\t\n\r") for ch in v)
                     for v in values], bool)


INVISIBLE_CELLS = ["ok", "a\tb", "a\nb", "a\rb", "S1\u200b", "\ufeffx", "x\x00", "x\x1c", "\x7f", "\u202e", "\ud800",
                   "a\ud800\u200b", "\U000e0001", "\U0010fffd", "\u00ad", None, 1.5, "普通文字", "\u3000", ""]


@pytest.mark.parametrize("key", [True, False])
def test_invisible_characters_found_as_cell_by_cell(key):
    values = pd.Series(INVISIBLE_CELLS, dtype=object)
    assert invisible_mask(values, key).tolist() == _old_invisible(values, key).tolist()
    for cell in INVISIBLE_CELLS[:-6]:  # one at a time too: the cells without a lone surrogate go through Arrow
        single = pd.Series([cell], dtype=object)
        assert invisible_mask(single, key).tolist() == _old_invisible(single, key).tolist()


def test_every_invisible_code_point_is_found():
    every = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    values = pd.Series(every, dtype=object)
    for key in (True, False):
        assert invisible_mask(values, key).tolist() == _old_invisible(values, key).tolist()


def _old_id_numbers_in(values: pd.Series) -> np.ndarray:
    texts = values.to_numpy(dtype=object)
    found = np.zeros(len(texts), bool)
    candidates = [(at, _digits(m.group(1))) for at, v in enumerate(texts) if type(v) is str and len(v) >= 15
                  for m in ID_SHAPED.finditer(v)]
    if candidates:
        checked = check_many(pd.Series([c for _, c in candidates], dtype=object))["problem"].isna().to_numpy()
        found[[at for (at, _), real in zip(candidates, checked) if real]] = True
    return found


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


ID = "11010519491231002X"
ID_CELLS = [ID, f"身份证{ID}", f"ID:{ID[:6]} {ID[6:14]} {ID[14:]}", "-".join([ID[:6], ID[6:14], ID[14:]]),
            _fullwidth(ID), ID.lower(), "440524188001010014", "440524880101001", "1" + ID, ID + "1",
            "12345678901234567890", "2023510201000123", "学号2023510201000123", ID[:-1], None, 4.40524188001010014e17,
            "\ud800" + ID, "a\nb", "", "\u0661" * 15, ID.replace("1", "\u0661"), "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5"]


def test_id_numbers_found_as_cell_by_cell():
    values = pd.Series(ID_CELLS, dtype=object)
    assert id_numbers_in(values).tolist() == _old_id_numbers_in(values).tolist()
    assert id_numbers_in(values)[:5].all()
    clean = pd.Series([c for c in ID_CELLS if not (isinstance(c, str) and "\ud800" in c)], dtype=object)
    assert id_numbers_in(clean).tolist() == _old_id_numbers_in(clean).tolist()


def test_id_hint_digits_are_the_digits_of_re():
    """RE2's ``\\d`` is ASCII only; the hint spells out every code point Python's ``\\d`` takes."""
    from diagnostics.io.idnumber import _id_hint_re2

    digits = {i for i in range(0x110000) if re.match(r"\d", chr(i))}
    ranges = re.findall(r"\\x\{([0-9a-f]+)\}-\\x\{([0-9a-f]+)\}", _id_hint_re2().split("]")[0])
    assert {i for a, b in ranges for i in range(int(a, 16), int(b, 16) + 1)} == digits


# ---------------------------------------------------------------- content hashes: bit-identical to rows-v1


def _hash_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "school_id": pd.Series(["S1", "S1", "S2", "S2", "S1", "S3", "S3", "S2", "S1", "S1", "S2", "S3"], dtype=object),
        "year": pd.Series([2023, 2023, 2023, 2024, 2024, 2023, 2023, 2024, 2023, 2024, 2023, 2023], dtype="Int64"),
        "name": pd.Series(["甲", None, " 乙", "", "a\x1fb", "\u3000", "x\ny", "名", None, "z", "é", "ok"], dtype=object),
        "count": pd.Series([1, None, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2**53], dtype="Int64"),
        "share": pd.Series([0.0, -0.0, 0.1, None, 1e16, 1.5, 2.0, float("nan"), -0.0, 0.0, 3.25, 1e-7], dtype="Float64"),
        "flag": pd.Series([True, False, None, True, True, False, None, False, True, True, False, True], dtype="boolean"),
        "born": pd.Series([dt.date(2005, 1, 2), None, dt.date(2004, 12, 31)] * 4, dtype=object),
    })


def _old_row_hashes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The rows-v1 row hash as first written: each cell's text made in Python."""
    import hashlib

    texts = []
    for c in columns:
        if c not in frame:
            texts.append([""] * len(frame))
            continue
        values = frame[c].to_numpy(dtype=object, copy=True)
        values[pd.isna(values)] = ""
        seen: dict[object, str] = {}
        texts.append([v if type(v) is str else seen[v] if v in seen else seen.setdefault(v, str(v)) for v in values])
    digests = b"".join(hashlib.blake2b("\x1f".join(row).encode(), digest_size=16).digest() for row in zip(*texts))
    return np.frombuffer(digests, dtype="<u8").reshape(-1, 2)


def test_row_hashes_as_first_written():
    frame = _hash_frame()
    columns = list(frame.columns) + ["absent"]
    assert np.array_equal(row_hashes(frame, columns), _old_row_hashes(frame, columns))
    shuffled = frame.sample(frac=1, random_state=3).reset_index(drop=True)  # -0.0 and 0.0 meet in another order
    assert np.array_equal(row_hashes(shuffled, columns), _old_row_hashes(shuffled, columns))
    assert np.array_equal(row_hashes(frame.iloc[:0], columns), _old_row_hashes(frame.iloc[:0], columns).reshape(0, 2))


def test_group_hashes_pinned():
    """Stored hashes are compared with later imports: these values must never change (rows-v1)."""
    assert group_hashes(_hash_frame(), list(_hash_frame().columns)) == {
        ("S1", 2023): "97544826625c5d7673701699ff7f54c0ab92c92024894784eca0218e4fe85c6d",
        ("S2", 2023): "08b1d51b755570e2c9d31642dc3521e3097f0437ebe722ea721da0c49346318e",
        ("S2", 2024): "d19ac3dfb9d69fbdf529cd8dc5c70e777f9a5cd61d979ee07a6cdb537321ba4e",
        ("S1", 2024): "8d6e6f335714c9d75546eb4e20f3e3f0a2ba78f15d0009803d2a92a23fa68010",
        ("S3", 2023): "4bf0c3f2f14f2b5d7c6d09af4f4a80864304d6a79df9dde6d1807cc1f02b3513",
    }


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_records_are_parsed_from_the_bytes_as_pythons_csv_reads_them(monkeypatch, encoding, newline):
    """pandas is given the file's bytes and decodes them itself: handed a text stream, pandas 3 turns it back
    into bytes through ``_BytesIOWrapper``, whose carried-over bytes grow with every read of multi-byte text
    (a province's 690 MB students file took 95 s to read instead of 9 s).  The records are those Python's
    csv module reads from the decoded text."""
    import csv
    import hashlib
    import io

    import pandas.io.common

    from diagnostics.io.sources import _fast_chunks, csv_source

    def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the CSV was handed to pandas as text and turned back into bytes")

    monkeypatch.setattr(pandas.io.common, "_BytesIOWrapper", wrapped)
    lines = ["学号,姓名,备注", '2023001,张三,"两行\n备注"', "2023002,李四,", '2023003, 王五 ,"引""号"',
             "2023004,\u3000赵六\u3000,末尾"] * 700
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    issues: list = []
    source = csv_source("students.csv", lambda: io.BytesIO(data), issues, hashlib.sha256())
    assert source is not None and source.encoding == encoding and not issues
    got = pd.concat(list(_fast_chunks(source)), ignore_index=True)
    expected = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    assert got.to_numpy(dtype=object).tolist() == expected
