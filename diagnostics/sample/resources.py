"""Facilities and finance of a school, per year, from its enrolment and its plan."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .roster import Province


def _plan(province: Province, school: int) -> dict[str, np.ndarray]:
    return {k: v[school] for k, v in province.plan.items()}


def facility_rows(province: Province, school: int, weighted: np.ndarray, full_time: np.ndarray) -> pd.DataFrame:
    """The ``facilities`` rows: areas per full-time student, equipment and books per weighted student.

    Land stays what it was in the first year; the rest follows enrolment.
    """
    p = _plan(province, school)
    teaching = np.round(p["teaching_admin_area_per_student"] * full_time, 1)
    dormitory = np.round(p["dormitory_per_student"] * full_time, 1)
    equipment = np.round(p["equipment_value_per_student"] * weighted)
    books = np.round(p["books_per_student"] * weighted)
    return pd.DataFrame({
        "school_id": province.schools.school_id.iat[school], "year": province.year_list,
        "land_area": np.round(p["land_per_student"][0] * full_time[0], -2) * np.ones(province.years),
        "building_area": np.round((teaching + dormitory) * p["building_factor"][0], 1),
        "teaching_admin_area": teaching, "dormitory_area": dormitory,
        "practice_area": np.round(p["practice_area_per_student"] * full_time, 1),
        "equipment_value": equipment,
        "new_equipment_value": np.round(equipment * p["new_equipment_share"]),
        "enterprise_equipment_value": np.round(p["enterprise_equipment_per_student"] * weighted),
        "books": books.astype(np.int64),
        "new_books": np.round(books * p["new_books_share"]).astype(np.int64),
        "computers": np.round(p["computers_per_100"] * full_time / 100).astype(np.int64),
        "multimedia_seats": np.round(p["multimedia_per_100"] * full_time / 100).astype(np.int64),
        "language_lab_seats": np.round(p["multimedia_per_100"] * 0.12 * full_time / 100).astype(np.int64),
        "practice_workstations": np.round(p["workstations_per_student"] * full_time).astype(np.int64),
        "ebooks": np.round(p["ebooks_per_student"] * weighted).astype(np.int64),
        "network_bandwidth": np.round(p["bandwidth"], -1),
    })


def finance_rows(province: Province, school: int, full_time: np.ndarray, full_teachers: np.ndarray) -> pd.DataFrame:
    """The ``finance`` rows (calendar year = the academic year's number), in whole 元.

    Per-student appropriation = state appropriation ÷ full-time enrolment.
    """
    p = _plan(province, school)
    state = np.round(p["per_student_appropriation"] * full_time)
    tuition = np.round(p["tuition_per_student"] * full_time)
    side = {name: np.round(p[f"{plan}_per_student"] * full_time) for name, plan in (
        ("horizontal_research_income", "horizontal"), ("vertical_research_income", "vertical"),
        ("tech_transaction_income", "transaction"), ("training_income", "training"))}
    income = np.round((state + tuition) * (1 + p["other_income_share"]) + sum(side.values()))
    spent = np.round(income * p["expenditure_ratio"])
    aid = np.round(p["aid_per_student"] * full_time)
    budget = np.round(spent * p["budget_ratio"])
    return pd.DataFrame({
        "school_id": province.schools.school_id.iat[school], "year": province.year_list,
        "state_appropriation": state, "per_student_appropriation": np.round(state / full_time),
        "tuition_income": tuition, "total_income": income, "total_expenditure": spent,
        "teaching_expenditure": np.round(spent * p["teaching_expenditure_share"]),
        "aid_received": aid, "aid_disbursed": np.round(aid * p["aid_disbursed_share"]),
        "aid_recipients": np.round(p["aid_recipients_per_student"] * full_time).astype(np.int64),
        "budget": budget, "budget_executed": np.round(budget * p["budget_execution"]),
        **side,
        "enterprise_practice_funds": np.round(p["practice_funds_per_teacher"] * full_teachers),
    })
