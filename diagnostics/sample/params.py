"""Generation parameters of the sample province: mixes, 合格 levels, clean ranges.

Nothing here is a standard of the platform: the indicator models own those.
The generator only needs to know roughly where the 合格 levels lie
(``shared/domain.md`` §4.1 and §4.2) so that clean schools stay above them with
a margin and planted ``below_standard`` faults fall clearly below them.
"""

from __future__ import annotations

from dataclasses import dataclass

HIGHER, SECONDARY = "高职", "中职"

#: Share of 高职 among the schools, and the category mix of each level in the
#: order used to allocate them (the first categories get the largest groups).
HIGHER_SHARE = 0.4
CATEGORY_MIX: dict[str, dict[str, float]] = {
    HIGHER: {"工科": 0.32, "综合": 0.18, "财经": 0.14, "医学": 0.10, "农林": 0.09, "艺术": 0.09, "师范": 0.08},
    SECONDARY: {"工科": 0.34, "综合": 0.24, "财经": 0.14, "农林": 0.10, "医学": 0.09, "艺术": 0.09},
}
PRIVATE_SHARE = 0.15
#: Smallest peer group (same level and category) the roster makes where it can.
PEER_MIN = 4
#: Enrolment before ``scale``: (median, low, high).
ENROLMENT = {HIGHER: (7000, 3000, 15000), SECONDARY: (2200, 1000, 6000)}
#: Share of women by category (the rest are men).
FEMALE_SHARE = {"工科": 0.32, "综合": 0.5, "财经": 0.62, "医学": 0.78, "农林": 0.42, "艺术": 0.64, "师范": 0.8}
#: Entry age at 1 September: ages and probabilities.
ENTRY_AGE = {HIGHER: ((17, 18, 19, 20), (0.1, 0.55, 0.25, 0.1)),
             SECONDARY: ((14, 15, 16, 17), (0.08, 0.6, 0.25, 0.07))}
PROGRAM_YEARS = 3
#: Yearly probabilities of a student event (one event at most per student).
P_SUSPEND, P_DROP, P_TRANSFER = 0.008, 0.015, 0.004

#: Study modes (contract order) with their weights in the weighted enrolment
#: (折合在校生, domain.md §4.1) and their share of students per level.
STUDY_MODE_WEIGHT = {"全日制": 1.0, "成人脱产": 1.0, "夜大": 0.3, "函授": 0.1, "留学生": 3.0, "预科": 1.0, "进修": 1.0}
FULL_TIME_MODES = ("全日制", "成人脱产", "留学生", "预科", "进修")
STUDY_MODE_SHARE = {
    HIGHER: {"全日制": 0.962, "成人脱产": 0.012, "夜大": 0.01, "函授": 0.01, "留学生": 0.002, "预科": 0.0, "进修": 0.004},
    SECONDARY: {"全日制": 0.99, "成人脱产": 0.01, "夜大": 0.0, "函授": 0.0, "留学生": 0.0, "预科": 0.0, "进修": 0.0},
}
EXTERNAL = ("校外兼职", "校外兼课")

#: 合格 levels per level and category (domain.md §4.1 table for 高职, §4.2 for
#: 中职).  ``area`` has no 中职 standard; the 高职 values are reused so that a
#: checker applying them to 中职 finds clean schools above them too.
_AREA = {"综合": 14, "师范": 14, "民族": 14, "工科": 16, "农林": 16, "医学": 16,
         "语文": 9, "财经": 9, "政法": 9, "体育": 14, "艺术": 14}
_HIGHER_EQUIP = {"语文": 3000, "财经": 3000, "政法": 3000}
_HIGHER_BOOKS = {"工科": 60, "农林": 60, "医学": 60}


def standard(level: str, category: str, indicator: str) -> float | None:
    """The 合格 level the generator assumes for an indicator, or None."""
    if indicator == "student_teacher_ratio":
        return 20.0 if level == SECONDARY else (16.0 if category == "医学" else 18.0)
    if indicator == "graduate_degree_teacher_share":
        return 0.15
    if indicator == "teaching_admin_area_per_student":
        return float(_AREA[category])
    if indicator == "equipment_value_per_student":
        return 2500.0 if level == SECONDARY else float(_HIGHER_EQUIP.get(category, 4000))
    if indicator == "books_per_student":
        return 30.0 if level == SECONDARY else float(_HIGHER_BOOKS.get(category, 80))
    if indicator == "senior_title_teacher_share":
        return 0.20
    return None


def clean_base(level: str, category: str, indicator: str) -> float:
    """The level a clean school's range is relative to.

    The strictest 合格 level over all categories of the level, so that clean
    data clears whichever variant a checker applies (several are [to verify]);
    faults are planted below the school's own, most lenient, level instead.
    """
    if indicator == "student_teacher_ratio":
        return standard(level, category, indicator) or 0.0
    values = [standard(level, c, indicator) for c in CATEGORY_MIX[HIGHER]]
    return max(v for v in values if v is not None)


@dataclass(frozen=True)
class Indicator:
    """An indicator the rest of the platform computes, as the generator sees it."""

    zh: str
    higher_is_better: bool
    table: str  # where its numerator lives


INDICATORS: dict[str, Indicator] = {
    "student_teacher_ratio": Indicator("生师比", False, "teachers"),
    "graduate_degree_teacher_share": Indicator("研究生学位专任教师占比", True, "teachers"),
    "teaching_admin_area_per_student": Indicator("生均教学行政用房", True, "facilities"),
    "equipment_value_per_student": Indicator("生均教学科研仪器设备值", True, "facilities"),
    "books_per_student": Indicator("生均图书", True, "facilities"),
    "senior_title_teacher_share": Indicator("高级职称专任教师占比", True, "teachers"),
    "dual_qualified_share": Indicator("双师素质专任教师占比", True, "teachers"),
    "employment_rate": Indicator("就业率", True, "graduates"),
    "job_relatedness_rate": Indicator("专业相关度", True, "graduates"),
    "certificate_rate": Indicator("职业技能等级证书获取率", True, "graduates"),
    "intern_insured_rate": Indicator("实习责任保险覆盖率", True, "internships"),
    "per_student_appropriation": Indicator("生均财政拨款", True, "finance"),
    "enrolment_fulfilment_rate": Indicator("招生计划完成率", True, "programs"),
    "student_satisfaction": Indicator("在校生满意度", True, "surveys"),
    "graduate_satisfaction": Indicator("毕业生满意度", True, "surveys"),
    "employer_satisfaction": Indicator("用人单位满意度", True, "surveys"),
}


@dataclass(frozen=True)
class Param:
    """A planned school-year quantity: a clean range per level and a yearly trend.

    ``relative`` names an indicator whose 合格 level multiplies the range;
    ``order`` puts 民办 schools at the ``low`` or ``high`` end of their peer group;
    ``log`` spreads the range geometrically; ``cap`` bounds rates.
    """

    higher: tuple[float, float]
    secondary: tuple[float, float]
    trend: float = 0.0
    relative: str | None = None
    order: str | None = None
    log: bool = False
    cap: float | None = None


#: Every planned quantity.  Names that are indicator ids are the planned
#: indicator values; the others drive the remaining fields.
PARAMS: dict[str, Param] = {
    # teachers
    "student_teacher_ratio": Param((0.64, 0.86), (0.62, 0.86), -0.006, relative="student_teacher_ratio"),
    "graduate_degree_teacher_share": Param((0.27, 0.56), (0.19, 0.36), 0.015),
    "senior_title_teacher_share": Param((0.25, 0.40), (0.24, 0.36), 0.008),
    "dual_qualified_share": Param((0.50, 0.80), (0.42, 0.72), 0.015),
    "external_per_fulltime": Param((0.10, 0.24), (0.10, 0.24), 0.01),
    "internal_per_fulltime": Param((0.03, 0.08), (0.03, 0.08)),
    # facilities
    "teaching_admin_area_per_student": Param((1.18, 1.6), (1.18, 1.6), -0.004, relative="teaching_admin_area_per_student"),
    "equipment_value_per_student": Param((1.2, 2.0), (1.2, 2.0), 0.03, relative="equipment_value_per_student"),
    "books_per_student": Param((1.16, 1.5), (1.2, 1.6), 0.004, relative="books_per_student"),
    "new_equipment_share": Param((0.115, 0.17), (0.115, 0.17)),
    "new_books_share": Param((0.03, 0.055), (0.03, 0.055)),
    "land_per_student": Param((72, 100), (42, 62)),
    "dormitory_per_student": Param((7.2, 10.5), (7.2, 10.5)),
    "practice_area_per_student": Param((5.8, 9.5), (5.8, 9.5)),
    "building_factor": Param((1.25, 1.5), (1.25, 1.5)),
    "computers_per_100": Param((18, 32), (16, 28), 0.01),
    "multimedia_per_100": Param((45, 75), (45, 75), 0.01),
    "workstations_per_student": Param((0.45, 0.8), (0.45, 0.8), 0.01),
    "enterprise_equipment_per_student": Param((300, 1500), (150, 800), 0.03, log=True),
    "ebooks_per_student": Param((50, 160), (30, 90), 0.04, log=True),
    "bandwidth": Param((2000, 10000), (500, 3000), 0.08, log=True),
    # finance
    "per_student_appropriation": Param((12500, 21000), (9000, 15000), 0.03, order="low"),
    "tuition_per_student": Param((5000, 6500), (200, 900), 0.01, order="high"),
    "aid_per_student": Param((500, 1100), (1200, 2200), 0.02),
    "aid_disbursed_share": Param((0.93, 0.99), (0.93, 0.99), cap=0.998),
    "aid_recipients_per_student": Param((0.3, 0.55), (0.4, 0.7)),
    "horizontal_per_student": Param((150, 1500), (10, 150), 0.04, log=True),
    "vertical_per_student": Param((80, 900), (5, 90), 0.03, log=True),
    "transaction_per_student": Param((8, 400), (1, 30), 0.05, log=True),
    "training_per_student": Param((200, 1800), (80, 900), 0.04, log=True),
    "practice_funds_per_teacher": Param((600, 3500), (400, 2500), 0.03, log=True),
    "other_income_share": Param((0.05, 0.16), (0.05, 0.16)),
    "expenditure_ratio": Param((0.95, 1.01), (0.95, 1.01)),
    "teaching_expenditure_share": Param((0.22, 0.38), (0.22, 0.38)),
    "budget_ratio": Param((0.98, 1.06), (0.98, 1.06)),
    "budget_execution": Param((0.9, 0.99), (0.9, 0.99), cap=0.998),
    # students and graduates
    "enrolment_fulfilment_rate": Param((0.90, 0.99), (0.86, 0.98), cap=1.0),
    "employment_rate": Param((0.885, 0.965), (0.905, 0.975), cap=0.99),
    "further_study_share": Param((0.10, 0.25), (0.30, 0.55), 0.02),
    "job_relatedness_rate": Param((0.62, 0.82), (0.64, 0.84), 0.005, cap=0.97),
    "certificate_rate": Param((0.55, 0.82), (0.66, 0.90), 0.01, cap=0.98),
    "internship_share": Param((0.86, 0.97), (0.86, 0.97), cap=0.99),
    "internship_match_rate": Param((0.82, 0.95), (0.82, 0.95), cap=0.99),
    "student_satisfaction": Param((0.85, 0.94), (0.85, 0.94), 0.003, cap=0.99),
    "graduate_satisfaction": Param((0.87, 0.95), (0.87, 0.95), 0.003, cap=0.99),
    "employer_satisfaction": Param((0.88, 0.96), (0.88, 0.96), 0.003, cap=0.99),
    "teacher_satisfaction": Param((0.84, 0.93), (0.84, 0.93), 0.003, cap=0.99),
}

#: Multiplier of the tuition range for 民办 schools.
PRIVATE_TUITION = {HIGHER: 2.6, SECONDARY: 9.0}
#: Share of the year-to-year movement that is the school's own (the rest is
#: shared by its peer group, so that peers keep their order and spacing).
OWN_NOISE = 0.004
GROUP_TREND_SPREAD = 0.004


@dataclass(frozen=True)
class Realism:
    """How much the sample province behaves like a real one (``zhengai sample --realistic``).

    The default sample is built to exercise every check: faults in most schools, planted strongly, a
    near-noiseless plan.  The realistic mode is the province warnings are measured on (issue 11): most
    schools are clean and meet every verified standard with a margin; every school's quantities move
    from year to year by a few per cent of noise; faults sit in a minority of schools, some for one
    year only (so the years after them show whether a warning echoes); targets name their indicators
    the way schools write them (就业率, 双师比例…), in percent.
    """

    own_noise: float = OWN_NOISE  # half-width of the uniform yearly noise (default) / its sd (realistic)
    noise_normal: bool = False
    faulty_share: float = 1.0  # share of schools faults may go to; the others are clean throughout
    middle_year_faults: bool = False  # one-year faults in a middle year, leaving years after them
    compliant: bool = False  # clean schools meet every verified standard with a margin
    named_targets: bool = False  # targets by the names schools use, rates in percent


#: The realistic province: 2.5 % yearly noise, faults in a third of the schools.
REALISTIC = Realism(own_noise=0.025, noise_normal=True, faulty_share=0.35, middle_year_faults=True,
                    compliant=True, named_targets=True)
