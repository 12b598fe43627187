"""Indicator models: loading and checking the YAML files, the safe expression language.

>>> from diagnostics.models import load_models
>>> models, issues = load_models()
>>> "student_teacher_ratio" in models.indicators
True
"""

from .expr import ExprError, parse
from .loader import default_paths, load_models, validate_paths
from .registry import MeasureRegistry, default_registry
from .spec import Indicator, Measure, ModelIssue, ModelSet, Standard

__all__ = ["ExprError", "parse", "default_paths", "load_models", "validate_paths", "MeasureRegistry",
           "default_registry", "Indicator", "Measure", "ModelIssue", "ModelSet", "Standard"]
