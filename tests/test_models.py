"""The model language: schema pass, semantic pass, the safe expression parser, loading."""

from __future__ import annotations

import os
import textwrap
from importlib.metadata import EntryPoint

import pytest
import yaml

from diagnostics.models import ExprError, MeasureRegistry, load_models, parse, validate_paths
from diagnostics.models import loader as loader_module
from diagnostics.models import registry as registry_module
from diagnostics.models.loader import REPO_INDICATORS, default_paths

MEASURES = REPO_INDICATORS / "measures"

HEAD = {"name_zh": "测试", "name_en": "test", "definition_zh": "测试", "definition_en": "test",
        "items": ["教师队伍建设"], "period": {"year": "academic", "kind": "stock"}}


def ind(ident: str, **fields) -> dict:
    """An indicator entry with the required texts filled in (its Chinese name unique: targets are found by it)."""
    return {"id": ident, **HEAD, "name_zh": f"测试{ident}", **fields}


def write(tmp_path, text: str, name: str = "model.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_doc(tmp_path, measures=(), indicators=(), name: str = "model.yaml"):
    doc = {k: list(v) for k, v in (("measures", measures), ("indicators", indicators)) if v}
    return write(tmp_path, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), name)


def issues_of(*paths):
    return [i for i in validate_paths([MEASURES, *paths], registry=MeasureRegistry()) if i.level == "error"]


def keys(issues):
    return sorted(i.key for i in issues)


def messages(issues) -> dict[str, str]:
    """All messages at each key, joined (several problems may share a key)."""
    out: dict[str, str] = {}
    for i in issues:
        out[i.key] = f"{out.get(i.key, '')} | {i.message_en}"
    return out


TEACHERS = {"unit": "人", "direction": "higher_is_better", "measure": "fulltime_teachers"}


# ---------------------------------------------------------------------------- the library
def test_the_library_loads_without_issues():
    models, issues = load_models(registry=MeasureRegistry())
    assert issues == []
    for ident in ("student_teacher_ratio", "graduate_degree_teacher_share", "teaching_admin_area_per_student",
                  "equipment_value_per_student", "books_per_student", "senior_title_teacher_share",
                  "dual_qualified_share", "employment_rate", "job_relatedness_rate", "certificate_rate",
                  "intern_insured_rate", "per_student_appropriation", "enrolment_fulfilment_rate",
                  "student_satisfaction", "graduate_satisfaction", "employer_satisfaction"):
        assert ident in models.indicators
    stu = models.indicators["student_teacher_ratio"]
    assert stu.direction == "lower_is_better" and stu.cards
    assert {(s.level, s.value, s.verified) for s in stu.standards if s.categories == ("医学",)} == {
        ("合格", 16.0, False), ("限制招生", 20.0, False)}
    assert len(models.version) == 16


def test_search_path_includes_the_environment_variable(tmp_path, monkeypatch):
    extra = tmp_path / "extra"
    extra.mkdir()
    write_doc(extra, indicators=[ind("extra_teacher_count", **TEACHERS)])
    monkeypatch.setenv("ZHENGAI_INDICATORS_PATH", f"{extra}{os.pathsep}{tmp_path / 'missing'}")
    assert default_paths()[0] == REPO_INDICATORS and default_paths()[1] == extra
    models, issues = load_models(registry=MeasureRegistry())
    assert "extra_teacher_count" in models.indicators
    assert [(i.file, i.message_en) for i in issues] == [(str(tmp_path / "missing"), "model path does not exist")]


# ------------------------------------------------------------------------------ schema pass
def test_schema_rejects_unknown_keys(tmp_path):
    path = write_doc(tmp_path, indicators=[ind("x", unit="人", directon="higher_is_better",
                                               measure="fulltime_teachers")])
    found = issues_of(path)
    assert keys(found) == ["indicators.x.direction", "indicators.x.directon"]  # missing + unknown
    unknown = next(i for i in found if i.key == "indicators.x.directon")
    assert unknown.file == str(path)
    assert "did you mean direction?" in unknown.message_en and "未知键" in unknown.message_zh


def test_schema_checks_types_and_allowed_values(tmp_path):
    path = write_doc(tmp_path, indicators=[ind("x", unit="人", direction="up", layers=["school", "course"],
                                               measure="fulltime_teachers", cards="yes please")])
    assert keys(issues_of(path)) == ["indicators.x.cards", "indicators.x.direction", "indicators.x.layers"]


def test_three_mistakes_give_three_located_errors(tmp_path):
    path = write_doc(
        tmp_path,
        measures=[{"id": "senior_teachers", "name_zh": "高级职称教师", "name_en": "senior teachers",
                   "table": "teachers", "agg": "count", "unit": "人",
                   "filter": "employment = '专任' and grade = '高'"}],  # 1: no column grade
        indicators=[ind("senior_share", unit="%", direction="higher_is_better",
                        colour="red",  # 2: no key colour
                        ratio={"numerator": "senior_teachers", "denominator": "full_time_teachers",  # 3
                               "factor": 100})])
    found = issues_of(path)
    assert len(found) == 3
    assert {i.file for i in found} == {str(path)}
    assert keys(found) == ["indicators.senior_share.colour", "indicators.senior_share.ratio.denominator",
                           "measures.senior_teachers.filter"]
    by_key = messages(found)
    assert "unknown name grade" in by_key["measures.senior_teachers.filter"]
    assert "unknown measure full_time_teachers" in by_key["indicators.senior_share.ratio.denominator"]


def test_yaml_syntax_errors_and_duplicate_keys_are_located(tmp_path):
    broken = write(tmp_path, "indicators: [\n  - id: x\n", "broken.yaml")
    dup = write(tmp_path, """\
        indicators:
          - id: x
            unit: 人
            unit: 元
        """, "dup.yaml")
    found = issues_of(broken, dup)
    assert {i.file for i in found} == {str(broken), str(dup)}
    assert any(i.key.startswith("line ") and "YAML syntax error" in i.message_en for i in found)
    assert any(i.file == str(dup) and i.key == "line 4" and "duplicate key unit" in i.message_en for i in found)


# -------------------------------------------------------------------------- expressions
@pytest.mark.parametrize("text, fragment", [
    ("a.__class__", "attribute access"),
    ("teachers.__class__.__bases__", "attribute access"),
    ("__import__('os')", "dunder"),
    ("import os", "'import' is not allowed"),
    ("lambda x: x", "'lambda' is not allowed"),
    ("open('/etc/passwd')", "'open' is not allowed"),
    ("system('ls')", "unknown function system"),
    ("(a)(1)", "only whitelisted functions"),
    ("a[0]", "subscripts"),
    ("a ** 2", "power"),
    ("a < b < c", "chained comparisons"),
    ("if(a, 1)", "takes 3 arguments"),
    ("'unterminated", "unterminated string"),
])
def test_unsafe_or_malformed_expressions_are_rejected(text, fragment):
    with pytest.raises(ExprError) as err:
        parse(text)
    assert fragment in err.value.message_en
    assert err.value.message_zh


def test_expressions_parse_into_a_tree():
    tree = parse("case(study_mode in ('全日制', '预科'), 1, study_mode = '夜大', 0.3, 0) * 2")
    assert tree.names() == {"study_mode"}
    assert parse("not x is null and y != 'a''b'").names() == {"x", "y"}


def test_unsafe_expression_in_a_model_file_is_a_located_error(tmp_path):
    path = write(tmp_path, """\
        measures:
          - {id: m1, name_zh: 一, name_en: one, table: teachers, agg: count, unit: 人,
             filter: "employment.__class__ = 1"}
          - {id: m2, name_zh: 二, name_en: two, table: teachers, agg: sum, unit: 人,
             expr: "getattr(employment, 'x')"}
          - {id: m3, name_zh: 三, name_en: three, table: teachers, agg: sum, unit: 人,
             expr: "shell(1)"}
        """)
    found = issues_of(path)
    assert keys(found) == ["measures.m1.filter", "measures.m2.expr", "measures.m3.expr"]
    assert "character 11" in next(i for i in found if i.key == "measures.m1.filter").message_en


def test_types_codes_and_columns_are_checked(tmp_path):
    path = write(tmp_path, """\
        measures:
          - {id: m1, name_zh: 一, name_en: one, table: students, agg: count, unit: 人,
             filter: "study_mode = '全日址'"}
          - {id: m2, name_zh: 二, name_en: two, table: students, agg: count, unit: 人,
             filter: "status + 1"}
          - {id: m3, name_zh: 三, name_en: three, table: studnets, agg: count, unit: 人}
          - {id: m4, name_zh: 四, name_en: four, table: students, agg: count, unit: 人,
             filter: "id_number is null"}
          - {id: m5, name_zh: 五, name_en: five, table: students, agg: share, unit: "1", expr: "entry_year"}
        """)
    found = messages(issues_of(path))
    assert "has no code '全日址'" in found["measures.m1.filter"]
    assert "an operand of + must be number, found text" in found["measures.m2.filter"]
    assert "a filter must be true/false, found number" in found["measures.m2.filter"]
    assert "did you mean students?" in found["measures.m3.table"]
    assert "unknown name id_number" in found["measures.m4.filter"]
    assert "must be boolean" in found["measures.m5.expr"]


# ------------------------------------------------------------------------ semantic pass
def test_cycles_among_derived_indicators_are_detected(tmp_path):
    derived = {"unit": "人", "direction": "higher_is_better"}
    path = write_doc(tmp_path, indicators=[ind("a", expr="b + 1", **derived), ind("b", expr="a * 2", **derived),
                                           ind("c", expr="c", **derived)])
    found = [i for i in issues_of(path) if "cycle" in i.message_en]
    assert len(found) == 2
    assert {i.key for i in found} == {"indicators.a.expr", "indicators.c.expr"}
    assert any("a → b → a" in i.message_en for i in found)


def test_unit_mismatches(tmp_path):
    up = {"direction": "higher_is_better"}
    path = write_doc(
        tmp_path,
        measures=[{"id": "equipment_in_books", "name_zh": "设备", "name_en": "equipment", "table": "facilities",
                   "agg": "sum", "expr": "equipment_value", "unit": "册"}],
        indicators=[
            ind("eq_per_student", unit="册/人", ratio={"numerator": "equipment_value",
                                                      "denominator": "weighted_enrolment"}, **up),
            ind("computers_per_100", unit="%", ratio={"numerator": "computers",
                                                     "denominator": "fulltime_enrolment", "factor": 100}, **up),
            ind("mixed", unit="元/人", expr="books_per_student + student_teacher_ratio", **up),
        ])
    found = messages(issues_of(path, REPO_INDICATORS / "basic_conditions.yaml"))
    assert "column equipment_value is in 元, the measure says 册" in found["measures.equipment_in_books.unit"]
    assert "the definition gives 元/人" in found["indicators.eq_per_student.unit"]
    assert "the definition gives 台/百人" in found["indicators.computers_per_100.unit"]
    assert "unit mismatch: 1, 册/人" in found["indicators.mixed.expr"]
    assert len(found) == 4


def test_standards_must_fit_the_direction(tmp_path):
    std = {"source": "s", "verified": True, "article": "表一", "printed": "18"}
    path = write_doc(tmp_path, indicators=[ind(
        "x", unit="1", direction="lower_is_better",
        ratio={"numerator": "weighted_enrolment", "denominator": "total_teachers"},
        standards=[
            {"level": "合格", "value": 18, "op": ">=", "school_levels": ["高职"], **std},  # ≥ on lower-is-better
            {"level": "限制招生", "value": 15, "school_levels": ["高职"], **std},  # stricter than 合格
            {"level": "合格", "value": 20, "school_levels": ["中职"], **std},  # fine: 中职 only
            {"level": "合格", "value": 16, "categories": ["医学"], **std},  # overlaps [0] for 高职 医学
            {"level": "合格", "value": 20, "layers": ["program"], **std},  # no program layer
        ])])
    found = messages(issues_of(path))
    assert "does not fit the direction lower_is_better" in found["indicators.x.standards[0].op"]
    assert "must lie above the 合格 level 18" in found["indicators.x.standards[1].value"]
    assert "must lie above the 合格 level 16" in found["indicators.x.standards[1].value"]
    assert "overlaps the 合格 standard indicators.x.standards[0]" in found["indicators.x.standards[3].level"]
    assert "has no program layer" in found["indicators.x.standards[4].layers"]
    assert set(found) == {"indicators.x.standards[0].op", "indicators.x.standards[1].value",
                          "indicators.x.standards[3].level",
                          "indicators.x.standards[4].layers"}


def test_layers_a_table_cannot_serve_and_cards_without_restriction(tmp_path):
    path = write_doc(tmp_path, indicators=[ind(
        "x", unit="m²/人", direction="higher_is_better", layers=["school", "program"], cards=True,
        ratio={"numerator": "teaching_admin_area", "denominator": "fulltime_enrolment"})])
    found = messages(issues_of(path))
    assert "cannot be computed at program layer" in found["indicators.x.layers"]
    assert "needs at least one 限制招生 standard" in found["indicators.x.cards"]


def test_invalid_models_and_their_dependents_are_left_out(tmp_path):
    path = write_doc(tmp_path, indicators=[
        ind("broken", unit="人", direction="higher_is_better", measure="no_such_measure"),
        ind("dependent", unit="人", direction="higher_is_better", expr="broken + 1"),
        ind("fine", **TEACHERS)])
    models, issues = load_models([MEASURES, path], registry=MeasureRegistry())
    assert list(models.indicators) == ["fine"]
    assert [(i.key, i.level) for i in issues] == [("indicators.broken.measure", "error"),
                                                  ("indicators.dependent", "warning")]


def test_duplicate_ids_across_files(tmp_path):
    first = write_doc(tmp_path, indicators=[ind("twice", **TEACHERS)], name="a.yaml")
    second = write_doc(tmp_path, indicators=[ind("twice", **TEACHERS)], name="b.yaml")
    found = issues_of(first, second)
    assert [(i.file, i.key) for i in found] == [(str(second), "indicators.twice.id")]


# ----------------------------------------------------------------------- measure plug-ins
def test_registry_survives_a_broken_plugin(monkeypatch, tmp_path):
    points = [EntryPoint("broken", "no_such_module_xyz:fn", registry_module.GROUP),
              EntryPoint("not_callable", "math:pi", registry_module.GROUP),
              EntryPoint("good", "math:fsum", registry_module.GROUP)]
    monkeypatch.setattr(registry_module, "entry_points", lambda group: points if group == registry_module.GROUP else [])
    reg = MeasureRegistry().load_entry_points()
    assert "good" in reg and "broken" not in reg
    assert set(reg.failures) == {"broken", "not_callable"}
    assert "ModuleNotFoundError" in reg.failures["broken"]
    path = write(tmp_path, """\
        measures:
          - {id: m_good, name_zh: 好, name_en: good, python: good, unit: 人}
          - {id: m_broken, name_zh: 坏, name_en: broken, python: broken, unit: 人}
          - {id: m_missing, name_zh: 无, name_en: missing, python: nowhere, unit: 人}
        """)
    models, issues = loader_module.load_models([path], registry=reg)
    assert set(models.measures) == {"m_good"}
    by_key = {(i.file, i.key): i for i in issues}
    assert "failed to load" in by_key[(str(path), "measures.m_broken.python")].message_en
    assert "no measure function nowhere" in by_key[(str(path), "measures.m_missing.python")].message_en
    assert by_key[("entry point broken", "zhengai.measures")].level == "warning"


# ------------------------------------------------------------------ verified standards and names
def test_a_verified_standard_names_its_article_and_printed_value(tmp_path):
    bare = {"level": "合格", "value": 18, "source": "教发〔2004〕2号", "verified": True}
    path = write_doc(tmp_path, indicators=[
        ind("no_article", **TEACHERS, standards=[bare]),
        ind("with_article", **TEACHERS,
            standards=[{**bare, "article": "附件 表一", "printed": "18"}]),
        ind("reference", **TEACHERS, standards=[{**bare, "verified": False}]),
    ])
    assert keys(issues_of(path)) == ["indicators.no_article.standards[0].verified"]


def test_a_reference_value_may_sit_beside_the_verified_standard(tmp_path):
    verified = {"level": "合格", "value": 20, "source": "s", "verified": True, "article": "第二条", "printed": "20%"}
    reference = {"level": "合格", "value": 25, "source": "from memory", "verified": False}
    path = write_doc(tmp_path, indicators=[
        ind("pair", **TEACHERS, standards=[verified, reference]),
        ind("two_verified", **TEACHERS, standards=[verified, verified]),
    ])
    assert keys(issues_of(path)) == ["indicators.two_verified.standards[1].level"]  # only two that decide


def test_names_and_aliases_belong_to_one_indicator(tmp_path):
    path = write_doc(tmp_path, indicators=[
        ind("first", **TEACHERS, aliases=["双师比例"]),
        ind("second", **TEACHERS, aliases=["双师 比例"]),  # the same once normalised
    ])
    found = messages(issues_of(path))
    assert "already belongs to the indicator first" in found["indicators.second.aliases"]


def test_resolve_by_id_name_or_alias_and_suggest():
    library, _ = loader_module.load_models()
    assert library.resolve("student_teacher_ratio") == "student_teacher_ratio"
    assert library.resolve(" 生师比 ") == "student_teacher_ratio"  # blanks ignored
    assert library.resolve("就业率") == "half_year_employment_rate"  # the scorecard's rate (half a year on)
    assert library.resolve("毕业去向落实率") == "employment_rate"
    assert library.resolve("双师比例") == "dual_qualified_share"
    assert library.resolve("就业") is None
    assert library.suggest("就业")[0].startswith("half_year_employment_rate（")
    assert any(s.startswith("dual_qualified_share（") for s in library.suggest("双师型比例"))


def test_standards_of_new_schools_apply_by_founding_year():
    library, _ = loader_module.load_models()
    land = [s for s in library.indicators["land_area_total"].standards if s.founded_from]
    assert land and all(s.founded_from == 2010 for s in land)
    new = land[0]
    assert new.applies("中职", "工科", "school", 2015, founded=2012)
    assert not new.applies("中职", "工科", "school", 2015, founded=1974)  # a school of 1974 was not 新建
    assert not new.applies("中职", "工科", "school", 2015, founded=None)
