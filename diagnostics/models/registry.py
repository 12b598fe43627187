"""Python measure functions: aggregations a YAML measure cannot express.

A plug-in package declares, in its ``pyproject.toml``::

    [project.entry-points."zhengai.measures"]
    my_measure = "my_package.measures:my_measure"

and a model file refers to it by name (``python: my_measure``).  The function
is called once per layer with an open connection, the ids of the current
data versions to read and the layer, and returns a frame with columns
``school_id, year, unit, value`` and optionally ``numerator, denominator, n``
(``unit`` is ``''`` at school layer, the program code at program layer)::

    def my_measure(conn, version_ids, layer):
        ...

A plug-in that fails to load does not stop the others: its name and the
error are kept in :attr:`MeasureRegistry.failures` and reported as model issues.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

import pandas as pd
from sqlalchemy import Connection

GROUP = "zhengai.measures"
MeasureFunction = Callable[[Connection, Sequence[int], str], pd.DataFrame]


class MeasureRegistry:
    """Named measure functions, from entry points or registered in code.

    >>> reg = MeasureRegistry()
    >>> reg.register("zero", lambda conn, ids, layer: None)
    >>> "zero" in reg
    True
    """

    def __init__(self) -> None:
        self.functions: dict[str, MeasureFunction] = {}
        self.failures: dict[str, str] = {}  # name -> why it could not be loaded
        self.loaded = False

    def register(self, name: str, function: MeasureFunction) -> None:
        self.functions[name] = function
        self.failures.pop(name, None)

    def load_entry_points(self, group: str = GROUP) -> MeasureRegistry:
        """Load every plug-in of ``group``; a broken one is recorded, never raised."""
        for ep in entry_points(group=group):
            try:
                function = ep.load()
                if not callable(function):
                    raise TypeError(f"{ep.value} is not callable")
            except Exception as exc:  # noqa: BLE001 - a broken plug-in must not stop the others
                self.failures[ep.name] = f"{type(exc).__name__}: {exc}"
                continue
            self.functions[ep.name] = function
        self.loaded = True
        return self

    def get(self, name: str) -> MeasureFunction | None:
        return self.functions.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.functions


_DEFAULT: MeasureRegistry | None = None


def default_registry() -> MeasureRegistry:
    """The process-wide registry, with the installed plug-ins loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MeasureRegistry().load_entry_points()
    return _DEFAULT
