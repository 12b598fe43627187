"""Warning flags and the verdict (lights and cards) through the scoped door."""

from __future__ import annotations

import pandas as pd

from .base import AccessBase, action


class VerdictsMixin(AccessBase):
    """What ``zhengai flags`` and ``zhengai status`` print: the stored flags and the verdict, in scope."""

    @action("read", "read")
    def flags(self, school: str | None = None, year: int | None = None, method: str | None = None) -> pd.DataFrame:
        """The stored warning flags of the schools in scope (``diagnostics.warnings.persist.STORED_COLUMNS``)."""
        from ..warnings.persist import load_flags

        with self.engine.connect() as conn:
            ids = self._schools_for(conn, school)
            frame = load_flags(self.engine, school=school, year=year, method=method)
            if ids is not None:
                frame = frame[frame["school_id"].astype(str).isin(ids)]
            return self._frame(conn, frame)

    @action("read", "read")
    def verdict(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The verdict of the schools in scope: ``school_id, year, scope, item, light, red, yellow, card``."""
        from ..engine.persist import school_info
        from ..models import load_models
        from ..warnings.verdict import load_verdict

        with self.engine.connect() as conn:
            ids = self._schools_for(conn, school)
            info = school_info(conn)
            if ids is not None:
                info = info[info["school_id"].astype(str).isin(ids)]
            frame = load_verdict(self.engine, load_models()[0], school=school, year=year, schools=info).status()
            return self._frame(conn, frame)
