"""The tables of school status data (人才培养工作状态数据).

Transcribed from ``shared/status-data.md``; fields marked ``required=False``
are additions of this project (the contract allows additions, never drops).
"""

from __future__ import annotations

from .fields import BOOL, CODE, DATE, FLOAT, IDNUMBER, INT, STR, YEAR, Field, Table

LEVELS = ("高职", "中职")
CATEGORIES = ("综合", "师范", "民族", "工科", "农林", "医学", "语文", "财经", "政法", "体育", "艺术")
OWNERSHIP = ("公办", "民办")
STUDENT_STATUS = ("在籍", "休学", "退学", "转学", "毕业")
STUDY_MODES = ("全日制", "成人脱产", "夜大", "函授", "留学生", "预科", "进修")
GENDERS = ("男", "女")
EMPLOYMENT = ("专任", "校内兼课", "校外兼职", "校外兼课")
DEGREES = ("博士", "硕士", "学士", "无")
TITLES = ("正高", "副高", "中级", "初级", "无")
COURSE_TYPES = ("A", "B", "C")
DESTINATIONS = ("就业", "升学", "自主创业", "应征入伍", "待就业")
AWARDS = ("省级", "国家级", "无")
SURVEYS = ("学生", "毕业生", "用人单位", "教师", "家长")
INTERNSHIP_KINDS = ("认识实习", "岗位实习")


def _school_year(year_doc_zh: str = "学年（起始年份）") -> tuple[Field, Field]:
    return (
        Field("school_id", "学校代码", STR, en="school id"),
        Field("year", "年度", YEAR, en="year", doc_zh=year_doc_zh,
              doc_en="academic year by its starting calendar year"),
    )


def _count(name: str, zh: str, en: str, **kw) -> Field:
    return Field(name, zh, INT, en=en, unit=kw.pop("unit", "人"), **kw)


def _money(name: str, zh: str, en: str, **kw) -> Field:
    return Field(name, zh, FLOAT, en=en, unit="元", **kw)


def _area(name: str, zh: str, en: str, **kw) -> Field:
    return Field(name, zh, FLOAT, en=en, unit="m²", **kw)


def _opt(f: Field) -> Field:
    """An optional addition: the column may be absent and cells may be empty."""
    return Field(**{**f.__dict__, "required": False, "nullable": True})


SCHOOLS = Table(
    "schools", "学校", "a school", ("school_id",),
    (
        Field("school_id", "学校代码", STR, en="school id"),
        Field("name", "名称", STR, en="name"),
        Field("level", "层次", CODE, en="level", codes=LEVELS),
        Field("category", "类别", CODE, en="category", codes=CATEGORIES),
        Field("city", "设区市", STR, en="city"),
        Field("ownership", "举办性质", CODE, en="ownership", codes=OWNERSHIP),
        Field("founded", "建校年份", YEAR, en="founded"),
    ),
    year_convention="none",
)

PROGRAMS = Table(
    "programs", "专业", "a program offered in a year", ("school_id", "year", "program_code"),
    (
        *_school_year(),
        Field("program_code", "专业代码", STR, en="program code"),
        Field("program_name", "专业名称", STR, en="program name"),
        Field("program_group", "专业大类", STR, en="program group"),
        Field("first_year", "开设年份", YEAR, en="first year offered"),
        Field("is_key", "重点/骨干专业", BOOL, en="key program"),
        _count("planned_intake", "计划招生数", "planned intake"),
        _count("actual_intake", "实际招生数", "actual intake"),
    ),
)

STUDENTS = Table(
    "students", "学生", "a student enrolled in a year", ("school_id", "year", "student_key"),
    (
        *_school_year(),
        Field("student_key", "学生编号", STR, en="student key"),
        Field("id_number", "身份证号", IDNUMBER, en="ID number", nullable=True,
              doc_zh="导入时校验，随后以密钥哈希替换，明文不入库",
              doc_en="checked, then replaced by a keyed hash; never stored in clear"),
        Field("program_code", "专业代码", STR, en="program code"),
        Field("entry_year", "入学年份", YEAR, en="entry year"),
        Field("status", "学籍状态", CODE, en="status", codes=STUDENT_STATUS),
        Field("study_mode", "学习形式", CODE, en="study mode", codes=STUDY_MODES,
              required=False, default="全日制"),
        Field("gender", "性别", CODE, en="gender", codes=GENDERS, required=False, nullable=True,
              doc_zh="缺省时由身份证号推出", doc_en="derived from the ID number when absent"),
        Field("birth_date", "出生日期", DATE, en="birth date", required=False, nullable=True,
              doc_zh="缺省时由身份证号推出", doc_en="derived from the ID number when absent"),
    ),
)

TEACHERS = Table(
    "teachers", "教师", "a teacher in a year", ("school_id", "year", "teacher_key"),
    (
        *_school_year(),
        Field("teacher_key", "教师编号", STR, en="teacher key"),
        Field("employment", "类别", CODE, en="employment", codes=EMPLOYMENT),
        Field("degree", "学位", CODE, en="degree", codes=DEGREES),
        Field("title", "职称", CODE, en="title", codes=TITLES),
        Field("dual_qualified", "双师素质", BOOL, en="dual-qualified"),
        Field("program_code", "专业代码", STR, en="program code", nullable=True),
        Field("enterprise_practice_days", "企业实践天数", INT, en="enterprise practice days", unit="天"),
        Field("teaching_hours", "年授课学时", INT, en="annual teaching hours", unit="学时"),
        Field("birth_year", "出生年份", YEAR, en="birth year"),
    ),
)

COURSES = Table(
    "courses", "课程", "a course in a program's plan in a year",
    ("school_id", "year", "program_code", "course_code"),
    (
        *_school_year(),
        Field("program_code", "专业代码", STR, en="program code"),
        Field("course_code", "课程代码", STR, en="course code"),
        Field("course_name", "课程名称", STR, en="course name"),
        Field("course_type", "课程类型", CODE, en="course type", codes=COURSE_TYPES,
              doc_zh="A 纯理论, B 理论+实践, C 纯实践", doc_en="A theory, B theory+practice, C practice"),
        Field("hours", "学时", INT, en="hours", unit="学时"),
        Field("practice_hours", "实践学时", INT, en="practice hours", unit="学时"),
        Field("enterprise_codeveloped", "校企合作开发", BOOL, en="co-developed with enterprise"),
        Field("online_resources", "在线资源", BOOL, en="online resources"),
        Field("taught_by_industry_hours", "企业兼职教师授课学时", INT,
              en="hours taught by industry teachers", unit="学时"),
    ),
)

FACILITIES = Table(
    "facilities", "办学条件", "a school's conditions in a year", ("school_id", "year"),
    (
        *_school_year(),
        _area("land_area", "占地面积", "land area"),
        _area("building_area", "建筑面积", "building area"),
        _area("teaching_admin_area", "教学行政用房面积", "teaching and admin floor area"),
        _area("dormitory_area", "宿舍面积", "dormitory area"),
        _area("practice_area", "实践场所面积", "practice floor area"),
        _money("equipment_value", "教学科研仪器设备值", "equipment value"),
        _money("new_equipment_value", "当年新增设备值", "new equipment value"),
        _money("enterprise_equipment_value", "企业提供的校内实践教学设备值", "enterprise-provided equipment value"),
        _count("books", "纸质图书", "paper books", unit="册"),
        _count("new_books", "当年新增图书", "new books", unit="册"),
        _count("computers", "教学用计算机", "teaching computers", unit="台"),
        _count("multimedia_seats", "多媒体教室座位", "multimedia seats", unit="个"),
        _count("practice_workstations", "校内实践教学工位数", "practice workstations", unit="个"),
        _opt(_count("ebooks", "电子图书", "electronic books", unit="册")),
        _opt(_count("language_lab_seats", "语音实验室座位", "language-lab seats", unit="个",
                    doc_zh="百名学生配多媒体教室和语音实验室座位数的分子之一（教发〔2004〕2号）；未填报时该指标不计算",
                    doc_en="part of the multimedia and language-lab seats indicator; without it that indicator has no value")),
        _opt(Field("network_bandwidth", "校园网出口带宽", FLOAT, en="campus network bandwidth", unit="Mbps")),
    ),
)

FINANCE = Table(
    "finance", "经费", "a school's money in a calendar year", ("school_id", "year"),
    (
        Field("school_id", "学校代码", STR, en="school id"),
        Field("year", "年度", YEAR, en="calendar year", doc_zh="自然年", doc_en="calendar year"),
        _money("state_appropriation", "财政拨款", "state appropriation"),
        _money("per_student_appropriation", "生均财政拨款", "per-student appropriation"),
        _money("tuition_income", "学费收入", "tuition income"),
        _money("total_income", "总收入", "total income"),
        _money("total_expenditure", "总支出", "total expenditure"),
        _money("teaching_expenditure", "教学经费支出", "teaching expenditure"),
        _money("aid_received", "学生资助到账", "student aid received"),
        _money("aid_disbursed", "学生资助发放", "student aid disbursed"),
        _count("aid_recipients", "受助学生人次", "aid recipients", unit="人次"),
        _money("budget", "预算", "budget"),
        _money("budget_executed", "预算执行数", "budget executed"),
        _opt(_money("horizontal_research_income", "横向技术服务到款额", "technical-service income")),
        _opt(_money("vertical_research_income", "纵向科研经费到款额", "government research funding")),
        _opt(_money("tech_transaction_income", "技术交易到款额", "technology transaction income")),
        _opt(_money("training_income", "非学历培训到款额", "non-degree training income")),
        _opt(_money("enterprise_practice_funds", "教师企业实践专项经费", "teacher enterprise-practice funds")),
    ),
    year_convention="calendar",
)

PARTNERS = Table(
    "partners", "合作企业", "a cooperation with an enterprise in a year",
    ("school_id", "year", "enterprise_id"),
    (
        *_school_year(),
        Field("enterprise_id", "企业代码", STR, en="enterprise id"),
        Field("enterprise_name", "企业名称", STR, en="enterprise name"),
        Field("program_code", "专业代码", STR, en="program code", nullable=True),
        _count("order_students", "订单培养人数", "order-training students"),
        _count("interns_received", "接收实习人数", "interns received"),
        _money("donated_equipment_value", "捐赠设备值", "donated equipment value"),
        _count("codeveloped_courses", "共同开发课程数", "co-developed courses", unit="门"),
        _count("industry_teachers", "兼职教师数", "industry teachers"),
        Field("joint_training_base", "共建实训基地", BOOL, en="joint training base"),
        _opt(_count("employees", "在岗职工总数", "employees",
                    doc_zh="用于核对岗位实习学生不超过在岗职工总数的 10%（教职成〔2021〕4号第十一条）",
                    doc_en="to check interns ≤ 10% of the employer's staff (2021 internship rules, art. 11)")),
    ),
)

INTERNSHIPS = Table(
    "internships", "实习", "a student's internship in a year", ("school_id", "year", "student_key"),
    (
        *_school_year(),
        Field("student_key", "学生编号", STR, en="student key"),
        Field("enterprise_id", "企业代码", STR, en="enterprise id"),
        Field("post", "岗位", STR, en="post"),
        Field("matches_program", "专业对口", BOOL, en="matches program"),
        Field("insured", "实习责任保险", BOOL, en="insured"),
        Field("months", "时长（月）", FLOAT, en="months", unit="月"),
        Field("tracked", "全过程跟踪", BOOL, en="tracked"),
        Field("assessed", "考核评价", BOOL, en="assessed"),
        Field("kind", "实习类型", CODE, en="kind", codes=INTERNSHIP_KINDS, required=False, default="岗位实习",
              doc_zh="认识实习或岗位实习（教职成〔2021〕4号第二条）；未填时按岗位实习",
              doc_en="认识实习 (observation) or 岗位实习 (placement), per the 2021 rules; absent means 岗位实习"),
        _opt(_count("post_employees", "同类岗位在岗职工数", "employees in the same post",
                    doc_zh="用于核对同类岗位实习学生不超过在岗职工的 20%（第十一条）",
                    doc_en="to check interns ≤ 20% of the staff in the same post (art. 11)")),
    ),
)

GRADUATES = Table(
    "graduates", "毕业生", "a graduate of the year", ("school_id", "year", "student_key"),
    (
        *_school_year(),
        Field("student_key", "学生编号", STR, en="student key"),
        Field("program_code", "专业代码", STR, en="program code"),
        Field("destination", "去向", CODE, en="destination", codes=DESTINATIONS),
        Field("job_related", "专业相关", BOOL, en="job related", nullable=True),
        Field("monthly_income", "月收入", FLOAT, en="monthly income", unit="元", nullable=True),
        Field("certificate", "职业技能等级证书", BOOL, en="skill certificate"),
        Field("competition_award", "技能大赛获奖", CODE, en="competition award", codes=AWARDS),
        Field("study_mode", "学习形式", CODE, en="study mode", codes=STUDY_MODES, required=False, default="全日制",
              doc_zh="未填时按全日制", doc_en="absent means 全日制 (full-time)"),
        _opt(Field("employed_half_year", "毕业半年后就业", BOOL, en="employed half a year after graduation",
                   doc_zh="毕业半年后已就业（含升学、自主创业、应征入伍）：质量年报计分卡“就业率”的口径",
                   doc_en="employed (incl. further study, self-employment, enlistment) half a year after "
                          "graduation: the quality-report scorecard's employment rate")),
    ),
)

SURVEYS_T = Table(
    "surveys", "满意度调查", "one question's result in a year", ("school_id", "year", "survey", "item"),
    (
        *_school_year(),
        Field("survey", "调查", CODE, en="survey", codes=SURVEYS),
        Field("item", "题目", STR, en="item"),
        _count("respondents", "有效样本", "respondents"),
        _count("satisfied", "满意人数", "satisfied"),
    ),
)

TARGETS = Table(
    "targets", "目标", "a school's own target for an indicator",
    ("school_id", "year", "indicator_id", "program_code", "teacher_key"),
    (
        *_school_year(),
        Field("indicator_id", "指标", STR, en="indicator",
              doc_zh="指标代码或指标中文名", doc_en="the indicator's id or its Chinese name"),
        Field("target", "目标值", FLOAT, en="target", minimum=None,
              doc_zh="以指标自身单位填写（百分比指标填 91 而非 0.91）",
              doc_en="in the indicator's own unit (91 for 91% on a percentage indicator, not 0.91)"),
        Field("set_by", "制定部门", STR, en="set by", nullable=True),
        Field("note", "说明", STR, en="note", required=False, nullable=True),
        Field("program_code", "专业代码", STR, en="program code", required=False, nullable=True,
              default="", doc_zh="专业层目标时填写", doc_en="for a program-layer target"),
        Field("teacher_key", "教师编号", STR, en="teacher key", required=False, nullable=True,
              default="", doc_zh="教师层目标时填写", doc_en="for a teacher-layer target"),
    ),
)

TABLES: tuple[Table, ...] = (
    SCHOOLS, PROGRAMS, STUDENTS, TEACHERS, COURSES, FACILITIES, FINANCE,
    PARTNERS, INTERNSHIPS, GRADUATES, SURVEYS_T, TARGETS,
)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
YEAR_TABLES: tuple[Table, ...] = tuple(t for t in TABLES if t.name != "schools")


def table_for_label(label: str) -> Table | None:
    """The table a sheet or file name refers to (English or Chinese, any case)."""
    norm = label.strip().lower()
    for t in TABLES:
        if norm in {lab.lower() for lab in t.labels}:
            return t
    return None
