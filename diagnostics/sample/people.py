"""Students: one *person record* per student at one school, expanded to yearly rows.

A person record holds what stays fixed (school, program, entry year, study
mode, sex, birth date, ID number) and the student's path: at most one event
(休学 for a year and graduate a year later, or leave by 退学 / 转学).  Rows:
one per academic year from entry (or the first year of the horizon) to the
year the student graduates or leaves; a final-year student is 在籍 in the row
of the year they graduate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import catalogue as cat
from .draws import categories, province_rng, school_rng, text
from .idnumber import check_index, format_ids, make_body
from .params import (
    ENTRY_AGE,
    FEMALE_SHARE,
    P_DROP,
    P_SUSPEND,
    P_TRANSFER,
    PROGRAM_YEARS,
    STUDY_MODE_SHARE,
    STUDY_MODE_WEIGHT,
)
from .programs import SchoolPrograms
from .roster import Province

STATUS = ("在籍", "休学", "退学", "转学")  # event codes 1..3 are the status of the event's row
MODES = tuple(STUDY_MODE_WEIGHT)
GENDERS = ("男", "女")


def _birth_dates(rng: np.random.Generator, entry: np.ndarray, level: str) -> np.ndarray:
    """YYYYMMDD birth dates giving the level's entry ages on 1 September of the entry year."""
    ages, probs = ENTRY_AGE[level]
    age = rng.choice(ages, len(entry), p=probs)
    sept = (entry - age - 1 - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 8
    day = sept.astype("datetime64[D]") + 1 + rng.integers(0, 365, len(entry))
    return date_int(day)


def date_int(day: np.ndarray) -> np.ndarray:
    """YYYYMMDD integers from datetime64[D] values."""
    month = day.astype("datetime64[M]")
    y = month.astype("datetime64[Y]").astype(np.int64) + 1970
    m = month.astype(np.int64) % 12 + 1
    d = (day - month.astype("datetime64[D]")).astype(np.int64) + 1
    return y * 10000 + m * 100 + d


def date_text(ymd: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD' strings (objects) from YYYYMMDD integers."""
    codes, uniq = pd.factorize(np.asarray(ymd, np.int64))
    table = np.array([f"{u // 10000}-{u // 100 % 100:02d}-{u % 100:02d}" for u in uniq.tolist()], dtype=object)
    return table[codes]


def _areas(rng: np.random.Generator, n: int, city: int) -> np.ndarray:
    """Area codes: mostly the school's own city, some other cities, a few other provinces."""
    u = rng.random(n)
    prov = np.where(u < 0.95, cat.PROVINCE_CODE, rng.choice(cat.OTHER_PROVINCES, n))
    city_code = np.where(u < 0.7, city + 1, rng.integers(1, len(cat.CITIES) + 1, n))
    city_code = np.where(u < 0.95, city_code, rng.integers(1, 13, n))
    return prov * 10000 + city_code * 100 + rng.integers(2, 29, n)


def _sequence(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """Three-digit sequence numbers, odd for men and even for women."""
    return np.where(female, 2 * rng.integers(1, 500, len(female)), 2 * rng.integers(0, 500, len(female)) + 1)


Columns = dict[str, np.ndarray]


def _school_persons(province: Province, school: int, progs: SchoolPrograms, code_offset: int) -> Columns:
    rng = school_rng(province.seed, school, "persons")
    row = province.schools.iloc[school]
    n_prog, n_entry = progs.intake.shape
    counts = progs.intake.T.ravel()
    program = np.repeat(np.tile(np.arange(n_prog), n_entry), counts)
    entry = np.repeat(np.repeat(progs.entry_years, n_prog), counts)
    per_entry = progs.intake.sum(0)
    serial = np.arange(len(entry)) - np.repeat(np.cumsum(per_entry) - per_entry, per_entry) + 1
    n = len(entry)
    # exactly the expected number of each event in each cohort and grade: steady yearly rates
    per_grade = np.repeat([P_SUSPEND, P_DROP, P_TRANSFER], PROGRAM_YEARS)
    kind = categories(entry, np.tile(np.r_[per_grade, 1 - per_grade.sum()], (n, 1)), rng)
    event = np.where(kind < len(per_grade), kind // PROGRAM_YEARS + 1, 0).astype(np.int8)
    grade = kind % PROGRAM_YEARS
    normal_end = entry + PROGRAM_YEARS - 1
    last = np.select([event == 0, event == 1], [normal_end, normal_end + 1], entry + grade)
    female = rng.random(n) < FEMALE_SHARE[row.category]
    shares = STUDY_MODE_SHARE[row.level]
    cols = {
        "school": np.full(n, school, np.int16), "program": program.astype(np.int16),
        "pcode": (code_offset + program).astype(np.int32), "entry": entry.astype(np.int16),
        "serial": serial.astype(np.int32),
        "first_row": np.maximum(entry, province.first_year).astype(np.int16),
        "last_row": np.minimum(last, province.last_year).astype(np.int16),
        "event": event, "event_year": np.where(event > 0, entry + grade, 0).astype(np.int16),
        "grad_year": np.where(event <= 1, last, -1).astype(np.int16),
        "mode": rng.choice(len(MODES), n, p=[shares[m] for m in MODES]).astype(np.int8),
        "female": female, "area": _areas(rng, n, int(row.city_idx)).astype(np.int32),
        "birth": _birth_dates(rng, entry, row.level).astype(np.int32),
        "seq": _sequence(rng, female).astype(np.int16),
    }
    keep = cols["last_row"] >= cols["first_row"]
    return {k: v[keep] for k, v in cols.items()}


def make_persons(province: Province, programs: list[SchoolPrograms]) -> Columns:
    """Every student record of the province (ordered by school) with unique, valid ID numbers."""
    offsets = np.cumsum([0] + [len(p.codes) for p in programs])
    frames = [_school_persons(province, i, p, int(offsets[i])) for i, p in enumerate(programs)]
    persons = {k: np.concatenate([f[k] for f in frames]) for k in frames[0]}
    del frames
    rng = province_rng(province.seed, 3)
    seq = persons["seq"]
    while True:
        body = make_body(persons["area"], persons["birth"], seq)
        dup = pd.Series(body).duplicated().to_numpy()
        if not dup.any():
            break
        seq[dup] = _sequence(rng, persons["female"][dup])
    persons["body"] = body
    persons["check"] = check_index(body).astype(np.int8)
    persons["birth_col"] = persons["birth"].copy()  # the birth_date column (a fault may make it differ)
    return persons


def student_keys(persons: pd.DataFrame) -> np.ndarray:
    """Student keys: entry year and a five-digit serial within the school and entry year."""
    return (persons["entry"].to_numpy(np.int64) * 100_000 + persons["serial"].to_numpy()).astype(str).astype(object)


def expand_rows(persons: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per yearly row: the person's position in ``persons``, the year and the status code."""
    first = persons["first_row"].to_numpy(np.int64)
    n_rows = persons["last_row"].to_numpy(np.int64) - first + 1
    idx = np.repeat(np.arange(len(persons)), n_rows)
    year = first[idx] + np.arange(len(idx)) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
    event = persons["event"].to_numpy()[idx]
    status = np.where((event > 0) & (year == persons["event_year"].to_numpy()[idx]), event, 0)
    return idx, year, status


def student_rows(persons: pd.DataFrame, school_ids: np.ndarray, codes: np.ndarray,
                 keys: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The ``students`` rows of some persons, and for each row its person's position."""
    idx, year, status = expand_rows(persons)
    ids = format_ids(persons["body"].to_numpy(), persons["check"].to_numpy())
    births = date_text(persons["birth_col"].to_numpy())
    rows = pd.DataFrame({
        "school_id": text(school_ids[persons["school"].to_numpy()[idx]]), "year": year,
        "student_key": text(keys[idx]), "id_number": text(ids[idx]),
        "program_code": text(codes[persons["pcode"].to_numpy()[idx]]),
        "entry_year": persons["entry"].to_numpy()[idx],
        "status": pd.Categorical.from_codes(status, STATUS),
        "study_mode": pd.Categorical.from_codes(persons["mode"].to_numpy()[idx], MODES),
        "gender": pd.Categorical.from_codes(persons["female"].to_numpy().astype(np.int8)[idx], GENDERS),
        "birth_date": text(births[idx]),
    })
    return rows, idx
