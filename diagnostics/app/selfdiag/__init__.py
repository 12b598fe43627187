"""学校自我诊断 School self-diagnosis: the board of a school-year, indicator detail, measures, report."""

from __future__ import annotations

from typing import Any

from .model import SelfDiagnosisModel
from .view import SelfDiagnosisView


def create(ctx: Any = None, **choices: Any) -> SelfDiagnosisView:  # noqa: ANN401
    """The dashboard (model and view); ``choices``: ``school``, ``year``."""
    return SelfDiagnosisView(SelfDiagnosisModel(ctx, **choices))


__all__ = ["SelfDiagnosisModel", "SelfDiagnosisView", "create"]
