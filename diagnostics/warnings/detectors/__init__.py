"""Detectors on the scikit-learn outlier contract (``fit``, ``score_samples``, ``decision_function``,
``predict``); the registry in :mod:`diagnostics.warnings.registry` finds them and the plug-ins."""

from .base import BaseDetector
from .benford import BenfordFirstDigit
from .multivariate import StandardisedIsolationForest, StandardisedLOF
from .robust import ModifiedZScore, ZScore
from .trend import TrendRatio

__all__ = ["BaseDetector", "BenfordFirstDigit", "ModifiedZScore", "StandardisedIsolationForest",
           "StandardisedLOF", "TrendRatio", "ZScore"]
