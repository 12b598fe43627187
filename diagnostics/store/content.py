"""Content hashes of school-year tables, computed chunk by chunk.

A school-year's table is a set of rows (keys are unique), so its hash must not
depend on the order rows arrive in: each row's canonical text is hashed
(BLAKE2b, 128 bit) and the row hashes of a school-year are summed in two 64-bit
lanes.  The same rows give the same hash whatever the chunking, file order or
input format; any changed, added or dropped row changes it.
"""

from __future__ import annotations

import hashlib
from functools import partial

import numpy as np
import pandas as pd

HASH_VERSION = "rows-v1"
SEP = "\x1f"
_TEXT_TYPES = {str, type(None)}


def canonical_texts(frame: pd.DataFrame, columns: list[str]) -> list[list[str] | np.ndarray]:
    """Each column as text (missing = ``""``): ints, floats, dates and booleans as Python prints them.

    Equal values are printed once, as their first occurrence prints (``-0.0`` after ``0.0`` is ``0.0``).
    """
    out: list[list[str] | np.ndarray] = []
    for c in columns:
        if c not in frame:
            out.append([""] * len(frame))
            continue
        values = frame[c].to_numpy(dtype=object, copy=True)
        if set(map(type, values)) <= _TEXT_TYPES:  # text: only the missing cells change
            values[np.equal(values, None)] = ""
            out.append(values)
            continue
        codes, distinct = pd.factorize(values)  # missing (None, NaN, NA) → -1
        out.append(np.array([str(v) for v in distinct] + [""], dtype=object)[codes])
    return out


def row_hashes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """An ``(n, 2)`` uint64 array: the 128-bit BLAKE2b hash of each row's canonical text."""
    if len(frame) == 0:
        return np.zeros((0, 2), dtype=np.uint64)
    blake = partial(hashlib.blake2b, digest_size=16)
    rows = map(str.encode, map(SEP.join, zip(*canonical_texts(frame, columns))))
    digests = b"".join([blake(row).digest() for row in rows])
    return np.frombuffer(digests, dtype="<u8").reshape(-1, 2)


class GroupHasher:
    """Accumulates the content hash of each (school_id, year) of one table over chunks."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self._sums: dict[tuple[str, int], np.ndarray] = {}
        self._counts: dict[tuple[str, int], int] = {}

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame) == 0:
            return
        hashes = row_hashes(frame, self.columns)
        codes, groups = _groups(frame["school_id"].astype(str), frame["year"].astype("int64"))
        sums = np.zeros((len(groups), 2), dtype=np.uint64)
        np.add.at(sums, codes, hashes)  # wraps modulo 2**64: an order-free sum
        counts = np.bincount(codes, minlength=len(groups))
        for i, (school, year) in enumerate(groups):
            k = (str(school), int(year))
            if k in self._sums:
                self._sums[k] += sums[i]
            else:
                self._sums[k] = sums[i].copy()
            self._counts[k] = self._counts.get(k, 0) + int(counts[i])

    def hashes(self) -> dict[tuple[str, int], str]:
        head = f"{HASH_VERSION}{SEP}{SEP.join(self.columns)}"
        return {k: hashlib.sha256(f"{head}|{self._counts[k]}|{s[0]}|{s[1]}".encode()).hexdigest()
                for k, s in self._sums.items()}


def _groups(school: pd.Series, year: pd.Series) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Each row's (school, year) group number, and the groups in order of first appearance."""
    school_codes, schools = pd.factorize(school)
    year_codes, years = pd.factorize(year)
    codes, pairs = pd.factorize(school_codes.astype(np.int64) * len(years) + year_codes)
    return codes, [(schools[p // len(years)], years[p % len(years)]) for p in pairs.tolist()]


def group_hashes(frame: pd.DataFrame, columns: list[str]) -> dict[tuple[str, int], str]:
    """The content hash of each school-year of a whole table."""
    hasher = GroupHasher(columns)
    hasher.add(frame)
    return hasher.hashes()
