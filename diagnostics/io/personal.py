"""Personal data on import: check ID numbers, then replace them by keyed hashes.

A wrong ID number does not reject the import: the record is kept and marked
as a problem record (问题学籍, ``id_problem``) for the warning engine.  Only a
column that does not hold ID numbers at all (most cells not even shaped like
one: a mixed-up column) is a shape error.  The clear number leaves this
module only as an HMAC hash; errors show it masked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ImportIssue
from .idnumber import BAD_FORMAT, MISSING, check_many, keyed_hashes, load_secret, mask
from .read import Sheet
from .validate import Parsed

NOT_ID_SHARE = 0.5  # above this share of malformed cells the column is not an ID column


def hash_numbers(numbers: pd.Series, key: bytes) -> pd.Series:
    """:func:`idnumber.keyed_hash` of each normalised number (each distinct one once); None stays None."""
    distinct = pd.unique(numbers.dropna().to_numpy(dtype=object))
    lookup = dict(zip(distinct, keyed_hashes(list(distinct), key)))
    return numbers.map(lookup).astype(object).where(numbers.notna(), None)


@dataclass
class IdTally:
    """How many ID cells were filled and malformed, over all pieces of a students table."""

    present: int = 0
    malformed: int = 0
    first: tuple[Sheet, int, object] | None = None  # where the first malformed cell is, and its value

    def issue(self) -> ImportIssue | None:
        """A shape error when the column does not hold ID numbers at all (a mixed-up column)."""
        if not self.present or self.malformed / self.present <= NOT_ID_SHARE or self.first is None:
            return None
        sheet, pos, value = self.first
        return ImportIssue(sheet.file, sheet.sheet, int(sheet.rows.iloc[pos]), "身份证号(id_number)", mask(value),
                           "18位身份证号（GB 11643）", "18-character resident ID numbers (GB 11643)",
                           f"该列 {self.malformed}/{self.present} 个值不是身份证号，可能放错了列",
                           f"{self.malformed} of {self.present} values are not ID numbers: wrong column?")


def protect_students(parsed: Parsed, issues: list[ImportIssue], tally: IdTally | None = None) -> None:
    """Replace ``id_number`` by ``id_hash``/``id_problem`` in place; fill gender/birth_date.

    With ``tally`` (a table read in pieces) the wrong-column check is left to the caller.
    """
    frame = parsed.frame
    if "id_number" not in frame:
        return
    given_gender = frame["gender"] if "gender" in frame else None
    given_birth = frame["birth_date"] if "birth_date" in frame else None
    checked = check_many(frame["id_number"], given_gender, given_birth)
    problems = checked["problem"]
    hashable = checked["number"].where(~problems.isin([BAD_FORMAT, MISSING]), None)
    hashes = hash_numbers(hashable, load_secret()) if hashable.notna().any() else hashable
    malformed = np.flatnonzero((problems == BAD_FORMAT).to_numpy(dtype=bool))
    own = tally is None
    tally = tally or IdTally()
    tally.present += int((problems != MISSING).sum())
    tally.malformed += len(malformed)
    if tally.first is None and len(malformed):
        tally.first = (parsed.source, int(malformed[0]), frame["id_number"].iloc[malformed[0]])
    if own and (issue := tally.issue()):
        issues.append(issue)
    del frame["id_number"]
    frame["id_hash"] = hashes
    frame["id_problem"] = problems
    gender = given_gender.astype(object) if given_gender is not None else None
    birth = given_birth.astype(object) if given_birth is not None else None
    frame["gender"] = checked["gender"] if gender is None else gender.where(gender.notna(), checked["gender"])
    frame["birth_date"] = checked["birth_date"] if birth is None else birth.where(birth.notna(), checked["birth_date"])
