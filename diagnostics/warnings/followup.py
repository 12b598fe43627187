"""Follow-up of warnings (跟进, DHIS2: mark for follow-up, comment, close with a reason).

The follow-ups themselves live in the workflow store and are changed only through the access layer
(:class:`diagnostics.access.Access`: ``mark_follow_up``, ``comment_follow_up``, ``close_follow_up``,
``follow_ups``), which checks the user's scope and writes the audit log.  This module ties them to
warnings: a warning is followed under its key (school, year, layer, unit, indicator) with method ''
(the warning as a whole, whatever methods raised it), and the open follow-ups of a school are its
work queue, shown with the warning each one is about.
"""

from __future__ import annotations

import pandas as pd

from .rollup import WARNING_KEY

FOLLOW_KEY = [*WARNING_KEY, "method"]


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(indicator_id=frame["indicator_id"].fillna("").astype(str),
                        unit=frame["unit"].fillna("").astype(str),
                        year=pd.to_numeric(frame["year"]).astype("Int64"))


def mark(access: object, warning: pd.Series | dict, note: str | None = None) -> dict:
    """Mark one warning (a row of ``WarningResult.warnings``) for follow-up; returns the follow-up."""
    indicator, unit = warning["indicator_id"], warning["unit"]
    return access.mark_follow_up(str(warning["school_id"]), int(warning["year"]),
                                 None if pd.isna(indicator) or indicator == "" else str(indicator),
                                 layer=str(warning["layer"]), unit="" if pd.isna(unit) else str(unit), method="",
                                 note=note)


def with_follow_ups(warnings: pd.DataFrame, follow_ups: pd.DataFrame) -> pd.DataFrame:
    """``warnings`` with the id and status of the follow-up of each (NaN where none)."""
    if follow_ups.empty:
        return warnings.assign(follow_up_id=pd.NA, follow_up_status=pd.NA)
    fu = _keyed(follow_ups[follow_ups["method"].fillna("") == ""])
    fu = fu.sort_values("id").drop_duplicates(WARNING_KEY, keep="last")
    fu = fu[[*WARNING_KEY, "id", "status"]].rename(columns={"id": "follow_up_id", "status": "follow_up_status"})
    merged = _keyed(warnings).merge(fu, on=WARNING_KEY, how="left")
    return merged.assign(indicator_id=merged["indicator_id"].replace("", None))


def queue(access: object, warnings: pd.DataFrame, school: str | None = None) -> pd.DataFrame:
    """The open follow-ups (of ``school``), oldest first, each with its warning's severity and message."""
    open_ = access.follow_ups(school, status="open")
    if open_.empty:
        return open_
    shown = _keyed(warnings)[[*WARNING_KEY, "severity", "methods", "message_zh", "message_en"]]
    return _keyed(open_).merge(shown, on=WARNING_KEY, how="left")
