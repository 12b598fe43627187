"""A sample province: status data in the contract format with planted faults.

``generate(out_dir, schools=30, years=5, seed=2024, first_year=2020, scale=1.0)``
writes one CSV per contract table (``shared/status-data.md``) and
``_answer_key.csv`` listing every planted fault (class, school, year, table,
program, indicator, record, detail).  Deterministic for a seed.
"""

from .faults import CLASSES, KEY_COLUMNS
from .generate import ANSWER_KEY, SampleSummary, generate

__all__ = ["ANSWER_KEY", "CLASSES", "KEY_COLUMNS", "SampleSummary", "generate"]
