"""Spot checks (随机抽查): a reproducible stratified sample of schools and records, the checkers'
outcomes, each school's estimated discrepancy rate with its interval, and warnings above tolerance.

Reads and writes go through :class:`diagnostics.access.Access` (``draw_spot_check``,
``record_spot_check``, ``spot_check_records``, ``spot_check_estimates``); this package holds the
method (:mod:`.draw`), the estimate (:mod:`.estimate`) and the warnings (:mod:`.warnings`).
"""

from .draw import KINDS, DrawSpec, draw_sample, method_text
from .estimate import OUTCOMES, SpotConfig, estimates, load_config, wilson_fpc
from .warnings import METHOD, spot_flags

__all__ = ["KINDS", "METHOD", "OUTCOMES", "DrawSpec", "SpotConfig", "draw_sample", "estimates", "load_config",
           "method_text", "spot_flags", "wilson_fpc"]
