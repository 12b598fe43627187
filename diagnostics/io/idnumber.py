"""Resident ID numbers (GB 11643-1999): check, normalise, mask and hash.

Rule (shared/domain.md §6, verified): 6-digit area code + 8-digit birth date +
3-digit sequence (odd = male) + check character.  Weights 7 9 10 5 8 4 2 1 6 3 7
9 10 5 8 4 2 on the first 17 digits; R = sum mod 11; R = 0…10 maps to
1 0 X 9 8 7 6 5 4 3 2.  A 15-digit number becomes 18 digits by inserting "19"
after the area code and appending the check character.

The clear number is used only inside this module's callers while importing;
it is replaced by :func:`keyed_hash` before anything is written anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .coerce import cells_matching, clean_cells, cleaned, code_class

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# Problem codes stored in ``students.id_problem`` (问题学籍 reasons).
BAD_FORMAT = "bad_format"
BAD_CHECK = "bad_check"
BAD_DATE = "bad_birth_date"
SEX_MISMATCH = "sex_mismatch"
BIRTH_MISMATCH = "birth_date_mismatch"
MISSING = "missing"

PROBLEM_ZH = {
    BAD_FORMAT: "身份证号格式错误",
    BAD_CHECK: "身份证号校验码错误",
    BAD_DATE: "身份证号中的出生日期不存在",
    SEX_MISMATCH: "身份证号与性别不一致",
    BIRTH_MISMATCH: "身份证号与出生日期不一致",
    MISSING: "缺少身份证号",
}
PROBLEM_EN = {
    BAD_FORMAT: "ID number is malformed",
    BAD_CHECK: "ID number check character is wrong",
    BAD_DATE: "birth date in the ID number does not exist",
    SEX_MISMATCH: "ID number does not match the given sex",
    BIRTH_MISMATCH: "ID number does not match the given birth date",
    MISSING: "ID number missing",
}

_RE18 = re.compile(r"^[0-9]{17}[0-9X]$")
_RE15 = re.compile(r"^[0-9]{15}$")


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(raw: object) -> str | None:
    """Upper-case, strip spaces; convert a 15-digit number to 18 digits.

    Returns ``None`` when the text cannot be an ID number at all.
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", str(raw)).strip().upper().replace(" ", "")  # full-width digits too
    if text.endswith(".0") and text[:-2].isdigit():  # a number read from Excel
        text = text[:-2]
    if _RE15.match(text):
        body = text[:6] + "19" + text[6:]
        return body + check_char(body)
    if _RE18.match(text):
        return text
    return None


def _birth(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


@dataclass(frozen=True)
class IdCheck:
    """Outcome of checking one ID number (never holds the clear number)."""

    problem: str | None
    gender: str | None  # 男 / 女 derived from the sequence digit
    birth_date: date | None


def check(raw: object, gender: str | None = None, birth_date: date | None = None) -> tuple[str | None, IdCheck]:
    """Check an ID number; return ``(normalised number or None, outcome)``."""
    if raw is None or (isinstance(raw, float) and raw != raw) or str(raw).strip() == "":
        return None, IdCheck(MISSING, None, None)
    number = normalise(raw)
    if number is None:
        return None, IdCheck(BAD_FORMAT, None, None)
    born = _birth(number)
    derived_gender = "男" if int(number[16]) % 2 == 1 else "女"
    if born is None or born.year < 1800 or born > date.today():
        return number, IdCheck(BAD_DATE, derived_gender, None)
    if check_char(number[:17]) != number[17]:
        return number, IdCheck(BAD_CHECK, derived_gender, born)
    if gender and gender != derived_gender:
        return number, IdCheck(SEX_MISMATCH, derived_gender, born)
    if birth_date and birth_date != born:
        return number, IdCheck(BIRTH_MISMATCH, derived_gender, born)
    return number, IdCheck(None, derived_gender, born)


_CHECK_CODES = np.array([ord(c) for c in CHECK_CHARS], dtype=np.uint32)


def _codepoints(values: np.ndarray, width: int) -> np.ndarray:
    """The ``(n, width)`` code points of strings of exactly ``width`` characters."""
    return np.asarray(values, dtype=f"<U{width}").view(np.uint32).reshape(-1, width)


def _decimal(cp: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The number written by the digits ``start:stop`` of each row of code points."""
    return (cp[:, start:stop] - 48) @ (10 ** np.arange(stop - start - 1, -1, -1, dtype=np.int64))


def _calendar(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates (``datetime64[D]``) from numbers, and whether each is a real calendar date."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    last = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
    real = month_ok & (day >= 1) & (day <= last) & (year >= 1)
    first = (np.clip(year, 1, 9999) - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    days = (first + (np.clip(month, 1, 12) - 1).astype("timedelta64[M]")).astype("datetime64[D]")
    return days + (np.clip(day, 1, 31) - 1).astype("timedelta64[D]"), real


def _digits_ok(cp: np.ndarray, last_may_be_x: bool) -> np.ndarray:
    digit = (cp >= 48) & (cp <= 57)
    last = digit[:, -1] | (cp[:, -1] == ord("X")) if last_may_be_x else digit[:, -1]
    return digit[:, :-1].all(axis=1) & last


def _id_text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().upper().replace(" ", "")


def _id_texts(values: np.ndarray) -> np.ndarray:
    """Each cleaned cell as :func:`normalise` sees it before the shape check (``""`` when blank)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [("" if v is None else v.upper().replace(" ", "") if type(v) is str and v.isascii() else _id_text(v))
              for v in values]
    lengths = np.fromiter(map(len, out), np.int64, len(out))
    for at in np.flatnonzero((lengths == 17) | (lengths == 20)):
        if out[at].endswith(".0") and out[at][:-2].isdigit():  # a number read from Excel
            out[at] = out[at][:-2]
    return out


def normalise_many(raw: pd.Series) -> pd.Series:
    """Vectorised :func:`normalise`: 18-character numbers, ``None`` where the text is not one."""
    return _normalised(clean_cells(raw), raw.index)


def _normalised(cells: np.ndarray, index: pd.Index) -> pd.Series:
    """:func:`normalise_many` of cleaned cells."""
    values = _id_texts(cells)
    lengths = np.fromiter(map(len, values), np.int64, len(values))
    out = np.full(len(values), None, dtype=object)
    at18 = np.flatnonzero(lengths == 18)
    ok18 = at18[_digits_ok(_codepoints(values[at18], 18), True)]
    out[ok18] = values[ok18]
    at15 = np.flatnonzero(lengths == 15)
    ok15 = at15[_digits_ok(_codepoints(values[at15], 15), False)]
    if len(ok15):
        body = pd.Series([v[:6] + "19" + v[6:] for v in values[ok15]], dtype=object)
        out[ok15] = (body + check_chars(body)).to_numpy(dtype=object)
    return pd.Series(out, index=index, dtype=object)


def check_chars(first17: pd.Series) -> pd.Series:
    """Vectorised :func:`check_char` for strings of (at least) 17 digits."""
    cp = _codepoints(first17.str[:17].to_numpy(dtype=object), 17).astype(np.int64) - 48
    codes = _CHECK_CODES[(cp @ np.array(WEIGHTS, dtype=np.int64)) % 11]
    return pd.Series(codes.view("<U1"), index=first17.index).astype(object)


def check_many(raw: pd.Series, gender: pd.Series | None = None,
               birth_date: pd.Series | None = None) -> pd.DataFrame:
    """Vectorised :func:`check` over a column.

    Returns a frame with ``number`` (normalised, or None), ``problem``, ``gender`` and
    ``birth_date`` (derived from the number) — the same outcomes as :func:`check` row by row.
    """
    index, n = raw.index, len(raw)
    cells, missing = cleaned(raw)
    number = _normalised(cells, index)
    shaped = number.notna().to_numpy(dtype=bool)
    at = np.flatnonzero(shaped)
    cp = _codepoints(number.to_numpy(dtype=object)[at], 18).astype(np.int64)
    days, real = _calendar(_decimal(cp, 6, 10), _decimal(cp, 10, 12), _decimal(cp, 12, 14))
    date_ok = real & (days >= np.datetime64("1800-01-01")) & (days <= np.datetime64(date.today(), "D"))
    bad_date = np.zeros(n, bool)
    bad_date[at] = ~date_ok
    born = np.full(n, None, dtype=object)
    born[at[date_ok]] = days[date_ok].astype(object)
    derived = np.full(n, None, dtype=object)
    derived[at] = np.where((cp[:, 16] - 48) % 2 == 1, "男", "女")
    bad_check = np.zeros(n, bool)
    bad_check[at] = _CHECK_CODES[((cp[:, :17] - 48) @ np.array(WEIGHTS, dtype=np.int64)) % 11] != cp[:, 17]
    given_g = gender.astype(object).to_numpy() if gender is not None else np.full(n, None, dtype=object)
    has_g = pd.notna(given_g) & (given_g != "")
    given_b = birth_date.astype(object).to_numpy() if birth_date is not None else np.full(n, None, dtype=object)
    has_b = pd.notna(given_b)
    sex_bad = shaped & has_g & (given_g != derived)
    birth_bad = shaped & has_b & ~bad_date & (given_b != born)
    problem = np.select(
        [missing, ~shaped, bad_date, bad_check, sex_bad, birth_bad],
        [MISSING, BAD_FORMAT, BAD_DATE, BAD_CHECK, SEX_MISMATCH, BIRTH_MISMATCH], default="")
    return pd.DataFrame({
        "number": number.where(~missing, None),
        "problem": pd.Series(problem, index=index, dtype=object).replace("", None),
        "gender": pd.Series(derived, index=index, dtype=object),
        "birth_date": pd.Series(born, index=index, dtype=object),
    }, index=index)


# ---------------------------------------------------------------- the one detector of ID numbers in text

# 15 or 18 digits (the last may be X), with at most one space, hyphen or dot between any two of them,
# not inside a longer run of digits: "110105194912310021", "1101 0519 4912 3100 2X", "ID110105-…".
# Fifteen digits followed by a Latin letter are the head of a longer code, not an old ID number: a
# unified social credit code (统一社会信用代码, 18 characters, letters allowed after the digits, e.g.
# "913604231006253HA4") has 15 digits in front whenever its organisation code starts with 7 digits, and
# an old number has no check character to tell them apart (such codes were refused as ID numbers).
_SEP = r"[ \-.\u00a0\u3000\u2010-\u2015\u2212]?"
_LETTER = "A-Za-zＡ-Ｚａ-ｚ"
# (``\d`` is any decimal digit, full-width ones too.)
ID_SHAPED = re.compile(rf"(?<![\d])(\d(?:{_SEP}\d){{16}}{_SEP}[\dXxＸｘ]|\d(?:{_SEP}\d){{14}}(?![{_LETTER}]))"
                       rf"(?![\dXxＸｘ])")
_SEP_RANGES = ((0x20, 0x20), (0x2D, 0x2E), (0xA0, 0xA0), (0x2010, 0x2015), (0x2212, 0x2212), (0x3000, 0x3000))
_ID_HINT = re.compile(rf"\d(?:{_SEP}\d){{14}}")  # in every ID-shaped run: finds the few cells worth a closer look


@functools.cache
def _id_hint_re2() -> str:
    """:data:`_ID_HINT` for RE2, whose ``\\d`` is ASCII only: the digits are the code points ``re`` takes."""
    every = "".join(map(chr, range(0x110000)))
    digit = code_class(((m.start(), m.end() - 1) for m in re.finditer(r"\d+", every)), re2=True)
    return f"{digit}(?:{code_class(_SEP_RANGES, re2=True)}?{digit}){{14}}"


_NOT_DIGIT = re.compile(r"[^\dXx]")


def _digits(text: str) -> str:
    """The ASCII digits (and X) of an ID-shaped run."""
    return _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", text)).upper()


def mask_shaped(text: str) -> str:
    """``text`` with every run shaped like an ID number (with or without separators) masked."""
    if not any(ch.isdigit() for ch in text):
        return text
    return ID_SHAPED.sub(lambda m: mask(_digits(m.group(1))), text)


def id_numbers_in(values: pd.Series) -> np.ndarray:
    """Cells of a text column that hold a real ID number (right shape, real birth date, right check
    character; spaces, hyphens and a prefix such as ``ID`` or ``身份证`` do not hide it)."""
    texts = values.to_numpy(dtype=object)
    found = np.zeros(len(texts), bool)
    candidates: list[tuple[int, str]] = []
    for at in np.flatnonzero(cells_matching(texts, _ID_HINT, _id_hint_re2())).tolist():
        candidates += [(at, _digits(m.group(1))) for m in ID_SHAPED.finditer(texts[at])]
    if candidates:
        checked = check_many(pd.Series([c for _, c in candidates], dtype=object))["problem"].isna().to_numpy()
        found[[at for (at, _), real in zip(candidates, checked) if real]] = True
    return found


def is_valid(raw: object) -> bool:
    return check(raw)[1].problem is None


def mask(raw: object) -> str:
    """A display form that hides the birth date and sequence: ``110105********002X``."""
    text = "" if raw is None else str(raw).strip().upper()
    if len(text) >= 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if len(text) > 2:
        return text[0] + "*" * (len(text) - 2) + text[-1]
    return "*" * len(text)


def secret_path() -> Path:
    """Where the hashing secret lives: ``ZHENGAI_SECRET_FILE`` or ``$ZHENGAI_HOME/secret.key``."""
    env = os.environ.get("ZHENGAI_SECRET_FILE")
    if env:
        return Path(env).expanduser()
    from ..store.db import home

    return home() / "secret.key"


def load_secret(create: bool = True) -> bytes:
    """The province-wide HMAC key, created with mode 600 on first use."""
    path = secret_path()
    if path.exists():
        from .secret import read_key

        return read_key(path)  # at least 32 random bytes, else a located error (exit 2)
    if not create:
        raise FileNotFoundError(f"ID-hash secret not found at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
    return key


def keyed_hashes(numbers: list[str], key: bytes) -> list[str]:
    """:func:`keyed_hash` of many numbers, with the HMAC key pads computed once."""
    block = key if len(key) <= 64 else hashlib.sha256(key).digest()
    block = block.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    out = []
    for number in numbers:
        i = inner.copy()
        i.update(number.encode("ascii"))
        o = outer.copy()
        o.update(i.digest())
        out.append(o.hexdigest())
    return out


def keyed_hash(number: str, key: bytes) -> str:
    """HMAC-SHA256 of the normalised number: same person → same hash, irreversible without the key."""
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()
