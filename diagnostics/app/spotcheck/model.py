"""State and actions of the spot-check page (随机抽查); no widgets.

A checker (city or province) draws a sample, reads its method and seed, records per sampled record
"核实无误" or "存在差错（说明）", and sees each school's estimated discrepancy rate with its interval.
A school sees the records of its own that were checked, with the outcome.  Every read and write goes
through the scoped door (:class:`diagnostics.access.Access`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from traitlets import Int

from ...spotcheck.draw import KINDS
from ..base import AppModel


class SpotCheckModel(AppModel):
    """The year to draw in, the sample shown, and a counter bumped when anything shown changes."""

    year = Int(0)
    sample = Int(0)  # 0: none
    version = Int(0)

    def __init__(self, ctx: Any = None, year: int | None = None, sample: int | None = None) -> None:  # noqa: ANN401
        super().__init__(ctx)
        self.access = self.ctx.access
        reported = self.access.reported_school_years()
        self.years = sorted({int(y) for y in reported["year"]})
        self.year = int(year or (self.years[-1] if self.years else 0))
        self.names = dict(zip(self.access.schools()["school_id"].astype(str), self.access.schools()["name"]))
        self._samples = pd.DataFrame()
        self.load(sample)

    @property
    def can_check(self) -> bool:
        return self.ctx.user.can("spot_check")

    @property
    def default_seed(self) -> int:
        return int(dt.date.today().strftime("%Y%m%d"))

    def load(self, sample: int | None = None) -> None:
        """Read the samples in scope; show ``sample`` (default: the latest)."""
        self._samples = self.access.spot_samples()
        ids = [int(i) for i in self._samples["id"]] if len(self._samples) else []
        self.sample = int(sample) if sample in ids else (ids[-1] if ids else 0)
        self.version += 1

    def samples(self) -> pd.DataFrame:
        return self._samples

    def sample_row(self) -> dict | None:
        found = self._samples[self._samples["id"] == self.sample] if len(self._samples) else self._samples
        return found.iloc[0].to_dict() if len(found) else None

    def records(self) -> pd.DataFrame:
        if not self.sample:
            return pd.DataFrame(columns=["id", "school_id", "kind", "record_key", "outcome", "note", "version"])
        return self.access.spot_check_records(sample_id=self.sample)

    def pending(self) -> pd.DataFrame:
        recs = self.records()
        return recs[recs["outcome"] == ""]

    def estimates(self) -> pd.DataFrame:
        return self.access.spot_check_estimates(sample_id=self.sample) if self.sample else pd.DataFrame()

    def draw(self, seed: str, schools: int, records: int, kinds: list[str]) -> None:
        """Draw and keep a sample of the chosen year; it becomes the one shown."""
        with self.guarded():
            try:
                seed_value = int(str(seed).strip())
            except ValueError:
                raise ValueError(self.t_("seed_invalid")) from None
            chosen = [k for k in KINDS if k in kinds]
            drawn = self.access.draw_spot_check(self.year, seed_value, schools=int(schools), records=int(records),
                                                kinds=tuple(chosen) or ("students",))
            self.load(drawn.attrs["sample_id"])
            self.tell(self.t_("drawn").format(n=len(drawn), seed=seed_value), "ok")

    def record(self, record_id: int, outcome: str, note: str) -> bool:
        """Record one outcome; False (with the reason as the notice) when refused."""
        with self.guarded():
            recs = self.records()
            row = recs[recs["id"] == int(record_id)]
            version = int(row["version"].iloc[0]) if len(row) else 1
            self.access.record_spot_check(int(record_id), version, outcome, note)
            self.version += 1
            self.tell(self.t_("recorded"), "ok")
            return True
        return False

    def t_(self, key: str) -> str:
        from .texts import t

        return t(key, self.lang)
