"""The tiny province with imported survey rows, and the people who run its surveys."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from tiny_data import write_tiny

from diagnostics.access import Access, Role, User

PROV = User("prov", Role.PROVINCE)
WANG = User("wang", Role.SCHOOL, school_id="S1")
# imported survey rows: the graduate survey at 80 %, the student survey at 90 %
SURVEYS = """school_id,year,survey,item,respondents,satisfied
S1,2024,毕业生,母校总体满意度,50,40
S1,2024,学生,课堂教学,100,90
"""


def import_world(engine: Engine, folder: Path) -> Engine:
    """Import the tiny data set with ``SURVEYS`` into ``engine``."""
    result = Access(engine, PROV).import_data(write_tiny(folder, tables={"surveys": SURVEYS}))
    assert result.ok, result.to_text()
    return engine
