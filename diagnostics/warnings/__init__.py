"""The warning engine (质量预警) and data-integrity checks.

Ten methods — ``standard``, ``target``, ``rule``, ``trend``, ``peer``, ``multivariate``,
``uncertainty``, ``integrity``, ``completeness``, ``benford`` — each produce :class:`Flag` records;
flags of the same unit-indicator-year merge into one warning; warnings roll up to traffic lights per
diagnosis item and per school.  Thresholds live in ``thresholds.yaml`` with their sources, the
contract's consistency rules in ``rules.yaml``; outlier detectors are plug-ins on the scikit-learn
contract (entry-point group ``zhengai.detectors``).

>>> from diagnostics.warnings import run_warnings             # doctest: +SKIP
>>> result = run_warnings(engine)                             # doctest: +SKIP
>>> result.to_frame("warnings")                               # doctest: +SKIP
"""

from .config import Thresholds, load_thresholds
from .flags import EXPORT_COLUMNS, METHODS, Flag, flags_frame
from .inputs import IndicatorMeta, WarningInputs
from .persist import load_flags, load_peer_groups, save_flags, set_peer_group
from .pipeline import run_warnings
from .registry import detectors, failures, make
from .result import WarningResult
from .rollup import item_lights, merge_warnings, school_lights

__all__ = ["EXPORT_COLUMNS", "METHODS", "Flag", "IndicatorMeta", "Thresholds", "WarningInputs", "WarningResult",
           "detectors", "failures", "flags_frame", "item_lights", "load_flags", "load_peer_groups",
           "load_thresholds", "make", "merge_warnings", "run_warnings", "save_flags", "school_lights",
           "set_peer_group"]
