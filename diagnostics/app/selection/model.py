"""State of the selection page (遴选); no widgets.

The province officer's list of a year: the schools selected on the composite index, every eligible
school with its score, rank and 90 % rank interval, the probability of the top ``k`` when the
weights vary, the schools whose place depends on the weights, and the ineligible ones with the reason.
Read through the scoped door (:meth:`diagnostics.access.Access.selection`: province officers only).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from traitlets import Int

from ..base import AppModel


class SelectionModel(AppModel):
    """The year and the computed list of that year."""

    year = Int(0)
    version = Int(0)

    def __init__(self, ctx: Any = None, year: int | None = None, top: int | None = None) -> None:  # noqa: ANN401
        super().__init__(ctx)
        self.access = self.ctx.access
        self.top = top
        self.years = sorted({int(y) for y in self.access.reported_school_years()["year"]})
        self.frame = pd.DataFrame()
        self.spec = None
        self.observe(lambda _c: self.load(), "year")
        self.year = int(year or (self.years[-1] if self.years else 0))

    def load(self) -> None:
        """Compute the list of the year (an error, e.g. a user who is not a province officer, is the notice)."""
        self.frame = pd.DataFrame()
        with self.guarded():
            self.frame = self.access.selection(self.year, top=self.top, models=self.ctx.models)
            self.spec = self.frame.attrs["spec"]
            self.top = self.frame.attrs["top"]
        self.version += 1

    def selected(self) -> pd.DataFrame:
        return self.frame[self.frame["selected"]] if len(self.frame) else self.frame

    def eligible(self) -> pd.DataFrame:
        return self.frame[self.frame["eligible"]] if len(self.frame) else self.frame

    def weight_dependent(self) -> pd.DataFrame:
        return self.frame[self.frame["depends_on_weights"]] if len(self.frame) else self.frame

    def ineligible(self) -> pd.DataFrame:
        return self.frame[~self.frame["eligible"]] if len(self.frame) else self.frame
