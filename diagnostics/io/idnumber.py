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

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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

_RE18 = re.compile(r"^\d{17}[\dX]$")
_RE15 = re.compile(r"^\d{15}$")


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
    text = str(raw).strip().upper().replace(" ", "")
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
        return bytes.fromhex(path.read_text().strip())
    if not create:
        raise FileNotFoundError(f"ID-hash secret not found at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
    return key


def keyed_hash(number: str, key: bytes) -> str:
    """HMAC-SHA256 of the normalised number: same person → same hash, irreversible without the key."""
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()
