"""The sample-province generator: contract format, clean data, and every planted fault.

Indicator values are recomputed here by hand from the raw CSV files (not with
the generator's own code), following ``shared/domain.md`` §4.1.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from diagnostics.contract import BOOL, BY_NAME, CODE, TABLES
from diagnostics.sample import ANSWER_KEY, CLASSES, KEY_COLUMNS, generate
from diagnostics.sample.targets import RATES

ARGS = dict(schools=12, years=5, seed=7, scale=0.5)
KEY = ["school_id", "year"]

# --- GB 11643-1999 check, written from the rule in shared/domain.md §6 -------------------------
GB_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GB_CHECK = "10X98765432"


def gb_check_char(first17: str) -> str:
    return GB_CHECK[sum(int(c) * w for c, w in zip(first17, GB_WEIGHTS)) % 11]


def id_problem(number: str, gender: str, birth: str) -> str | None:
    """Why an ID number is bad (None when it is good), given the gender and birth_date columns."""
    if len(number) != 18 or not number[:17].isdigit() or gb_check_char(number[:17]) != number[17]:
        return "check"
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "date"
    if (int(number[16]) % 2 == 1) != (gender == "男"):
        return "sex"
    if born.isoformat() != birth:
        return "birth_date"
    return None


def test_gb11643_examples_from_the_standard():
    assert gb_check_char("11010519491231002") == "X"
    assert gb_check_char("44052418800101001") == "4"
    assert id_problem("11010519491231002X", "女", "1949-12-31") is None
    assert id_problem("440524188001010014", "男", "1880-01-01") is None
    assert id_problem("440524188001010015", "男", "1880-01-01") == "check"


# --- fixtures ------------------------------------------------------------------------------------
def read(folder) -> dict[str, pd.DataFrame]:
    out = {}
    for path in sorted(folder.glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in df.columns:
            if col in ("year", "entry_year") or col.endswith(("_intake", "_area", "_value", "_hours", "hours")):
                df[col] = pd.to_numeric(df[col], errors="coerce")
        out[path.stem] = df
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    summary = generate(folder, **ARGS)
    return folder, summary, read(folder)


@pytest.fixture(scope="module")
def t(sample):
    return sample[2]


@pytest.fixture(scope="module")
def key(t):
    return t[ANSWER_KEY.removesuffix(".csv")]


def num(df: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(df[col])


def flag(s: pd.Series) -> pd.Series:
    return s.map({"True": True, "False": False})


def faulty(key: pd.DataFrame, cls: str | None = None) -> set[tuple[str, str]]:
    rows = key if cls is None else key[key.fault_class == cls]
    return set(zip(rows.school_id, rows.indicator_id))


# --- indicators by hand --------------------------------------------------------------------------
WEIGHT = {"全日制": 1, "成人脱产": 1, "夜大": 0.3, "函授": 0.1, "留学生": 3, "预科": 1, "进修": 1}


def indicators(t) -> pd.DataFrame:
    st = t["students"][t["students"].status == "在籍"]
    weighted = st.study_mode.map(WEIGHT).groupby([st.school_id, st.year]).sum()
    full_time = st[~st.study_mode.isin(["夜大", "函授"])].groupby(KEY).size()
    te = t["teachers"]
    ft = te[te.employment == "专任"]
    n_ft = ft.groupby(KEY).size()
    n_ext = te[te.employment.isin(["校外兼职", "校外兼课"])].groupby(KEY).size().reindex(n_ft.index, fill_value=0)
    fac, fin = t["facilities"].set_index(KEY), t["finance"].set_index(KEY)
    g = t["graduates"]
    rel = g[g.job_related != ""]
    prog = t["programs"].groupby(KEY)[["actual_intake", "planned_intake"]].sum()
    sv = t["surveys"].assign(r=num(t["surveys"], "respondents"), s=num(t["surveys"], "satisfied"))
    sat = sv.groupby([*KEY, "survey"])[["s", "r"]].sum()
    sat = (sat.s / sat.r).unstack("survey")

    def share(df, mask):
        return mask.groupby([df.school_id, df.year]).mean()

    return pd.DataFrame({
        "student_teacher_ratio": weighted / (n_ft + 0.5 * n_ext),
        "graduate_degree_teacher_share": share(ft, ft.degree.isin(["博士", "硕士"])),
        "senior_title_teacher_share": share(ft, ft.title.isin(["正高", "副高"])),
        "dual_qualified_share": share(ft, flag(ft.dual_qualified)),
        "teaching_admin_area_per_student": fac.teaching_admin_area / full_time,
        "equipment_value_per_student": fac.equipment_value / weighted,
        "books_per_student": num(fac, "books") / weighted,
        "employment_rate": share(g, g.destination.isin(["就业", "升学", "自主创业", "应征入伍"])),
        "job_relatedness_rate": share(rel, flag(rel.job_related)),
        "certificate_rate": share(g, flag(g.certificate)),
        "per_student_appropriation": num(fin, "per_student_appropriation"),
        "enrolment_fulfilment_rate": prog.actual_intake / prog.planned_intake,
        "student_satisfaction": sat["学生"], "graduate_satisfaction": sat["毕业生"],
        "employer_satisfaction": sat["用人单位"],
    })


@pytest.fixture(scope="module")
def values(t):
    return indicators(t)


# --- format --------------------------------------------------------------------------------------
def test_deterministic_for_a_seed(sample, tmp_path):
    folder = sample[0]
    generate(tmp_path / "again", **ARGS)
    for path in folder.glob("*.csv"):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name
    generate(tmp_path / "other", **{**ARGS, "seed": 8})
    assert (tmp_path / "other" / "students.csv").read_bytes() != (folder / "students.csv").read_bytes()


def test_every_contract_table_with_all_columns_and_valid_codes(t, sample):
    summary = sample[1]
    for table in TABLES:
        df = t[table.name]
        assert list(df.columns) == list(table.field_names), table.name
        assert len(df) == summary.rows[table.name] > 0, table.name
        for f in table.fields:
            cells = df[f.name]
            if f.kind == CODE:
                assert set(cells) - {""} <= set(f.codes), (table.name, f.name)
            if f.kind == BOOL:
                assert set(cells) <= {"True", "False", ""}, (table.name, f.name)
            if not f.nullable:
                assert (cells != "").all(), (table.name, f.name)
    optional = [(tb.name, f.name) for tb in TABLES for f in tb.fields if not f.required and tb.name != "targets"]
    assert len(optional) >= 9
    unknown = {("graduates", "employed_half_year")}  # empty where a graduate could not be reached
    for name, field in optional:  # the project's additions are filled too
        if (name, field) in unknown:
            assert 0 < (t[name][field] == "").mean() < 0.15, (name, field)
        else:
            assert (t[name][field] != "").all(), (name, field)


def test_keys_unique_within_tables(t):
    for table in TABLES:
        assert not t[table.name].duplicated(list(table.key)).any(), table.name


def test_province_shape(t):
    sch = t["schools"]
    assert len(sch) == ARGS["schools"] and sch.school_id.is_unique and sch.name.is_unique
    assert (sch.level == "高职").sum() >= 3 and (sch.level == "中职").sum() >= 3 and sch.city.nunique() >= 3
    assert sorted(t["students"].year.unique()) == list(range(2020, 2025))
    programs = t["programs"].groupby(KEY).size()
    assert programs.between(5, 40).all()
    courses = t["courses"].groupby([*KEY, "program_code"]).size()
    assert courses.between(15, 30).all()
    partners = t["partners"].groupby(KEY).size()
    assert partners.between(10, 90).all()


# --- student records and ID numbers ----------------------------------------------------------------
def test_clean_id_numbers_pass_gb11643_and_match_columns(t, key):
    st = t["students"]
    spoilt = key[key.fault_class.isin(["bad_id_number", "duplicate_registration"])]
    bad = set(zip(spoilt.school_id, spoilt.record_key))
    persons = st.drop_duplicates(["school_id", "student_key"])
    clean = persons[[k not in bad for k in zip(persons.school_id, persons.student_key)]]
    problems = [id_problem(n, g, b) for n, g, b in zip(clean.id_number, clean.gender, clean.birth_date)]
    assert problems.count(None) == len(clean)
    age = clean.entry_year - pd.to_numeric(clean.birth_date.str[:4])
    assert age.between(14, 21).all()


def test_a_student_keeps_key_and_id_number_over_years(t):
    st = t["students"]
    assert (st.groupby(["school_id", "student_key"]).id_number.nunique() == 1).all()
    assert (st.groupby(["school_id", "student_key"]).entry_year.nunique() == 1).all()


def test_bad_id_numbers_fail_the_check(t, key):
    rows = key[key.fault_class == "bad_id_number"]
    assert len(rows) >= 3
    st = t["students"].set_index([*KEY, "student_key"])
    kinds = set()
    for r in rows.itertuples():
        s = st.loc[(r.school_id, int(r.year), r.record_key)]
        kinds.add(id_problem(s.id_number, s.gender, s.birth_date))
    assert None not in kinds and kinds == {"check", "date", "sex", "birth_date"}


def test_duplicate_registrations_share_an_id_number(t, key):
    rows = key[key.fault_class == "duplicate_registration"]
    assert len(rows) >= 3
    st = t["students"][t["students"].status == "在籍"]
    for r in rows.itertuples():
        year = st[st.year == r.year]
        number = year[(year.school_id == r.school_id) & (year.student_key == r.record_key)].id_number.item()
        others = set(year[(year.id_number == number)].school_id) - {r.school_id}
        assert len(others) == 1 and others.pop() in r.detail
    # nobody else is enrolled at two schools in one year
    both = st.groupby(["year", "id_number"]).school_id.nunique()
    assert (both > 1).sum() == len(rows)


# --- record-level faults -------------------------------------------------------------------------
def test_uninsured_interns(t, key):
    rows = key[key.fault_class == "uninsured_intern"]
    it = t["internships"]
    uninsured = it[it.insured == "False"]
    assert len(rows) >= 3
    assert set(zip(rows.school_id, rows.year, rows.record_key)) == set(zip(uninsured.school_id, uninsured.year,
                                                                           uninsured.student_key))


def test_ghosts_are_not_students_and_everyone_else_is(t, key):
    rows = key[key.fault_class == "ghost_graduate"]
    assert len(rows) >= 3 and set(rows.table) == {"graduates", "internships"}
    enrolled = set(zip(*[t["students"][t["students"].status == "在籍"][c] for c in [*KEY, "student_key"]]))
    ghosts = set(zip(rows.school_id, rows.year, rows.record_key))
    for name in ("graduates", "internships"):
        recs = set(zip(*[t[name][c] for c in [*KEY, "student_key"]]))
        assert recs - enrolled == {g for g in ghosts if g in recs}
    assert ghosts <= set().union(*[set(zip(*[t[n][c] for c in [*KEY, "student_key"]]))
                                   for n in ("graduates", "internships")])


def test_total_mismatches_and_clean_totals(t, key):
    rows = key[key.fault_class == "total_mismatch"]
    assert set(rows.table) == {"programs", "finance", "facilities", "courses"}
    st = t["students"]
    first = st[st.entry_year == st.year].groupby([*KEY, "program_code"]).size()
    prog = t["programs"].set_index([*KEY, "program_code"])
    off = prog.actual_intake != first.reindex(prog.index, fill_value=0)
    planted = rows[rows.table == "programs"]
    assert set(off[off].index) == set(zip(planted.school_id, planted.year, planted.unit))
    fin, fac, co = t["finance"], t["facilities"], t["courses"]
    broken = set()
    broken |= set(zip(*[fin[num(fin, "aid_disbursed") > num(fin, "aid_received")][c] for c in KEY]))
    broken |= set(zip(*[fin[num(fin, "budget_executed") > 1.2 * num(fin, "budget")][c] for c in KEY]))
    broken |= set(zip(*[fac[num(fac, "new_books") > num(fac, "books")][c] for c in KEY]))
    broken |= set(zip(*[fac[fac.new_equipment_value > fac.equipment_value][c] for c in KEY]))
    broken |= set(zip(*[co[co.practice_hours > co.hours][c] for c in KEY]))
    assert broken == set(zip(rows[rows.table != "programs"].school_id, rows[rows.table != "programs"].year))


def test_references_and_counts_are_consistent(t):
    for name in ("students", "teachers", "partners", "graduates", "courses"):
        df = t[name][t[name].program_code != ""]
        known = set(zip(*[t["programs"][c] for c in [*KEY, "program_code"]]))
        assert set(zip(*[df[c] for c in [*KEY, "program_code"]])) <= known, name
    it, pa = t["internships"], t["partners"]
    assert set(zip(*[it[c] for c in [*KEY, "enterprise_id"]])) <= set(zip(*[pa[c] for c in [*KEY, "enterprise_id"]]))
    received = it.groupby([*KEY, "enterprise_id"]).size()
    stated = num(pa, "interns_received").set_axis(pd.MultiIndex.from_frame(pa[[*KEY, "enterprise_id"]]))
    assert (stated == received.reindex(stated.index, fill_value=0)).all()
    external = t["teachers"][t["teachers"].employment == "校外兼职"].groupby(KEY).size()
    assert (num(pa, "industry_teachers").groupby([pa.school_id, pa.year]).sum() == external).all()
    sv = t["surveys"]
    assert (num(sv, "satisfied") <= num(sv, "respondents")).all()
    g = t["graduates"]
    working = g.destination.isin(["就业", "自主创业"])
    assert ((g.monthly_income != "") == working).all() and ((g.job_related != "") == working).all()


# --- school-level faults, from hand-computed indicators -------------------------------------------
MINIMUM = {"高职": {"graduate_degree_teacher_share": 0.15, "teaching_admin_area_per_student": 16,
                  "equipment_value_per_student": 4000, "books_per_student": 80, "senior_title_teacher_share": 0.2},
           "中职": {"graduate_degree_teacher_share": 0.15, "teaching_admin_area_per_student": 16,
                  "equipment_value_per_student": 2500, "books_per_student": 30, "senior_title_teacher_share": 0.2}}
MAX_RATIO = {"高职": 18, "中职": 20}


def test_clean_schools_meet_the_standards(t, key, values):
    level = t["schools"].set_index("school_id").level
    bad = faulty(key)
    for (sid, year), row in values.iterrows():
        lv = level[sid]
        for ind, floor in MINIMUM[lv].items():
            assert (sid, ind) in bad or row[ind] >= floor * 1.05, (sid, year, ind, row[ind])
        assert (sid, "student_teacher_ratio") in bad or row.student_teacher_ratio <= MAX_RATIO[lv] * 0.95


# 合格 levels of 高职 by category (domain.md §4.1; categories without a row take the most lenient one)
HIGHER_LEVELS = {"综合": (14, 4000, 80), "师范": (14, 4000, 80), "工科": (16, 4000, 60), "农林": (16, 4000, 60),
                 "医学": (16, 4000, 60), "财经": (9, 3000, 80)}
LENIENT = (9, 3000, 60)


def level_of(school: pd.Series, indicator: str) -> float:
    if indicator == "student_teacher_ratio":
        return MAX_RATIO[school.level]
    if school.level == "中职":
        return {"equipment_value_per_student": 2500, "books_per_student": 30}[indicator]
    area, equipment, books = HIGHER_LEVELS.get(school.category, LENIENT)
    return {"teaching_admin_area_per_student": area, "equipment_value_per_student": equipment,
            "books_per_student": books}[indicator]


def test_below_standard_is_clearly_below(t, key, values):
    rows = key[key.fault_class == "below_standard"]
    assert len(rows) >= 3
    sch = t["schools"].set_index("school_id")
    for r in rows.itertuples():
        v = values.loc[(r.school_id, r.year), r.indicator_id]
        level = level_of(sch.loc[r.school_id], r.indicator_id)
        if r.indicator_id == "student_teacher_ratio":
            assert v > level * 1.1
        else:
            assert v < level * 0.9


def test_sudden_drops_and_steady_clean_schools(key, values):
    rows = key[key.fault_class == "sudden_drop"]
    assert len(rows) >= 3
    for r in rows.itertuples():
        s = values[r.indicator_id].xs(r.school_id)
        assert r.year - 3 in s.index and s[r.year] <= 0.55 * s.loc[r.year - 3:r.year - 1].mean()
    bad = faulty(key)
    for ind in values.columns:
        wide = values[ind].unstack("year")
        change = wide.pct_change(axis=1, fill_method=None).abs().max(axis=1)
        clean = [sid for sid in wide.index if (sid, ind) not in bad]
        assert (change[clean] <= 0.15).all(), (ind, change[clean].max())


def modified_z(x: pd.Series) -> pd.Series:
    med = x.median()
    mad = (x - med).abs().median()
    return 0.6745 * (x - med).abs() / mad


def test_peer_outliers_are_extreme_and_clean_peers_are_not(t, key, values):
    rows = key[key.fault_class == "peer_outlier"]
    assert len(rows) >= 3
    sch = t["schools"].set_index("school_id")
    peer = (sch.level + sch.category).rename("peer")
    v = values.join(peer, on="school_id")
    sizes = peer.value_counts()
    for r in rows.itertuples():
        group = v.xs(r.year, level="year")
        group = group[group.peer == peer[r.school_id]][r.indicator_id]
        assert len(group) >= 3 and modified_z(group)[r.school_id] > 5
        before = values[r.indicator_id].xs(r.school_id)
        assert r.year - 3 not in before.index or before[r.year] > 0.55 * before.loc[r.year - 3:r.year - 1].mean()
    bad = faulty(key)
    for ind in values.columns:
        for (year, grp), g in v.groupby([v.index.get_level_values("year"), "peer"]):
            if sizes[grp] >= 3:
                z = modified_z(g[ind].droplevel("year"))
                clean = [sid for sid in z.index if (sid, ind) not in bad]
                assert (z[clean] < 3.5).all(), (ind, year, grp, z[clean].max())


def test_targets_met_unless_planted_miss(t, key, values):
    rows = key[key.fault_class == "target_miss"]
    assert len(rows) >= 3
    tg = t["targets"]
    tg = tg[tg.program_code == ""].assign(target=num(tg, "target"))
    # targets are in the indicator's unit: percent for rates, while the values here are fractions
    tg["target"] = np.where(tg.indicator_id.isin(RATES), tg.target / 100, tg.target)
    lower_better = tg.indicator_id == "student_teacher_ratio"
    got = np.array([values.loc[(s, y), i] for s, y, i in zip(tg.school_id, tg.year, tg.indicator_id)])
    gap = np.where(lower_better, tg.target / got - 1, got / tg.target - 1)
    missed = set(zip(tg.school_id[gap < 0], tg.year[gap < 0], tg.indicator_id[gap < 0]))
    assert missed == set(zip(rows.school_id, rows.year, rows.indicator_id))
    assert (gap[gap < 0] <= -0.1).all()


def _first_digits(values: pd.Series) -> np.ndarray:
    v = values[values > 0].to_numpy(float)
    return (v / 10 ** np.floor(np.log10(v))).astype(int)


def test_benford_flags_fabricated_finance_only(t, key):
    money = [f.name for f in BY_NAME["finance"].fields if f.unit == "元"]
    fac = ["equipment_value", "new_equipment_value", "enterprise_equipment_value"]
    fabricated = set(key[key.fault_class == "fabricated_finance"].school_id)
    assert len(fabricated) >= 2
    benford = np.log10(1 + 1 / np.arange(1, 10))
    for sid in t["schools"].school_id:
        parts = [t["finance"][t["finance"].school_id == sid][money].apply(pd.to_numeric).stack(),
                 t["facilities"][t["facilities"].school_id == sid][fac].apply(pd.to_numeric).stack(),
                 num(t["partners"][t["partners"].school_id == sid], "donated_equipment_value")]
        digits = _first_digits(pd.concat(parts))
        observed = np.bincount(digits, minlength=10)[1:]
        expected = benford * len(digits)
        p = chi2.sf(((observed - expected) ** 2 / expected).sum(), 8)
        assert (p < 1e-8) if sid in fabricated else (p > 1e-3), (sid, p)


def test_answer_key_covers_every_class(key, sample):
    assert list(key.columns) == KEY_COLUMNS
    assert set(key.fault_class) == set(CLASSES)
    assert sample[1].faults == key.fault_class.value_counts().reindex(list(CLASSES), fill_value=0).to_dict()


def test_committed_sample_is_in_the_contract_format(repo_root):
    folder = repo_root / "data" / "sample"
    for table in TABLES:
        with (folder / f"{table.name}.csv").open(encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n").split(",") == list(table.field_names), table.name
    key = pd.read_csv(folder / ANSWER_KEY)
    assert list(key.columns) == KEY_COLUMNS and set(key.fault_class) == set(CLASSES)


def test_each_class_touches_at_most_a_tenth_of_school_years(tmp_path):
    summary = generate(tmp_path, schools=40, years=5, seed=3, scale=0.1)
    key = pd.read_csv(tmp_path / ANSWER_KEY, dtype={"school_id": str})
    assert set(key.fault_class) == set(CLASSES) and summary.faults["sudden_drop"] >= 3
    school_years = 40 * 5
    for cls, rows in key.groupby("fault_class"):
        touched = len(rows) * 5 if cls == "fabricated_finance" else len(rows.drop_duplicates(["school_id", "year"]))
        assert 3 <= touched <= 0.1 * school_years, (cls, touched)
