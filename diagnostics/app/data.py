"""The dashboards' frames, read once per kernel and indexed, so a change of school or year is a lookup.

:class:`ProvinceData` holds, for the schools in the user's scope: every indicator value judged
against its standards and targets (:func:`diagnostics.reports.indicators.judged`, as the reports
judge them), each value's place among its peers (schools of the same level: quartiles and a
percentile), the warnings (one per problem) and the cards.  Peers are read by the report source as
the platform's system user and reach the dashboards only as aggregates (quartiles, percentiles,
anonymous dots).  Tasks, reviews and follow-ups are *not* cached: they are read live through the
scoped door, so what a user saved is what the next look shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from ..models.spec import VERDICT_ITEMS
from ..reports.indicators import judged
from ..reports.layout import load_layout
from ..warnings.inputs import meta_from_models
from ..warnings.rollup import DATA_QUALITY_ITEM
from ..warnings.verdict import Verdict, decide, school_years
from .context import AppContext

KEY = ["school_id", "year", "layer", "unit", "indicator_id"]
GROUP = ["peer_group", "layer", "year", "indicator_id"]  # the one comparison group (warnings/peers.py)
PEER_MIN = 5  # no peer statistic of fewer schools (issue 12; thresholds.yaml peer.group_min_size)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Key columns in one form: ids and units as text ('' for none), years as int."""
    frame = frame.copy()
    frame["school_id"] = frame["school_id"].astype(str)
    frame["unit"] = frame["unit"].fillna("").astype(str)
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").fillna(-1).astype(int)
    return frame


def _plain(record: dict) -> dict:
    """A row with missing scalars as None (not NaN), so it can be stored and compared."""
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}


def signed(values: pd.DataFrame, models: object) -> pd.Series:
    """Values turned so that larger is always better (lower-is-better indicators negated)."""
    lower = values["indicator_id"].map(
        lambda i: i in models.indicators and not models.indicators[i].higher_is_better).astype(bool)
    return values["value"].astype(float).where(~lower, -values["value"].astype(float))


def percentiles(peers: pd.DataFrame, models: object) -> pd.Series:
    """Each value's percentile among its peers (0 = the worst, 100 = the best of the group)."""
    score = signed(peers, models)
    groups = score.groupby([peers[c] for c in GROUP])
    rank, count = groups.rank(method="average"), groups.transform("count")
    return ((rank - 1) / (count - 1).where(count > 1) * 100).where(count > 1)


def _read(ctx: AppContext) -> dict:
    """Read and judge every frame (the slow part: seconds on a province)."""
    from ..access import Role
    from ..reports.source import with_attributes

    access, source, models = ctx.access, ctx.source, ctx.models
    schools = access.schools().astype({"school_id": str}).reset_index(drop=True)
    attrs = schools.reindex(columns=["school_id", "level", "category", "founded"])
    raw = _keyed(access.indicator_values())
    raw = raw[raw["value"].notna()].reset_index(drop=True)
    values = judged(raw, models, attrs, _keyed(access.effective_targets()))
    values["school_level"] = values["school_id"].map(dict(zip(attrs["school_id"], attrs["level"])))
    if ctx.user.role == Role.PROVINCE:  # the scope is the province: the peers are these values
        peers = with_attributes(raw, schools)
    else:  # aggregates of every school, read by the report source as the system user
        peers = _keyed(source.province_values(None))
        peers = peers[peers["value"].notna()].reset_index(drop=True)
    group_of = dict(zip(peers["school_id"], peers["peer_group"]))
    values["peer_group"] = values["school_id"].map(group_of).fillna(values["school_level"])
    peers["percentile"] = percentiles(peers, models)
    q = peers.groupby(GROUP)["value"]
    quartiles = pd.DataFrame({"peer_q1": q.quantile(0.25), "peer_median": q.median(),
                              "peer_q3": q.quantile(0.75), "peer_n": q.count()})
    small = quartiles["peer_n"] < PEER_MIN  # a median of 2 is the other school's exact value: none shown
    quartiles.loc[small, ["peer_q1", "peer_median", "peer_q3"]] = float("nan")
    values = values.merge(peers[[*KEY, "percentile"]], on=KEY, how="left").merge(
        quartiles.reset_index(), on=GROUP, how="left")
    warnings = source.warnings()
    warnings = _keyed(warnings) if len(warnings) else warnings.assign(unit="")
    programs = access.status_table("programs")
    names = {(str(s), int(y), str(c)): str(n) for s, y, c, n in zip(
        programs["school_id"], pd.to_numeric(programs["year"]), programs["program_code"], programs["program_name"])}
    reported = access.reported_school_years().astype({"school_id": str})
    years = pd.DataFrame({"year": sorted({*map(int, peers["year"]), *map(int, reported["year"])})})
    return {"schools": schools, "values": values, "peers": peers, "quartiles": quartiles, "warnings": warnings,
            "reported": reported, "years": years, "program_names": names}


def load_frames(ctx: AppContext) -> dict:
    """The frames of ``ctx``, from a cache entry when the store has not changed since they were read.

    The entry (``$ZHENGAI_HOME/cache/``, see :mod:`.cache`: Parquet, never pickle) is keyed by the
    database, the user and the store's fingerprint, so a new kernel (another browser tab) starts in a
    fraction of a second.
    """
    import hashlib

    from ..store import home
    from ..store.files import private_dir
    from . import cache

    who = hashlib.sha256(repr((ctx.url, ctx.user)).encode()).hexdigest()[:16]
    state = hashlib.sha256(repr((ctx.models.version, ctx.stamp())).encode()).hexdigest()[:16]
    folder = private_dir(home() / "cache")  # derived data: as private as the store
    entry = folder / f"app-{who}-{state}"
    with _locked(folder / f"app-{who}.lock"):  # kernels starting together read the store once
        frames = cache.load(entry)
        if frames is not None:
            return frames
        frames = _read(ctx)
        for old in folder.glob(f"app-{who}-*"):  # older states, a broken entry, an old pickle
            cache.discard(old)
        cache.save(entry, frames)
        return frames


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` between processes (POSIX ``flock``; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class ProvinceData:
    """Judged values, peer statistics, warnings and cards of the schools in scope (see the module doc)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.models = ctx.models
        self.layout = load_layout(ctx.models)
        self.items = (*self.layout.school.items, DATA_QUALITY_ITEM)
        self.meta = meta_from_models(ctx.models)
        self.stamp = ctx.stamp()
        frames = load_frames(ctx)
        self.schools, self.values, self.peers = frames["schools"], frames["values"], frames["peers"]
        self.quartiles, self.warnings = frames["quartiles"], frames["warnings"]
        self.program_names = frames["program_names"]
        # the one verdict (lights, cards) of every school-year in scope, as every view and export shows it
        owed = school_years(frames["reported"], self.schools, frames["years"]["year"].tolist())
        self.verdict: Verdict = decide(self.warnings, self.meta, owed, VERDICT_ITEMS, self.values)
        found = self.verdict.schools
        self.cards = found.loc[found["card"] != "", ["school_id", "year", "card", "card_reasons"]].rename(
            columns={"card_reasons": "reasons"}).reset_index(drop=True)
        self._values_by_school = {str(k): g for k, g in self.values.groupby("school_id")}
        self._series: dict[tuple[str, str, str], pd.DataFrame] = {}  # filled on first use
        self._info = {str(r["school_id"]): r for r in self.schools.to_dict("records")}
        self._at = self._index_warnings()

    def _index_warnings(self) -> dict:
        """Warnings per (school, year, layer, unit): the school layer holds the school's own and its data
        checks; the program layer each program's (lists for the boards; the lights are the verdict's)."""
        w = self.warnings
        if w.empty:
            return {}
        school_side = w["layer"].isin(["school", "data"]) | (w["unit"] == "")
        layers, units = w["layer"].where(~school_side, "school"), w["unit"].where(~school_side, "")
        keys = zip(w["school_id"].astype(str), w["year"].astype(int), layers, units)
        at: dict[tuple, list[dict]] = {}
        for key, record in zip(keys, w.to_dict("records")):
            at.setdefault(key, []).append(_plain(record))
        return at

    # ---- lookups ---------------------------------------------------------------------------------
    def school_name(self, school_id: str) -> str:
        return str(self.school(school_id).get("name", school_id))

    def school(self, school_id: str) -> dict:
        return self._info.get(str(school_id), {"school_id": school_id, "name": school_id})

    def series(self, school_id: str, layer: str, unit: str) -> pd.DataFrame:
        """Every year's values of one unit (the school, or one program), sorted by indicator and year."""
        key = (str(school_id), layer, unit)
        if key not in self._series:
            v = self.values_of(school_id)
            self._series[key] = v[(v["layer"] == layer) & (v["unit"] == unit)].sort_values(["indicator_id", "year"])
        return self._series[key]

    def warnings_at(self, school_id: str, year: int, layer: str, unit: str) -> list[dict]:
        """The warnings of one unit in one year (school layer: with the school's data checks)."""
        return self._at.get((str(school_id), int(year), layer, unit if layer != "school" else ""), [])

    def lights_at(self, school_id: str, year: int, layer: str, unit: str) -> dict[str, dict]:
        """Item lights (item → status, red, yellow, info) of the verdict: at the school layer the
        school-year's (every layer counted); at the program layer the program's own warnings."""
        if layer == "school":
            return {i: {**(r := self.verdict.item(school_id, year, i)), "status": r["light"]}
                    for i in self.verdict.item_names}
        return {i: {**r, "status": r["light"]} for i, r in self.verdict.unit_items(school_id, year, layer, unit).items()}

    def values_of(self, school_id: str) -> pd.DataFrame:
        return self._values_by_school.get(str(school_id), self.values.iloc[0:0])

    def years_of(self, school_id: str) -> list[int]:
        return sorted({int(y) for y in self.values_of(school_id)["year"]})

    def programs_of(self, school_id: str, year: int) -> list[tuple[str, str]]:
        """(code, name) of the programs with program-layer values in the school-year."""
        vals = self.values_of(school_id)
        codes = sorted(set(vals.loc[(vals["layer"] == "program") & (vals["year"] == int(year)), "unit"]))
        return [(c, self.program_names.get((str(school_id), int(year), c), "")) for c in codes]

    def program_label(self, school_id: str, year: int, code: str) -> str:
        name = self.program_names.get((str(school_id), int(year), str(code)), "")
        return f"{code} {name}".strip()

    def card(self, school_id: str, year: int) -> tuple[str, str]:
        """The verdict's card and its reasons (不适用 for a 中职 school)."""
        if self.school(school_id).get("level") != "高职":
            return "不适用", ""
        row = self.verdict.school(school_id, year)
        return str(row.get("card") or ""), str(row.get("card_reasons") or "")

    def peer_group(self, school_id: str) -> str:
        """The school's comparison group (:mod:`diagnostics.warnings.peers`)."""
        rows = self.values_of(school_id)
        return str(rows["peer_group"].iloc[0]) if len(rows) else str(self.school(school_id).get("level") or "")

    def peer_values(self, group: str, layer: str, year: int, indicator_id: str) -> np.ndarray:
        """The values of a comparison group (anonymous) at a layer, year and indicator; none for a group of
        fewer than :data:`PEER_MIN` schools (a dot beside one's own would be the other school's value)."""
        p = self.peers
        keep = ((p["peer_group"] == group) & (p["layer"] == layer) & (p["year"] == int(year))
                & (p["indicator_id"] == indicator_id))
        values = p.loc[keep, "value"].to_numpy(dtype=float)
        return values if len(values) >= PEER_MIN else values[:0]

    def province_medians(self, layer: str = "school") -> pd.DataFrame:
        """Median of every indicator per year and school level (and over all schools: level ``全省``)."""
        p = self.peers[self.peers["layer"] == layer]
        by_level = p.groupby(["indicator_id", "school_level", "year"])["value"].agg(["median", "count"])
        overall = p.groupby(["indicator_id", "year"])["value"].agg(["median", "count"]).assign(school_level="全省")
        out = pd.concat([by_level.reset_index(), overall.reset_index()], ignore_index=True)
        out = out[out["count"] >= PEER_MIN]  # no median of fewer schools
        return out.rename(columns={"median": "value"}).drop(columns="count").reset_index(drop=True)

    def is_stale(self) -> bool:
        """Whether the store's computed data changed since these frames were read."""
        return self.ctx.stamp() != self.stamp


_cache: dict[int, ProvinceData] = {}


def province_data(ctx: AppContext, refresh: bool = False) -> ProvinceData:
    """The frames of ``ctx`` (read once per kernel; ``refresh`` or a changed store reads them again)."""
    data = _cache.get(id(ctx))
    if data is None or refresh:
        if refresh:
            ctx.reset()
        data = _cache[id(ctx)] = ProvinceData(ctx)
    return data
