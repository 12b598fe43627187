"""The indicator engine: measures pushed into SQL, indicator arithmetic, standards and cards.

>>> from diagnostics.engine import compute, current_values, cards      # doctest: +SKIP
>>> rs = compute(engine, models)                                       # doctest: +SKIP
>>> cards(rs)                                                          # doctest: +SKIP
"""

from .cards import cards
from .compute import compute, current_results
from .persist import current_values, school_info
from .results import ResultSet
from .standards import levels, ratio_score, target_gaps, thresholds

__all__ = ["cards", "compute", "current_results", "current_values", "school_info", "ResultSet", "levels", "ratio_score",
           "target_gaps", "thresholds"]
