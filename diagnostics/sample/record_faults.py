"""Faults planted in the records themselves, each written to the answer key."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import BY_NAME
from .draws import digits_towards, province_rng, round_sig
from .faults import Faults
from .idnumber import CHECK_CHARS, birth_of, check_index, is_male, make_body
from .people import Columns, date_int
from .programs import SchoolPrograms
from .roster import Province

FACILITY_MONEY = ("equipment_value", "new_equipment_value", "enterprise_equipment_value")
FINANCE_MONEY = tuple(f.name for f in BY_NAME["finance"].fields if f.unit == "元")


def _open_program(rng: np.random.Generator, progs: SchoolPrograms, year: int) -> int:
    w = np.where(progs.open_in(year), progs.weights, 0.0)
    return int(rng.choice(len(w), p=w / w.sum()))


def plant_person_faults(province: Province, persons: Columns, faults: Faults,
                        programs: list[SchoolPrograms], offsets: np.ndarray) -> pd.DataFrame:
    """Add duplicate registrations and spoil some ID numbers (in place); returns the person table.

    ``persons`` is ordered by school; a duplicate goes at the end of its new school's records.
    """
    rng = province_rng(province.seed, 5)
    sch = province.schools
    bounds = np.searchsorted(persons["school"], np.arange(len(sch) + 1))
    entry, serial, first, last = persons["entry"], persons["serial"], persons["first_row"], persons["last_row"]
    event, event_year = persons["event"], persons["event_year"]
    taken: set[int] = set()

    def key(p: int) -> str:
        return f"{entry[p]}{serial[p]:05d}"

    def choose(s: int, year: int, enrolled: bool) -> int:
        """A student of school ``s`` in ``year`` (a recent entrant when ``enrolled``, as a duplicate is)."""
        here = np.arange(bounds[s], bounds[s + 1])
        ok = (first[here] <= year) & (last[here] >= year)
        if enrolled:
            ok &= ~((event[here] > 0) & (event_year[here] == year))
            ok = ok & (entry[here] >= year - 1) if (ok & (entry[here] >= year - 1)).any() else ok
        p = int(rng.choice(np.setdiff1d(here[ok], list(taken))))
        taken.add(p)
        return p

    added: list[tuple[int, dict]] = []
    next_serial: dict[tuple[int, int], int] = {}
    for a, b, t in faults.duplicates:
        year = province.first_year + t
        p = choose(a, year, True)
        prog = _open_program(rng, programs[b], year)
        in_b = slice(bounds[b], bounds[b + 1])
        new_serial = next_serial.get((b, year), int(serial[in_b][entry[in_b] == year].max(initial=0)) + 1)
        next_serial[(b, year)] = new_serial + 1
        leaves = year < province.last_year
        row = {k: v[p] for k, v in persons.items()}
        row.update(school=b, program=prog, pcode=offsets[b] + prog, entry=year, serial=new_serial, first_row=year,
                   last_row=year + leaves, event=2 if leaves else 0, event_year=year + 1 if leaves else 0,
                   grad_year=-1 if leaves else year + 2, mode=0)
        added.append((int(bounds[b + 1]), row))
        faults.add_key("duplicate_registration", sch["school_id"].iat[b], year, "students",
                       record=f"{year}{new_serial:05d}",
                       detail=f"ID number also 在籍 at {sch['school_id'].iat[a]} {sch['name'].iat[a]} (student "
                              f"{key(p)}) and at {sch['school_id'].iat[b]} {sch['name'].iat[b]} in {year}")
    for s, t, kind in faults.bad_ids:
        p = choose(s, province.first_year + t, False)
        detail = _spoil(rng, kind, p, persons["body"], persons["check"], persons["birth_col"],
                        bool(persons["female"][p]))
        for year in range(int(first[p]), int(last[p]) + 1):
            faults.add_key("bad_id_number", sch["school_id"].iat[s], year, "students", record=key(p), detail=detail)
    if added:
        where = [pos for pos, _ in added]
        for k in persons:
            persons[k] = np.insert(persons[k], where, [row[k] for _, row in added])
    return pd.DataFrame(persons, copy=False)


def _spoil(rng: np.random.Generator, kind: str, p: int, body: np.ndarray, check: np.ndarray,
           birth_col: np.ndarray, female: bool) -> str:
    """Spoil person ``p``'s ID number (or birth date column) in place; returns the detail text."""
    if kind == "check":
        right = CHECK_CHARS[check[p]]
        check[p] = (check[p] + rng.integers(1, 11)) % 11
        return f"check character {CHECK_CHARS[check[p]]} where GB 11643 gives {right}"
    if kind == "birth_date":
        day = np.array([str(birth_col[p])[:4] + "-" + str(birth_col[p])[4:6] + "-" + str(birth_col[p])[6:]],
                       "datetime64[D]")
        birth_col[p] = date_int(day + int(rng.integers(30, 400)) * int(rng.choice([-1, 1])))[0]
        return f"ID number gives birth date {birth_of(body[p:p + 1])[0]} but birth_date is {birth_col[p]}"
    area, birth, seq = body[p] // 10**11, birth_of(body[p:p + 1])[0], body[p] % 1000
    if kind == "date":
        year = birth // 10000
        birth = year * 10000 + int(rng.choice([230, 1315, 431, 631, 1132]))
        detail = f"impossible birth date {birth} in the ID number"
    else:
        steps = (1, -1, 3, -3, 5, -5)
        seq = next(q for q in (seq + d for d in steps) if 0 < q < 1000 and not (body == make_body(area, birth, q)).any())
        detail = (f"sequence digit says {'男' if is_male(np.array([seq]))[0] else '女'} "
                  f"but gender is {'女' if female else '男'}")
    body[p] = make_body(area, birth, seq)
    check[p] = check_index(body[p:p + 1])[0]
    return detail


def balanced_digits(rng: np.random.Generator, low: int, n: int) -> np.ndarray:
    """``n`` first digits spread evenly over ``low``…9, in random order."""
    return rng.permutation(np.resize(np.arange(low, 10), n)).astype(float)


#: Invented freely by a fabricating school; the other money figures follow from them.
_INVENTED = {"finance": ("tuition_income", "aid_received", "horizontal_research_income", "vertical_research_income",
                         "tech_transaction_income", "training_income", "enterprise_practice_funds"),
             "facilities": ("enterprise_equipment_value",)}
_INCOME = ("state_appropriation", "tuition_income", "horizontal_research_income", "vertical_research_income",
           "tech_transaction_income", "training_income")


def fabricate(rng: np.random.Generator, mode: str, facilities: pd.DataFrame, finance: pd.DataFrame,
              partners: pd.DataFrame) -> None:
    """Replace a school's money figures by invented round numbers (in place).

    Some figures are invented near their true size with first digits spread
    evenly over 5–9 (``high_digits``) or over 1–9 (``uniform``), growing about
    one percent a year; totals are made up from them as round numbers;
    state appropriation and equipment value (they feed indicators) are only
    rounded to two significant digits.  Every partner gets a donation of round
    thousands to hundred-thousands, their first digits completing the pattern.
    """
    low = 5 if mode == "high_digits" else 1
    t = np.arange(len(finance))
    tables = {"finance": finance, "facilities": facilities}
    fields = [(tables[k], name) for k, names in _INVENTED.items() for name in names]
    for (df, name), digit in zip(fields, balanced_digits(rng, low, len(fields))):
        v = df[name].to_numpy(float)
        if v[0] > 0:
            options = (digit + rng.uniform(0, 0.3)) * 10.0 ** (np.floor(np.log10(v[0])) + np.array([-1, 0]))
            base = options[np.argmin(np.abs(np.log(options / v[0])))]
            df[name] = round_sig(base * (1 + rng.uniform(0.005, 0.015)) ** t, 2)
    full_time = finance["state_appropriation"] / finance["per_student_appropriation"]
    for df, name in ((finance, "state_appropriation"), (facilities, "equipment_value")):
        df[name] = round_sig(df[name].to_numpy(float), 2)
    finance["per_student_appropriation"] = np.round(finance["state_appropriation"] / full_time)
    derived = (("finance", "total_income", finance[list(_INCOME)].sum(axis=1), (1.05, 1.12)),
               ("finance", "total_expenditure", "total_income", (0.95, 0.99)),
               ("finance", "teaching_expenditure", "total_expenditure", (0.25, 0.35)),
               ("finance", "budget", "total_income", (1.0, 1.04)),
               ("finance", "budget_executed", "budget", (0.9, 0.98)),
               ("finance", "aid_disbursed", "aid_received", (0.93, 0.99)),
               ("facilities", "new_equipment_value", "equipment_value", (0.11, 0.15)))
    for table, name, source, share in derived:
        df = tables[table]
        base = source if isinstance(source, pd.Series) else df[source]
        df[name] = round_sig(base.to_numpy(float) * rng.uniform(*share), 2)
    k = len(partners)  # a fabricating school reports a donation for every partner
    money = np.r_[finance[list(FINANCE_MONEY)].to_numpy().ravel(), facilities[list(FACILITY_MONEY)].to_numpy().ravel()]
    pattern = np.where(np.arange(1, 10) >= low, 1.0, 0.0)
    digit = digits_towards(rng, k, money, pattern / pattern.sum()) + rng.choice([0.0, 0.5], k)
    partners["donated_equipment_value"] = digit * 10.0 ** rng.choice([3, 4, 5], k, p=[0.3, 0.45, 0.25])


def plant_uninsured(rng: np.random.Generator, faults: Faults, school_id: str, year: int, count: int,
                    internships: pd.DataFrame) -> None:
    """Mark ``count`` internships of the year as uninsured (in place)."""
    rows = internships.index[internships["year"] == year]
    for r in rng.choice(rows, min(count, len(rows)), replace=False):
        internships.at[r, "insured"] = False
        faults.add_key("uninsured_intern", school_id, year, "internships", record=internships.at[r, "student_key"],
                       detail=f"internship at {internships.at[r, 'enterprise_id']} without liability insurance")


def ghost_key(rng: np.random.Generator, persons: pd.DataFrame, keys: np.ndarray, year: int) -> tuple[str, str]:
    """A student key that has no row of the school in ``year``: a student who left earlier, or none at all."""
    left = np.flatnonzero((persons["event"].to_numpy() >= 2) & (persons["last_row"].to_numpy() < year))
    if len(left) and rng.random() < 0.5:
        p = int(rng.choice(left))
        return str(keys[p]), f"student {keys[p]} left in {persons['last_row'].iat[p]}"
    taken = set(keys.tolist())
    key = next(k for k in (f"{year - 2}{n:05d}" for n in rng.integers(90000, 100000, 50)) if k not in taken)
    return key, f"no student {key} at the school"


def plant_ghost(rng: np.random.Generator, faults: Faults, school_id: str, year: int, table: str,
                persons: pd.DataFrame, keys: np.ndarray, progs: SchoolPrograms,
                frame: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Append one ghost record to ``frame`` (graduates or internships) and return it."""
    key, why = ghost_key(rng, persons, keys, year)
    if table == "graduates":
        row = {"program_code": progs.codes[_open_program(rng, progs, year)], "destination": "就业",
               "job_related": True, "monthly_income": 4500, "certificate": True, "competition_award": "无",
               "study_mode": "全日制", "employed_half_year": True}
    else:
        ids = partners.loc[partners["year"] == year, "enterprise_id"].to_numpy()
        row = {"enterprise_id": ids[rng.integers(0, len(ids))], "post": "技术员", "matches_program": True,
               "insured": True, "months": 6.0, "tracked": True, "assessed": True, "kind": "岗位实习",
               "post_employees": 50}
    faults.add_key("ghost_graduate", school_id, year, table, record=key,
                   detail=f"{'graduate' if table == 'graduates' else 'intern'} {key} is not a student of the "
                          f"school in {year}: {why}")
    new = pd.DataFrame([{"school_id": school_id, "year": year, "student_key": key, **row}])
    new = new.astype({c: frame[c].dtype for c in frame.columns})
    return pd.concat([frame, new], ignore_index=True)


def plant_mismatch(rng: np.random.Generator, faults: Faults, school_id: str, year: int, kind: str,
                   t: dict[str, pd.DataFrame]) -> None:
    """Make one total of the school-year not add up (in place)."""
    if kind == "actual_intake":
        df = t["programs"]
        rows = df.index[(df["year"] == year) & (df["actual_intake"] >= 5)]
        r = rng.choice(rows)
        old = int(df.at[r, "actual_intake"])
        df.at[r, "actual_intake"] = old + max(3, round(0.15 * old))
        code = df.at[r, "program_code"]
        faults.add_key("total_mismatch", school_id, year, "programs", unit=code, record=code,
                       detail=f"actual_intake {df.at[r, 'actual_intake']} but {old} first-year students in students")
        return
    if kind == "practice_hours":
        df = t["courses"]
        r = rng.choice(df.index[(df["year"] == year) & (df["course_type"] == "B")])
        df.at[r, "practice_hours"] = df.at[r, "hours"] + int(rng.choice([8, 16, 24, 32]))
        faults.add_key("total_mismatch", school_id, year, "courses", unit=df.at[r, "program_code"],
                       record=df.at[r, "course_code"],
                       detail=f"practice_hours {df.at[r, 'practice_hours']} > hours {df.at[r, 'hours']}")
        return
    table, part, whole, factor = {
        "aid_disbursed": ("finance", "aid_disbursed", "aid_received", (1.1, 1.35)),
        "budget_executed": ("finance", "budget_executed", "budget", (1.3, 1.6)),
        "new_books": ("facilities", "new_books", "books", (1.1, 1.5)),
        "new_equipment_value": ("facilities", "new_equipment_value", "equipment_value", (1.1, 1.4)),
    }[kind]
    df = t[table]
    r = df.index[df["year"] == year][0]
    df[part] = df[part].astype(float)
    df.at[r, part] = round(float(df.at[r, whole]) * rng.uniform(*factor))
    limit = f"1.2 × budget ({1.2 * df.at[r, whole]:.0f})" if kind == "budget_executed" else f"{whole} ({df.at[r, whole]:.0f})"
    faults.add_key("total_mismatch", school_id, year, table, detail=f"{part} {df.at[r, part]:.0f} > {limit}")
