"""Packages that import their parts when a name is first used (PEP 562).

A dashboard kernel that only shows a board must not pay for scikit-learn, SciPy, Word and Excel
writers it never calls: hundreds of MB and seconds per kernel in a shared service.  A package's
``__init__`` keeps its public names and hands them out on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def exports(package: str, parts: dict[str, tuple[str, ...]]) -> tuple[list[str], Callable[[str], Any]]:
    """``__all__`` and ``__getattr__`` of ``package``: each of ``parts`` (submodule → names) on first use."""
    where = {name: module for module, names in parts.items() for name in names}

    def __getattr__(name: str) -> Any:  # noqa: ANN401, N807
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{where[name]}"), name)

    return sorted(where), __getattr__
