"""Personal data on import: check ID numbers, then replace them by keyed hashes.

A wrong ID number does not reject the import: the record is kept and marked
as a problem record (问题学籍, ``id_problem``) for the warning engine.  Only a
column that does not hold ID numbers at all (most cells not even shaped like
one: a mixed-up column) is a shape error.  The clear number leaves this
module only as an HMAC hash; errors show it masked.
"""

from __future__ import annotations

import pandas as pd

from .errors import ImportIssue
from .idnumber import BAD_FORMAT, MISSING, check, keyed_hash, load_secret, mask
from .validate import Parsed

NOT_ID_SHARE = 0.5  # above this share of malformed cells the column is not an ID column


def protect_students(parsed: Parsed, issues: list[ImportIssue]) -> None:
    """Replace ``id_number`` by ``id_hash``/``id_problem`` in place; fill gender/birth_date."""
    frame = parsed.frame
    if "id_number" not in frame:
        return
    key: bytes | None = None
    hashes: list[str | None] = []
    problems: list[str | None] = []
    genders = frame["gender"].tolist() if "gender" in frame else [None] * len(frame)
    births = frame["birth_date"].tolist() if "birth_date" in frame else [None] * len(frame)
    out_gender, out_birth = [], []
    for raw, gender, born in zip(frame["id_number"].tolist(), genders, births):
        gender = gender if isinstance(gender, str) else None
        born = born if born is not None and born == born else None
        number, outcome = check(raw, gender, born)
        problems.append(outcome.problem)
        if number is not None and outcome.problem not in (BAD_FORMAT, MISSING):
            key = key or load_secret()
            hashes.append(keyed_hash(number, key))
        else:
            hashes.append(None)
        out_gender.append(gender or outcome.gender)
        out_birth.append(born or outcome.birth_date)
    present = frame["id_number"].notna().sum()
    malformed = sum(p == BAD_FORMAT for p in problems)
    if present and malformed / present > NOT_ID_SHARE:
        sample = next(v for v, p in zip(frame["id_number"], problems) if p == BAD_FORMAT)
        src = parsed.source
        issues.append(ImportIssue(src.file, src.sheet, None, "身份证号(id_number)", mask(sample),
                                  "18位身份证号（GB 11643）", "18-character resident ID numbers (GB 11643)",
                                  f"该列 {malformed}/{present} 个值不是身份证号，可能放错了列",
                                  f"{malformed} of {present} values are not ID numbers: wrong column?"))
    frame.drop(columns=["id_number"], inplace=True)
    frame["id_hash"] = pd.Series(hashes, index=frame.index, dtype=object)
    frame["id_problem"] = pd.Series(problems, index=frame.index, dtype=object)
    frame["gender"] = pd.Series(out_gender, index=frame.index, dtype=object)
    frame["birth_date"] = pd.Series(out_birth, index=frame.index, dtype=object)
