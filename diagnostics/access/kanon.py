"""What a researcher may see: quasi-identifiers generalised until every combination holds ≥ k units.

Schools: level, category, city, ownership and founding year single out most schools of a province (16 of
the 18 sample schools are unique by them).  :func:`generalise_schools` coarsens them step by step — the
founding year to its decade, the city dropped, the founding decade dropped, the ownership, the category,
the level — until every combination of what is left holds at least ``k`` schools (with fewer than ``k``
schools in all, every attribute is hidden: the codes alone single out nobody).

Students (any frame with ``student_key``): no ``id_hash`` nor ``id_problem``; the birth date becomes the
birth year; the student key becomes a pseudonym keyed per researcher (:func:`student_pseudonym`), so two
researchers cannot join their extracts.  Then school, birth year, gender, program and entry year are
coarsened (program dropped, birth year to five-year bands, entry year dropped, gender dropped, birth year
dropped) until every combination (within a year: one row a student) holds ≥ ``k`` students, or until at
most 2 % of the rows are in smaller ones; rows still in smaller groups are withheld.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import pandas as pd

K = 5
HIDDEN = "*"  # a generalised-away value
SCHOOL_QI = ("level", "category", "city", "ownership", "founded")
STUDENT_QI = ("school_id", "year", "birth_year", "gender", "program_code", "entry_year")  # year: one row a student
SUPPRESS_SHARE = 0.02  # students: withhold up to this share of rows before coarsening further
STUDENT_DROPPED = ("id_number", "id_hash", "id_problem", "birth_date")

Step = tuple[str, Callable[[pd.Series], pd.Series]]


def _decade(s: pd.Series) -> pd.Series:
    years = pd.to_numeric(s, errors="coerce")
    return years.map(lambda y: HIDDEN if y != y else f"{int(y) // 10 * 10}s")


def _band5(s: pd.Series) -> pd.Series:
    years = pd.to_numeric(s, errors="coerce")
    return years.map(lambda y: HIDDEN if y != y else f"{int(y) // 5 * 5}-{int(y) // 5 * 5 + 4}")


def _hide(s: pd.Series) -> pd.Series:
    return pd.Series(HIDDEN, index=s.index, dtype=object)


SCHOOL_STEPS: tuple[Step, ...] = (("founded", _decade), ("city", _hide), ("founded", _hide),
                                  ("ownership", _hide), ("category", _hide), ("level", _hide))
STUDENT_STEPS: tuple[Step, ...] = (("program_code", _hide), ("birth_year", _band5), ("entry_year", _hide),
                                   ("gender", _hide), ("birth_year", _hide))


def smallest_group(frame: pd.DataFrame, columns: list[str], unit: str | None = None) -> int:
    """The size of the smallest combination of ``columns`` (distinct ``unit`` values, else rows)."""
    if frame.empty:
        return 0
    if not columns:
        return int(frame[unit].nunique()) if unit else len(frame)
    keys = frame[columns].astype(str)
    if unit is None:
        return int(keys.value_counts().min())
    return int(keys.assign(_u=frame[unit].astype(str)).drop_duplicates().groupby(columns).size().min())


def _small_share(frame: pd.DataFrame, columns: list[str], k: int) -> float:
    """The share of rows in combinations of fewer than ``k`` rows."""
    if frame.empty:
        return 0.0
    size = frame.groupby([frame[c].astype(str) for c in columns])[columns[0]].transform("size")
    return float((size < k).mean())


def _generalise(frame: pd.DataFrame, qi: tuple[str, ...], steps: tuple[Step, ...], k: int,
                unit: str | None, tolerance: float = 0.0) -> pd.DataFrame:
    columns = [c for c in qi if c in frame.columns]
    out = frame.copy()
    for c in columns:
        out[c] = out[c].astype(object)
    for column, step in steps:
        if smallest_group(out, columns, unit) >= k or (tolerance and _small_share(out, columns, k) <= tolerance):
            break
        if column in out.columns:
            out[column] = step(out[column])
    return out


def generalise_schools(frame: pd.DataFrame, k: int = K) -> pd.DataFrame:
    """``frame`` with the schools' quasi-identifiers coarsened until each combination holds ≥ ``k`` schools."""
    if sum(c in frame.columns for c in SCHOOL_QI) < 2:  # a value's ``level`` alone is its standard level
        return frame
    return _generalise(frame, SCHOOL_QI, SCHOOL_STEPS, k, "school_id" if "school_id" in frame.columns else None)


def student_pseudonym(key: bytes, researcher: str, school_id: str, student_key: str) -> str:
    """A student's pseudonym for one researcher: HMAC over researcher, school and key (not reversible)."""
    msg = f"student:{researcher}:{school_id}:{student_key}".encode()
    return "STU-" + hmac.new(key, msg, hashlib.sha256).hexdigest()[:12].upper()


def generalise_students(frame: pd.DataFrame, key: bytes, researcher: str, k: int = K) -> pd.DataFrame:
    """A student-level frame as a researcher may see it (see the module docstring)."""
    if "student_key" not in frame.columns:
        return frame
    out = frame.copy()
    if "birth_date" in out.columns:
        out["birth_year"] = pd.to_datetime(out["birth_date"], errors="coerce").dt.year.astype("Int64")
    out = out.drop(columns=[c for c in STUDENT_DROPPED if c in out.columns])
    school = out["school_id"].astype(str) if "school_id" in out.columns else pd.Series("", index=out.index)
    out["student_key"] = [student_pseudonym(key, researcher, s, str(v)) for s, v in zip(school, out["student_key"])]
    fixed = [c for c in ("school_id", "year") if c in out.columns]  # never generalised: rows of a school-year
    if fixed and not out.empty:  # of fewer than k students are withheld first, whatever else is coarsened
        out = out[out.groupby(fixed)[fixed[0]].transform("size") >= k]
    out = _generalise(out, STUDENT_QI, STUDENT_STEPS, k, None, SUPPRESS_SHARE)
    columns = [c for c in STUDENT_QI if c in out.columns]
    if out.empty:
        return out
    size = out.groupby([out[c].astype(str) for c in columns])[columns[0]].transform("size")
    return out[size >= k].reset_index(drop=True)


def research_frame(frame: pd.DataFrame, key: bytes, researcher: str, k: int = K) -> pd.DataFrame:
    """Any frame on its way to a researcher: students, then schools' attributes, generalised."""
    return generalise_schools(generalise_students(frame, key, researcher, k), k)


def exposed_smallest_group(frame: pd.DataFrame, columns: list[str], unit: str | None = None) -> float:
    """The smallest combination of ``columns`` that shows anything (not every value hidden); inf if none."""
    if frame.empty or not columns:
        return float("inf")
    shown = (frame[columns].astype(str) != HIDDEN).any(axis=1)
    return float(smallest_group(frame[shown], columns, unit)) if shown.any() else float("inf")
