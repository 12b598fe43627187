"""Texts of the spot-check page, Chinese first."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "draw_title": ("抽取样本", "Draw a sample"),
    "seed": ("随机种子", "Seed"),
    "n_schools": ("学校数", "Schools"),
    "n_records": ("每校每类记录数", "Records per school and kind"),
    "kinds": ("抽查对象", "What to check"),
    "students": ("学生学籍", "Students"),
    "teachers": ("教师", "Teachers"),
    "internships": ("实习", "Internships"),
    "draw": ("抽取", "Draw"),
    "sample": ("样本", "Sample"),
    "no_sample": ("还没有抽查样本", "No spot-check sample yet"),
    "no_sample_school": ("本校暂无已核查的抽查记录", "No checked record of your school yet"),
    "no_records": ("暂无已核查的抽查记录", "No checked record yet"),
    "method": ("抽样方法（据此可复现同一样本）", "Method (re-draws the same sample)"),
    "seed_invalid": ("随机种子须为整数", "The seed must be a whole number"),
    "drawn": ("已抽取 {n} 条记录（种子 {seed}）", "Drew {n} records (seed {seed})"),
    "recorded": ("已登记核查结果", "Outcome recorded"),
    "estimates": ("各校差错率估计", "Estimated discrepancy rate per school"),
    "estimates_note": ("差错率区间为 Wilson 区间并作有限总体校正；区间整体高于容忍度时产生预警并进入跟进队列。",
                       "Wilson interval with finite-population correction; a warning (and a follow-up) where the "
                       "whole interval lies above the tolerance."),
    "records": ("抽查记录", "Sampled records"),
    "records_school": ("本校被抽查的记录及核查结果", "Your school's checked records and their outcome"),
    "record_title": ("登记核查结果", "Record an outcome"),
    "record": ("记录", "Record"),
    "outcome": ("核查结果", "Outcome"),
    "confirmed": ("核实无误", "Confirmed"),
    "discrepancy": ("存在差错", "Discrepancy"),
    "pending": ("待核查", "To check"),
    "note": ("差错说明", "What is wrong"),
    "save": ("保存", "Save"),
    "none_pending": ("本样本的记录均已核查", "Every record of this sample is checked"),
    "school": ("学校", "School"),
    "kind": ("对象", "Kind"),
    "key": ("记录键", "Record key"),
    "stratum": ("层", "Stratum"),
    "checker": ("核查人", "Checked by"),
    "population": ("记录总数", "Records"),
    "drawn_n": ("抽取", "Drawn"),
    "checked": ("已核查", "Checked"),
    "wrong": ("差错", "Wrong"),
    "rate": ("估计差错率", "Estimated rate"),
    "interval": ("95% 置信区间", "95% interval"),
    "warning": ("预警", "Warning"),
    "red": ("红色预警", "red"),
    "yellow": ("黄色预警", "yellow"),
    "by": ("抽取人", "Drawn by"),
    "year": ("学年", "Year"),
}


def t(key: str, lang: str = "zh") -> str:
    pair = TEXT.get(key)
    return key if pair is None else pair[1] if lang == "en" else pair[0]
