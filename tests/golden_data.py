"""A tiny hand-built school-year and the value of every indicator, computed by hand.

School GA (高职, 工科), academic year 2023, programs P1 and P2, a row set in every contract
table (finance with the optional additions too).  Every expected value below carries its
arithmetic; the engine must reproduce it on SQLite and PostgreSQL.  What one school-year
cannot show (optional fields left out, filters that read the year) is in ``test_library.py``.
"""

from __future__ import annotations

import pandas as pd

SCHOOL, YEAR = "GA", 2023
SCHOOLS = [{"school_id": SCHOOL, "name": "甲职业技术学院", "level": "高职", "category": "工科"}]


def _rows(spec: list[tuple[int, dict]]) -> pd.DataFrame:
    """``[(count, {column: value}), ...]`` → that many copies of each row, keyed k0, k1, …"""
    rows = [dict(values) for count, values in spec for _ in range(count)]
    frame = pd.DataFrame(rows)
    frame.insert(0, "year", YEAR)
    frame.insert(0, "school_id", SCHOOL)
    return frame


def frames() -> dict[str, pd.DataFrame]:
    students = _rows([
        (38, {"program_code": "P1", "status": "在籍", "study_mode": "全日制"}),
        (2, {"program_code": "P1", "status": "在籍", "study_mode": "全日制", "id_problem": "bad_check"}),
        (2, {"program_code": "P1", "status": "在籍", "study_mode": "留学生"}),
        (10, {"program_code": "P1", "status": "在籍", "study_mode": "夜大"}),
        (3, {"program_code": "P1", "status": "退学", "study_mode": "全日制"}),
        (20, {"program_code": "P2", "status": "在籍", "study_mode": "全日制"}),
        (9, {"program_code": "P2", "status": "在籍", "study_mode": "函授"}),
        (1, {"program_code": "P2", "status": "在籍", "study_mode": "函授", "id_problem": "missing"}),
        (5, {"program_code": "P2", "status": "在籍", "study_mode": "成人脱产"}),
        (4, {"program_code": "P2", "status": "毕业", "study_mode": "全日制"}),
    ])
    students["student_key"] = [f"s{i}" for i in range(len(students))]
    t = {"employment": "专任"}

    def life(birth: int, days: int, hours: int) -> dict:  # birth year, enterprise-practice days, teaching hours
        return {"birth_year": birth, "enterprise_practice_days": days, "teaching_hours": hours}

    teachers = _rows([
        (1, {**t, "program_code": "P1", "degree": "硕士", "title": "副高", "dual_qualified": True, **life(1990, 40, 300)}),
        (1, {**t, "program_code": "P1", "degree": "博士", "title": "正高", "dual_qualified": False, **life(1968, 0, 200)}),
        (1, {**t, "program_code": "P1", "degree": "学士", "title": "中级", "dual_qualified": True, **life(1989, 30, 400)}),
        (2, {"employment": "校外兼职", "program_code": "P1", "degree": "无", "title": "无", "dual_qualified": False,
             **life(1980, 90, 60)}),
        (1, {**t, "program_code": "P2", "degree": "学士", "title": "初级", "dual_qualified": True, **life(1988, 29, 360)}),
        (1, {**t, "program_code": "P2", "degree": "硕士", "title": "中级", "dual_qualified": False, **life(1969, 10, 280)}),
        (1, {"employment": "校外兼课", "program_code": "P2", "degree": "无", "title": "无", "dual_qualified": False,
             **life(1950, 0, 40)}),
        (1, {"employment": "校内兼课", "program_code": "P2", "degree": "学士", "title": "中级", "dual_qualified": False,
             **life(1960, 60, 100)}),
        (1, {**t, "program_code": None, "degree": "硕士", "title": "副高", "dual_qualified": False, **life(1960, 5, 260)}),
    ])
    teachers["teacher_key"] = [f"t{i}" for i in range(len(teachers))]
    facilities = _rows([(1, {
        "teaching_admin_area": 1072.0, "land_area": 6700.0, "building_area": 2010.0, "dormitory_area": 335.0,
        "practice_area": 670.0, "equipment_value": 300000.0, "new_equipment_value": 50000.0, "books": 4500,
        "new_books": 150, "computers": 67, "multimedia_seats": 134, "language_lab_seats": 67,
        "practice_workstations": 134,
        "enterprise_equipment_value": 33500.0, "network_bandwidth": 1000.0,
    })])
    no = {"competition_award": "无"}  # (the store's default award would be the first code, 省级)
    half = {"study_mode": "全日制"}  # employed_half_year: followed up half a year after graduation (None: not)
    graduates = _rows([
        (1, {"program_code": "P1", "destination": "就业", "job_related": True, "certificate": True,
             "monthly_income": 4000.0, "competition_award": "省级", **half, "employed_half_year": True}),
        (1, {"program_code": "P1", "destination": "就业", "job_related": False, "certificate": True,
             "monthly_income": 3000.0, **no, **half, "employed_half_year": True}),
        (1, {"program_code": "P1", "destination": "升学", "job_related": None, "certificate": False,
             "competition_award": "国家级", **half, "employed_half_year": True}),
        (1, {"program_code": "P1", "destination": "待就业", "job_related": None, "certificate": False, **no,
             **half, "employed_half_year": False}),
        (1, {"program_code": "P1", "destination": "应征入伍", "job_related": None, "certificate": True, **no,
             **half, "employed_half_year": None}),
        (1, {"program_code": "P2", "destination": "就业", "job_related": True, "certificate": True,
             "monthly_income": 5000.0, "competition_award": "省级", **half, "employed_half_year": True}),
        (1, {"program_code": "P2", "destination": "自主创业", "job_related": None, "certificate": False,
             "monthly_income": 6000.0, **no, **half, "employed_half_year": True}),
        (2, {"program_code": "P2", "destination": "待就业", "job_related": None, "certificate": False, **no,
             **half, "employed_half_year": False}),
        (1, {"program_code": "P2", "destination": "就业", "job_related": None, "certificate": False, **no,
             "study_mode": "成人脱产", "employed_half_year": True}),
    ])
    graduates["student_key"] = [f"g{i}" for i in range(len(graduates))]
    internships = _rows([  # insured, tracked, assessed, matches_program
        (1, {"insured": True, "tracked": True, "assessed": True, "matches_program": True}),
        (1, {"insured": True, "tracked": True, "assessed": False, "matches_program": True}),
        (1, {"insured": True, "tracked": False, "assessed": False, "matches_program": True}),
        (1, {"insured": False, "tracked": False, "assessed": False, "matches_program": True}),
    ])
    surveys = _rows([
        (1, {"survey": "学生", "item": "q1", "respondents": 100, "satisfied": 90}),
        (1, {"survey": "学生", "item": "q2", "respondents": 100, "satisfied": 80}),
        (1, {"survey": "毕业生", "item": "q1", "respondents": 50, "satisfied": 40}),
        (1, {"survey": "用人单位", "item": "q1", "respondents": 20, "satisfied": 19}),
        (1, {"survey": "教师", "item": "q1", "respondents": 30, "satisfied": 24}),
    ])
    programs = _rows([
        (1, {"program_code": "P1", "planned_intake": 50, "actual_intake": 45, "first_year": 2020, "is_key": True}),
        (1, {"program_code": "P2", "planned_intake": 30, "actual_intake": 33, "first_year": 2021, "is_key": False}),
    ])
    finance = _rows([(1, {
        "per_student_appropriation": 12500.0, "state_appropriation": 837500.0, "budget": 1000000.0,
        "budget_executed": 950000.0, "aid_received": 200000.0, "aid_disbursed": 180000.0,
        "total_expenditure": 2000000.0, "teaching_expenditure": 536000.0,
        "horizontal_research_income": 120000.0, "vertical_research_income": 80000.0,
        "tech_transaction_income": 30000.0, "training_income": 50000.0, "enterprise_practice_funds": 20000.0,
    })])
    courses = _rows([  # program, type, hours, practice hours, co-developed, online, hours taught by industry
        (1, {"program_code": "P1", "course_type": "A", "hours": 60, "practice_hours": 0,
             "enterprise_codeveloped": False, "online_resources": True, "taught_by_industry_hours": 0}),
        (1, {"program_code": "P1", "course_type": "B", "hours": 80, "practice_hours": 40,
             "enterprise_codeveloped": True, "online_resources": True, "taught_by_industry_hours": 20}),
        (1, {"program_code": "P1", "course_type": "C", "hours": 60, "practice_hours": 60,
             "enterprise_codeveloped": True, "online_resources": False, "taught_by_industry_hours": 30}),
        (1, {"program_code": "P2", "course_type": "A", "hours": 40, "practice_hours": 0,
             "enterprise_codeveloped": False, "online_resources": False, "taught_by_industry_hours": 0}),
        (1, {"program_code": "P2", "course_type": "B", "hours": 60, "practice_hours": 30,
             "enterprise_codeveloped": False, "online_resources": True, "taught_by_industry_hours": 10}),
    ])
    courses["course_code"] = [f"c{i}" for i in range(len(courses))]
    partners = _rows([  # E4 cooperates with the school as a whole (no program)
        (1, {"enterprise_id": "E1", "program_code": "P1", "order_students": 10, "interns_received": 5,
             "donated_equipment_value": 100000.0, "codeveloped_courses": 2, "industry_teachers": 2,
             "joint_training_base": True}),
        (1, {"enterprise_id": "E2", "program_code": "P1", "order_students": 0, "interns_received": 3,
             "donated_equipment_value": 0.0, "codeveloped_courses": 1, "industry_teachers": 0,
             "joint_training_base": False}),
        (1, {"enterprise_id": "E3", "program_code": "P2", "order_students": 5, "interns_received": 2,
             "donated_equipment_value": 20000.0, "codeveloped_courses": 0, "industry_teachers": 1,
             "joint_training_base": True}),
        (1, {"enterprise_id": "E4", "program_code": None, "order_students": 0, "interns_received": 4,
             "donated_equipment_value": 0.0, "codeveloped_courses": 0, "industry_teachers": 0,
             "joint_training_base": False}),
    ])
    targets = _rows([
        (1, {"indicator_id": "生师比", "target": 9.0, "program_code": ""}),
        (1, {"indicator_id": "employment_rate", "target": 85.0, "program_code": "P1"}),
        (1, {"indicator_id": "dual_qualified_share", "target": 40.0, "program_code": ""}),
    ])
    return {"students": students, "teachers": teachers, "facilities": facilities, "graduates": graduates,
            "internships": internships, "surveys": surveys, "programs": programs, "finance": finance,
            "targets": targets, "courses": courses, "partners": partners}


# Shared quantities, by hand:
# weighted enrolment   P1 = 40×1 + 2×3 (留学生) + 10×0.3 (夜大) = 49 (3 退学 not counted)
#                      P2 = 20×1 + 10×0.1 (函授) + 5×1 (成人脱产) = 26 (4 毕业 not counted); school = 75
# full-time enrolment  P1 = 40 + 2 = 42; P2 = 20 + 5 = 25; school = 67 (夜大, 函授 excluded)
# enrolled students    P1 = 40 + 2 + 10 = 52; P2 = 20 + 10 + 5 = 35; school = 87
# full-time teachers   P1 = 3, P2 = 2, no program = 1; school = 6
# total teachers       P1 = 3 + 0.5×2 = 4; P2 = 2 + 0.5×1 (校外兼课) + 0 (校内兼课) = 2.5; school = 6 + 0.5×3 = 7.5
EXPECTED: dict[str, dict[str, float]] = {
    # indicator: {unit: value} with unit '' for the school layer
    "student_teacher_ratio": {"": 75 / 7.5, "P1": 49 / 4, "P2": 26 / 2.5},  # 10, 12.25, 10.4
    # 专任 with 硕士/博士: P1 硕士+博士 = 2, P2 硕士 = 1, no program 硕士 = 1 → school 4
    "graduate_degree_teacher_share": {"": 4 / 6 * 100, "P1": 2 / 3 * 100, "P2": 1 / 2 * 100},
    "teaching_admin_area_per_student": {"": 1072 / 67},  # = 16.0
    "equipment_value_per_student": {"": 300000 / 75},  # = 4000
    "books_per_student": {"": 4500 / 75},  # = 60
    # 专任 with 正高/副高: P1 副高+正高 = 2, P2 none, no program 副高 = 1 → school 3
    "senior_title_teacher_share": {"": 3 / 6 * 100, "P1": 2 / 3 * 100, "P2": 0.0},
    "land_per_student": {"": 6700 / 67},  # = 100
    "dormitory_area_per_student": {"": 335 / 67},  # = 5
    "computers_per_100_students": {"": 67 / 67 * 100},  # = 100
    "multimedia_seats_per_100_students": {"": (134 + 67) / 67 * 100},  # multimedia + language-lab seats = 300
    "new_equipment_share": {"": 50000 / (300000 - 50000) * 100},  # = 20
    "new_books_per_student": {"": 150 / 75},  # = 2
    "practice_area_per_student": {"": 670 / 67},  # = 10
    "enrolment_total": {"": 87, "P1": 52, "P2": 35},
    "fulltime_teacher_count": {"": 6, "P1": 3, "P2": 2},
    "bachelor_plus_teacher_count": {"": 6},  # every 专任 has 学士 or above
    "program_teacher_share": {"": 5 / 6 * 100},  # 5 of 6 专任 belong to a program
    # dual-qualified program 专任: P1 硕士副高 + 学士中级 = 2, P2 学士初级 = 1 → 3 of 5
    "dual_qualified_program_teacher_share": {"": 3 / 5 * 100, "P1": 2 / 3 * 100, "P2": 1 / 2 * 100},
    "industry_teacher_share": {"": 2 / 6 * 100},  # 校外兼职 2 per 6 专任 (校外兼课 from other schools not counted)
    "external_teacher_share": {"": 3 / 6 * 100},  # 聘请校外教师: 校外兼职 2 + 校外兼课 1 per 6 专任
    "student_fulltime_teacher_ratio": {"": 87 / 6},  # enrolled students ÷ full-time teachers = 14.5
    "program_mid_title_teachers": {"P1": 3, "P2": 1},  # P1 副高 正高 中级; P2 中级 (初级 not)
    "program_senior_title_teachers": {"P1": 2, "P2": 0},
    "program_dual_qualified_teachers": {"P1": 2, "P2": 0},  # P2's dual-qualified teacher is 初级
    "land_area_total": {"": 6700},
    "building_area_total": {"": 2010},
    "building_area_per_student": {"": 2010 / 67},  # = 30
    "equipment_value_total": {"": 300000},
    "books_total": {"": 4500},
    "dual_qualified_share": {"": 3 / 6 * 100, "P1": 2 / 3 * 100, "P2": 1 / 2 * 100},
    # placed (就业/升学/自主创业/应征入伍): P1 4 of 5, P2 3 of 5 → school 7 of 10
    "employment_rate": {"": 70.0, "P1": 80.0, "P2": 60.0},
    # full-time graduates followed up half a year later: P1 4 (3 employed; 应征入伍 not followed),
    # P2 4 (2 employed; the 成人脱产 graduate is not full-time) → school 5 / 8
    "half_year_employment_rate": {"": 5 / 8 * 100, "P1": 3 / 4 * 100, "P2": 2 / 4 * 100},
    "pending_destination_rate": {"": 30.0, "P1": 20.0, "P2": 40.0},  # 100 − employment_rate
    # 就业 with job_related given: P1 (T, F) → 1/2; P2 (T; the other 就业 has none) → 1/1; school 2/3
    "job_relatedness_rate": {"": 2 / 3 * 100, "P1": 50.0, "P2": 100.0},
    "certificate_rate": {"": 4 / 10 * 100, "P1": 3 / 5 * 100, "P2": 1 / 5 * 100},
    "intern_insured_rate": {"": 3 / 4 * 100},
    "student_satisfaction": {"": (90 + 80) / (100 + 100) * 100},  # = 85
    "graduate_satisfaction": {"": 40 / 50 * 100},
    "employer_satisfaction": {"": 19 / 20 * 100},
    "per_student_appropriation": {"": 12500.0},
    "enrolment_fulfilment_rate": {"": (45 + 33) / (50 + 30) * 100, "P1": 45 / 50 * 100, "P2": 33 / 30 * 100},
    # ------------------------------------------------------------- 专业设置与条件 (programs.yaml)
    "program_count": {"": 2},  # P1, P2
    "key_program_share": {"": 1 / 2 * 100},  # P1 is key
    # new = first_year ≥ 2023 − 2 = 2021: P2 (2021, at the edge) is new, P1 (2020) is not
    "new_program_share": {"": 1 / 2 * 100},
    "students_per_program": {"": 87 / 2},  # 87 enrolled ÷ 2 programs = 43.5
    "fulltime_enrolment_count": {"": 67, "P1": 42, "P2": 25},
    "practice_workstations_per_student": {"": 134 / 67},  # = 2
    "enterprise_equipment_per_student": {"": 33500 / 67},  # = 500
    # --------------------------------------------------------- 教师队伍建设 (teachers.yaml additions)
    # 专任 only (external and 校内兼课 rows carry other numbers that must not count):
    #   P1: born 1990 / 40 days / 300 h, 1968 / 0 / 200, 1989 / 30 / 400
    #   P2: born 1988 / 29 days / 360 h, 1969 / 10 / 280;  no program: 1960 / 5 / 260
    # ages in 2023: P1 33, 55, 34; P2 35, 54; no program 63
    "teacher_practice_days_mean": {"": (40 + 0 + 30 + 29 + 10 + 5) / 6, "P1": (40 + 0 + 30) / 3,
                                   "P2": (29 + 10) / 2},  # 19, 23.33…, 19.5
    "teacher_practice_30d_share": {"": 2 / 6 * 100, "P1": 2 / 3 * 100, "P2": 0.0},  # 40 and 30 (≥ 30); 29 not
    "young_teacher_share": {"": 2 / 6 * 100, "P1": 2 / 3 * 100, "P2": 0.0},  # 33 and 34 (< 35); 35 not
    "older_teacher_share": {"": 2 / 6 * 100, "P1": 1 / 3 * 100, "P2": 0.0},  # 55 (≥ 55) and 63; 54 not
    "teaching_hours_mean": {"": (300 + 200 + 400 + 360 + 280 + 260) / 6, "P1": (300 + 200 + 400) / 3,
                            "P2": (360 + 280) / 2},  # 300, 300, 320
    # ---------------------------------------------------------------- 课程体系改革 (curriculum.yaml)
    # P1: A 60 h (0 practice, online), B 80 h (40, co-dev, online, 20 by industry), C 60 h (60, co-dev, 30)
    # P2: A 40 h (0), B 60 h (30, online, 10 by industry)
    "course_count": {"": 5, "P1": 3, "P2": 2},
    "courses_per_program": {"": 5 / 2},
    "total_course_hours": {"": 300, "P1": 200, "P2": 100},
    "bc_course_share": {"": 3 / 5 * 100, "P1": 2 / 3 * 100, "P2": 1 / 2 * 100},
    "practice_hours_share": {"": 130 / 300 * 100, "P1": 100 / 200 * 100, "P2": 30 / 100 * 100},
    "codeveloped_course_share": {"": 2 / 5 * 100, "P1": 2 / 3 * 100, "P2": 0.0},
    "online_course_share": {"": 3 / 5 * 100, "P1": 2 / 3 * 100, "P2": 1 / 2 * 100},
    "industry_taught_hours_share": {"": 60 / 300 * 100, "P1": 50 / 200 * 100, "P2": 10 / 100 * 100},
    "industry_taught_hours_total": {"": 60, "P1": 50, "P2": 10},
    # ------------------------------------------------------------------- 学校管理 (management.yaml)
    "budget_execution_rate": {"": 950000 / 1000000 * 100},  # = 95
    "aid_disbursement_rate": {"": 180000 / 200000 * 100},  # = 90
    "teaching_expenditure_share": {"": 536000 / 2000000 * 100},  # = 26.8
    "teaching_expenditure_total": {"": 536000},
    "teaching_expenditure_per_student": {"": 536000 / 67},  # = 8000 (calendar 2023 ÷ full-time 2023)
    "state_appropriation_total": {"": 837500},
    "enterprise_practice_funds_total": {"": 20000},
    # internships (insured, tracked, assessed, matches): TTTT, TTFT, TFFT, FFFT
    "intern_tracking_rate": {"": 2 / 4 * 100},
    "intern_assessment_rate": {"": 1 / 4 * 100},
    "dropout_rate": {"": 3 / 87 * 100, "P1": 3 / 52 * 100, "P2": 0.0},  # 3 退学 (P1) ÷ 在籍
    # id_problem set: 2 P1 全日制 rows, 1 P2 函授 row; student records P1 55, P2 39, school 94 (any status)
    "id_problem_share": {"": 3 / 94 * 100, "P1": 2 / 55 * 100, "P2": 1 / 39 * 100},
    "teacher_satisfaction": {"": 24 / 30 * 100},  # = 80
    # -------------------------------------------------------------------- 校企合作 (cooperation.yaml)
    # E1 P1 (10 order, 5 interns, 100 000 元, 2 courses, 2 teachers, base), E2 P1 (0, 3, 0, 1, 0, —),
    # E3 P2 (5, 2, 20 000, 0, 1, base), E4 no program (0, 4, 0, 0, 0, —)
    "partner_count": {"": 4, "P1": 2, "P2": 1},
    "partners_per_program": {"": 4 / 2},
    "order_training_share": {"": 15 / 87 * 100, "P1": 10 / 52 * 100, "P2": 5 / 35 * 100},
    "partner_interns_received": {"": 14, "P1": 8, "P2": 2},
    "partner_donated_equipment": {"": 120000, "P1": 100000, "P2": 20000},
    "partner_codeveloped_courses": {"": 3, "P1": 3, "P2": 0},
    "joint_training_base_count": {"": 2, "P1": 1, "P2": 1},
    "partners_with_teachers_share": {"": 2 / 4 * 100, "P1": 1 / 2 * 100, "P2": 1 / 1 * 100},
    # ---------------------------------------------------------- 质量监控与成效 (outcomes.yaml additions)
    "graduate_count": {"": 10, "P1": 5, "P2": 5},
    # incomes of 就业/自主创业: P1 4000, 3000; P2 5000, 6000 (the P2 就业 without an income is left out)
    "graduate_monthly_income": {"": (4000 + 3000 + 5000 + 6000) / 4, "P1": (4000 + 3000) / 2,
                                "P2": (5000 + 6000) / 2},
    "self_employment_rate": {"": 1 / 10 * 100, "P1": 0.0, "P2": 1 / 5 * 100},
    "further_study_rate": {"": 1 / 10 * 100, "P1": 1 / 5 * 100, "P2": 0.0},
    # awards: P1 省级 + 国家级, P2 省级
    "provincial_award_rate": {"": 3 / 10 * 100, "P1": 2 / 5 * 100, "P2": 1 / 5 * 100},
    "national_award_rate": {"": 1 / 10 * 100, "P1": 1 / 5 * 100, "P2": 0.0},
    "intern_program_match_rate": {"": 4 / 4 * 100},
    # ------------------------------------------------------------ 质量年报 (quality_report.yaml)
    "horizontal_research_income_total": {"": 120000},
    "vertical_research_income_total": {"": 80000},
    "tech_transaction_income_total": {"": 30000},
    "training_income_total": {"": 50000},
    "international_student_count": {"": 2, "P1": 2, "P2": 0},  # 在籍 留学生
    "network_bandwidth_total": {"": 1000},
}

# numerator, denominator, n of a few values (n = rows behind the denominator)
EXPECTED_PARTS = {
    ("student_teacher_ratio", ""): (75.0, 7.5, 10),  # 10 teacher rows (校内兼课 counts as a row, weight 0)
    ("employment_rate", "P1"): (4.0, 5.0, 5),
    ("job_relatedness_rate", ""): (2.0, 3.0, 3),
    ("student_satisfaction", ""): (170.0, 200.0, 2),  # two survey items
    ("teacher_practice_days_mean", "P1"): (70.0, 3.0, 3),  # a mean: sum ÷ non-null count
    ("graduate_monthly_income", ""): (18000.0, 4.0, 4),
    ("id_problem_share", "P1"): (2.0, 55.0, 55),  # a share: hits ÷ rows
    ("partners_per_program", ""): (4.0, 2.0, 2),  # n = rows behind the denominator (2 programs)
    ("order_training_share", "P2"): (5.0, 35.0, 35),
}

# GA is 高职 工科: levels against the standards that apply (lower-is-better for the ratio)
EXPECTED_LEVELS = {
    ("student_teacher_ratio", ""): "合格",  # 10 ≤ 18
    ("student_teacher_ratio", "P1"): "",  # no program-layer standard
    ("teaching_admin_area_per_student", ""): "合格",  # 16 ≥ 16 (exactly at the level)
    ("books_per_student", ""): "合格",  # 60 ≥ 60 (工科)
    ("dormitory_area_per_student", ""): "",  # 6.5 is a reference value only (not read in the standard's text)
    ("external_teacher_share", ""): "不合格",  # 50 > 25 (教发〔2004〕2号: external ≤ ¼ of full-time)
    ("student_fulltime_teacher_ratio", ""): "",  # 1:20 is the 中职 standard
    ("intern_insured_rate", ""): "不合格",  # 75 < 100
    ("equipment_value_total", ""): "不合格",  # 300 000 < 6 000 000
    ("program_senior_title_teachers", "P1"): "合格",  # 2 ≥ 2
    ("program_senior_title_teachers", "P2"): "不合格",  # 0 < 2
    ("enrolment_total", ""): "",  # the 1200 standard is for 中职 only
    ("land_per_student", ""): "",  # 59 is declared for 农林 only
    ("practice_hours_share", ""): "",  # "about 40%" is a default target, not a pass mark
    ("practice_hours_share", "P1"): "",
    ("intern_tracking_rate", ""): "不合格",  # 50 < 100
    ("teacher_practice_30d_share", ""): "",  # no standard declared
}
