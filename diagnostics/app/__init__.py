"""The dashboards (Voilà): one sub-package per dashboard, each a traitlets model and a widget view.

A notebook under ``notebooks/`` builds one and shows it:

>>> from diagnostics.app import build      # doctest: +SKIP
>>> build("self_diagnosis")                # doctest: +SKIP
"""

from .registry import DASHBOARDS, Dashboard, build, dashboards

__all__ = ["DASHBOARDS", "Dashboard", "build", "dashboards"]
