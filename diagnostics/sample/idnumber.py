"""Resident ID numbers (GB 11643-1999), vectorised, for generating students.

An 18-character number is a 6-digit area code, an 8-digit birth date, a
3-digit sequence (odd for men) and a check character: weights 7 9 10 5 8 4 2 1
6 3 7 9 10 5 8 4 2 on the first 17 digits, R = sum mod 11, and R = 0…10 maps to
1 0 X 9 8 7 6 5 4 3 2 (``shared/domain.md`` §6).  The 17 digits are kept as
one integer, the *body*.
"""

from __future__ import annotations

import numpy as np

CHECK_CHARS = np.array(list("10X98765432"))
_POWERS = 10 ** np.arange(16, -1, -1, dtype=np.int64)


def make_body(area: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """The 17-digit body from area code, birth date (YYYYMMDD) and sequence."""
    return (np.asarray(area, np.int64) * 10**11 + np.asarray(birth, np.int64) * 1000
            + np.asarray(seq, np.int64))


def check_index(body: np.ndarray) -> np.ndarray:
    """R = weighted digit sum mod 11 of each body (index into CHECK_CHARS).

    The weights are 2^17, 2^16, … 2^1 mod 11, so the sum is computed digit by
    digit as ``acc = 2·acc + d`` (mod 11), then doubled.
    """
    body = np.asarray(body, np.int64)
    acc = np.zeros(body.shape, np.int64)
    for p in _POWERS:
        acc = (2 * acc + (body // p) % 10) % 11
    return (2 * acc) % 11


def format_ids(body: np.ndarray, check: np.ndarray) -> np.ndarray:
    """18-character strings from bodies (17 digits: area codes start at 11) and check indices (0…10)."""
    return np.char.add(np.asarray(body, np.int64).astype(str), CHECK_CHARS[np.asarray(check, np.int64)])


def birth_of(body: np.ndarray) -> np.ndarray:
    """The YYYYMMDD birth date written in each body."""
    return (np.asarray(body, np.int64) // 1000) % 10**8


def is_male(body: np.ndarray) -> np.ndarray:
    """True where the sequence digit (17th) is odd."""
    return (np.asarray(body, np.int64) % 2) == 1
