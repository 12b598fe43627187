"""The top-k selection (遴选) through the scoped door: a province officer's task (it ranks every school)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import AccessBase, action


class SelectionMixin(AccessBase):
    """Rank the eligible schools of a year on the composite index (:mod:`diagnostics.selection`)."""

    @action("select", "read")
    def selection(self, year: int, *, index: str | Path | None = None, top: int | None = None,
                  models: object = None) -> pd.DataFrame:
        """Every reporting school of ``year``: eligibility with the reason, score, rank, rank interval,
        probability of the top ``top`` under the weight ranges (``index``: the YAML, default the packaged
        ``top30.yaml``); the parsed index in ``frame.attrs["spec"]``."""
        from ..selection import gather, load_spec, select

        if models is None:
            from ..workflow.indicators import models as loaded

            models = loaded()
        spec = load_spec(index, set(models.indicators))  # type: ignore[attr-defined]
        out = select(spec, gather(self.engine, spec, int(year), models), top)
        with self.engine.connect() as conn:
            out = self._frame(conn, out)
        out.attrs["spec"] = spec
        out.attrs["top"] = int(top or spec.top)
        return out
