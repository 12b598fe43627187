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

from ..lazy import exports

__all__, __getattr__ = exports(__name__, {
    "config": ("Thresholds", "load_thresholds"),
    "flags": ("EXPORT_COLUMNS", "METHODS", "Flag", "flags_frame"),
    "inputs": ("IndicatorMeta", "WarningInputs"),
    "persist": ("load_flags", "load_peer_groups", "save_flags", "set_peer_group"),
    "pipeline": ("run_warnings",),
    "registry": ("detectors", "failures", "make"),
    "result": ("WarningResult",),
    "rollup": ("item_lights", "merge_warnings", "school_lights"),
})
