"""A hand-made school-year for the report tests: values, warnings, tasks, targets, served by a FrameSource.

Values follow 教发〔2004〕2号 for a 高职 工科 school (domain.md §4.1): 生师比 合格 ≤ 18, 限制招生 22 — in
the library of a province that has read the 限制招生 table (``model_fixtures.verified_restrictions``; the
shipped library keeps 22 as a reference value).  S1's 23.0 in 2024 is beyond the 限制招生 line, so the
warning run gave S1 a yellow card (one basic indicator beyond the line): the card's warning is here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from model_fixtures import verified_restrictions

from diagnostics.reports import FrameSource, VersionInfo
from diagnostics.warnings.rollup import WARNING_COLUMNS

EVIL_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://x","y")'
GENERATED = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def value(school, year, ind, v, level="", layer="school", unit="", n=100):
    return {"school_id": school, "year": year, "layer": layer, "unit": unit, "indicator_id": ind, "value": v,
            "numerator": None, "denominator": None, "n": n, "level": level}


def warning(school, year, ind, severity, message, layer="school", unit="", methods="standard", observed=None,
            expected=None, n=None, rule="", source="", evidence=None):
    return {"school_id": school, "year": year, "layer": layer, "unit": unit, "indicator_id": ind,
            "severity": severity, "methods": methods, "n_flags": len(methods.split(",")), "observed": observed,
            "expected": expected, "n": n, "rule": rule, "source": source, "message_zh": message,
            "message_en": message, "evidence": [{"method": methods, "evidence": evidence or {}}]}


def frames(name: str = "江州职业技术学院", program_name: str = "计算机应用技术", message_extra: str = ""):
    schools = pd.DataFrame([
        {"school_id": "S1", "name": name, "level": "高职", "category": "工科", "city": "江州市", "founded": 2003},
        {"school_id": "S2", "name": "海川职业技术学院", "level": "高职", "category": "工科", "city": "海川市",
         "founded": 1999},
        {"school_id": "S3", "name": "云岭职业技术学院", "level": "高职", "category": "工科", "city": "江州市",
         "founded": 2008},
        {"school_id": "S4", "name": "海川财经学校", "level": "中职", "category": "财经", "city": "海川市", "founded": 1985},
    ])
    rows = [
        value("S1", 2023, "student_teacher_ratio", 20.0, "不合格"),
        value("S1", 2024, "student_teacher_ratio", 23.0, "限制招生"),
        value("S2", 2024, "student_teacher_ratio", 15.0, "合格"),
        value("S3", 2024, "student_teacher_ratio", 17.0, "合格"),
        value("S4", 2024, "student_teacher_ratio", 30.0, "不合格"),
        value("S1", 2023, "employment_rate", 91.0, n=400),
        value("S1", 2024, "employment_rate", 92.5, n=400),
        value("S2", 2024, "employment_rate", 95.0, n=300),
        value("S3", 2024, "employment_rate", 90.0, n=200),
        value("S1", 2024, "enrolment_total", 4321.0, n=4321),
        value("S1", 2024, "program_senior_title_teachers", 1.0, "不合格", "program", "P1", n=1),
        value("S1", 2024, "program_senior_title_teachers", 3.0, "合格", "program", "P2", n=3),
        value("S1", 2024, "program_senior_title_teachers", 0.0, "不合格", "program", "P3", n=0),
    ]
    values = pd.DataFrame(rows)
    warnings = pd.DataFrame([
        warning("S1", 2024, "student_teacher_ratio", "red", "生师比 23.0，高于限制招生线 22" + message_extra,
                observed=23.0, expected="<= 22", n=4321, rule="生师比 <= 22（限制招生）", source="教发〔2004〕2号"),
        warning("S1", 2024, "program_senior_title_teachers", "yellow", "专业 P1 高级职称专任教师 1 人，低于 2 人",
                layer="program", unit="P1", observed=1.0, expected=">= 2", n=1),
        warning("S1", 2024, "program_senior_title_teachers", "yellow", "专业 P3 高级职称专任教师 0 人，低于 2 人",
                layer="program", unit="P3", observed=0.0, expected=">= 2", n=0),
        warning("S1", 2024, None, "red", "学生 A001：身份证号校验码错误", layer="data", unit="students:A001",
                methods="integrity"),
        warning("S1", 2024, "employment_rate", "info", "毕业去向落实率变化较大", methods="trend", observed=92.5),
        warning("S1", 2024, None, "yellow", "基本办学条件黄牌（招生数不得超过当年毕业生数）：生师比 23.0，高于限制招生线 22.0",
                rule="基本办学条件黄牌（合格 / 限制招生）", source="教发〔2004〕2号",
                evidence={"card": "yellow", "reasons": ["生师比 23.0，高于限制招生线 22.0"]}),
    ], columns=WARNING_COLUMNS)
    tasks = pd.DataFrame([
        {"id": 1, "school_id": "S1", "year": 2023, "layer": "school", "unit": "", "indicator_id": "employment_rate",
         "problem": "毕业去向落实率偏低", "cause": "就业指导不足", "measure": "开设就业指导课", "owner": "招生就业处",
         "deadline": dt.date(2024, 6, 30), "status": "done", "baseline_value": 88.0, "target_value": 92.0,
         "recheck_year": None, "recheck_value": None, "recheck_verdict": None},
        {"id": 2, "school_id": "S1", "year": 2024, "layer": "school", "unit": "", "indicator_id": "student_teacher_ratio",
         "problem": "生师比高于限制招生线", "cause": "专任教师招聘滞后", "measure": "引进专任教师 40 人",
         "owner": "人事处", "deadline": dt.date(2025, 6, 30), "status": "planned", "baseline_value": 23.0,
         "target_value": 18.0, "recheck_year": None, "recheck_value": None, "recheck_verdict": None},
    ])
    targets = pd.DataFrame([{"school_id": "S1", "year": 2024, "layer": "school", "unit": "",
                             "indicator_id": "employment_rate", "target": 95.0, "standard": None}])
    programs = pd.DataFrame([
        {"school_id": "S1", "year": 2024, "program_code": "P1", "program_name": program_name},
        {"school_id": "S1", "year": 2024, "program_code": "P3", "program_name": "会计"},
    ])
    return schools, values, warnings, tasks, targets, programs


NARRATIVES = pd.DataFrame([
    {"school_id": "S1", "year": 2024, "section": "overview", "text": "本校是省属公办高职院校。\n现有专业 3 个。"},
    {"school_id": "S1", "year": 2024, "section": "features", "text": "以工学结合为特色。"},
    {"school_id": "S1", "year": 2023, "section": "features", "text": "上一学年的文字"},
])


def source(**kwargs) -> FrameSource:
    models = verified_restrictions()
    schools, values, warnings, tasks, targets, programs = frames(**kwargs)
    return FrameSource(models, schools, values, warnings, tasks, targets, programs,
                       VersionInfo("第 3 版（导入批次 #7，2025-02-28 18:00）", "abcdef0123456789", 12),
                       narratives_frame=NARRATIVES)


def pipeline(folder, root):  # noqa: ANN001, ANN201
    """A SQLite store in ``root`` with the status data of ``folder`` imported, computed and warned:
    its URL, engine, models and the province's Access (local mode)."""
    from diagnostics.access import Access, local_user
    from diagnostics.engine import compute
    from diagnostics.io.importer import import_path
    from diagnostics.models import load_models
    from diagnostics.store import init_db, make_engine
    from diagnostics.warnings import run_warnings

    url = f"sqlite:///{root / 'store.db'}"
    engine = make_engine(url)
    init_db(engine)
    assert import_path(engine, folder).ok
    models, _ = load_models()
    compute(engine, models)
    run_warnings(engine, models=models)
    return url, engine, models, Access(engine, local_user())
