"""Spot checks (随机抽查) through the scoped door: draw a sample, record what the checker found, read
the outcomes and the estimated discrepancy rates.

A city officer draws among the schools of its city, the province among all; both record outcomes.
A school sees the records of its own that were already checked, with their outcome — not the ones
still waiting (a spot check announced in advance checks nothing).  Each outcome recorded refreshes
the school-year's ``spotcheck`` warnings and puts a warning above tolerance in the follow-up queue.
"""

from __future__ import annotations

import json

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Connection, insert, select

from ..spotcheck.draw import KIND_KEY, STRATA_FIELDS, DrawSpec, draw_sample, method_text
from ..spotcheck.estimate import DISCREPANCY, ESTIMATE_COLUMNS, OUTCOMES, PENDING, estimates, load_config
from ..spotcheck.warnings import METHOD, spot_flags
from ..store.schema import DATA_TABLES, data_versions, schools
from ..store.spotcheck_schema import spot_records, spot_samples
from . import audit
from .base import AccessBase, Entity, Row, action
from .errors import InvalidChange
from .roles import Role

SPOT_RECORD = Entity("spot_record", spot_records, "抽查记录", frozenset({"outcome", "note"}))
RECORD_COLUMNS = ["id", "sample_id", "school_id", "year", "kind", "record_key", "stratum", "population", "outcome",
                  "note", "updated_by", "updated_at", "version"]


class SpotChecksMixin(AccessBase):
    """Draw spot-check samples, record outcomes, read outcomes and estimates (scoped)."""

    # ---- drawing ----------------------------------------------------------------------------------
    @action("spot_check", "write")
    def draw_spot_check(self, year: int, seed: int, *, schools: int = 10, records: int = 20,
                        strata: tuple[str, ...] = ("city", "level"), kinds: tuple[str, ...] = ("students",),
                        store: bool = True) -> pd.DataFrame:
        """Draw (and with ``store`` keep) a sample among the schools in scope that reported ``year``;
        the sampled records with ``sample_id`` (None when not stored), the seed and the method in
        ``frame.attrs``."""
        with self.engine.connect() as conn:
            scope = self._scope(conn)
            label = f"city:{self.user.city}" if self.user.role == Role.CITY else "province"
            spec = DrawSpec(int(year), int(seed), int(schools), int(records), tuple(strata), tuple(kinds), label)
            frame = _reporting(conn, spec.year, scope)
            sample = draw_sample(spec, frame, lambda s, k: _keys(conn, s, spec.year, k))
        zh, en = method_text(spec)
        sample_id = self._store_sample(spec, sample, zh, en) if store else None
        out = sample.assign(sample_id=sample_id)
        out.attrs.update({"sample_id": sample_id, "seed": spec.seed, "method_zh": zh, "method_en": en,
                          "params": spec.params()})
        return out

    def _store_sample(self, spec: DrawSpec, sample: pd.DataFrame, zh: str, en: str) -> int:
        with self.engine.begin() as conn:
            sample_id = conn.execute(insert(spot_samples).values(
                year=spec.year, seed=spec.seed, params=json.dumps(spec.params(), ensure_ascii=False),
                method=f"{zh}\n{en}", drawn_by=self.user.name, drawn_at=audit.now()).returning(spot_samples.c.id)
            ).scalar_one()
            rows = [{**r, "sample_id": sample_id, "outcome": PENDING, "note": None, **self._stamp(create=True)}
                    for r in sample.to_dict("records")]
            if rows:
                conn.execute(insert(spot_records), rows)
            for school_id, g in sample.groupby("school_id"):
                audit.record(conn, self.user.name, "draw", "spot_sample", sample_id, str(school_id), spec.year,
                             None, {"seed": spec.seed, "records": len(g), "kinds": list(spec.kinds)})
        return int(sample_id)

    # ---- recording ---------------------------------------------------------------------------------
    @action("spot_check", "write")
    def record_spot_check(self, record_id: int, expected_version: int, outcome: str, note: str | None = None) -> Row:
        """Record a checked record's outcome (``confirmed`` or ``discrepancy`` with what was wrong);
        then the school-year's spot-check warnings are refreshed and one above tolerance is followed up."""
        if outcome not in OUTCOMES:
            raise InvalidChange(f"核查结果必须是 {' / '.join(OUTCOMES)}", f"the outcome must be one of {OUTCOMES}")
        note = (note or "").strip() or None
        if outcome == DISCREPANCY and not note:
            raise InvalidChange("存在差错时必须说明差错内容", "a discrepancy needs a note saying what is wrong")
        row = self._edit(SPOT_RECORD, int(record_id), expected_version, {"outcome": outcome, "note": note}, "check")
        self._refresh_spot_warnings(row["school_id"], int(row["year"]))
        return row

    def _refresh_spot_warnings(self, school_id: str, year: int) -> pd.DataFrame:
        from ..warnings.persist import save_flags

        cfg = load_config()
        with self.engine.connect() as conn:
            recs = pd.read_sql(select(spot_records).where(spot_records.c.school_id == school_id,
                                                          spot_records.c.year == year), conn)
            seeds = dict(conn.execute(select(spot_samples.c.id, spot_samples.c.seed)).all())
        flags = spot_flags(estimates(recs, cfg), cfg, seeds)
        save_flags(self.engine, flags, None, school_id, year, [METHOD])
        for f in flags.to_dict("records"):
            self.mark_follow_up(school_id, year, None, layer=f["layer"], unit=f["unit"], method=METHOD,
                                note=f["message_zh"])
        return flags

    # ---- reading ------------------------------------------------------------------------------------
    def _records(self, conn: Connection, sample_id: int | None, school: str | None, year: int | None) -> pd.DataFrame:
        ids = self._schools_for(conn, school)
        query = self._select(spot_records, ids, year)
        if sample_id is not None:
            query = query.where(spot_records.c.sample_id == int(sample_id))
        if self.user.role == Role.SCHOOL:  # a school sees only what was already checked
            query = query.where(spot_records.c.outcome != PENDING)
        order = (spot_records.c.sample_id, spot_records.c.school_id, spot_records.c.kind, spot_records.c.record_key)
        return pd.read_sql(query.order_by(*order), conn)

    @action("read", "read")
    def spot_check_records(self, sample_id: int | None = None, school: str | None = None,
                           year: int | None = None) -> pd.DataFrame:
        """The sampled records in scope (:data:`RECORD_COLUMNS`) with their outcomes."""
        with self.engine.connect() as conn:
            out = self._records(conn, sample_id, school, year)[RECORD_COLUMNS]
            out["updated_at"] = pd.to_datetime(out["updated_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M")
            return self._frame(conn, out)

    @action("read", "read")
    def spot_check_estimates(self, sample_id: int | None = None, school: str | None = None,
                             year: int | None = None) -> pd.DataFrame:
        """Per sample, school and kind: records drawn and checked, discrepancies, the estimated rate and
        its interval (:mod:`diagnostics.spotcheck.estimate`), and ``severity`` of the warning ('' if none)."""
        cfg = load_config()
        with self.engine.connect() as conn:
            est = estimates(self._records(conn, sample_id, school, year), cfg)
            seeds = dict(conn.execute(select(spot_samples.c.id, spot_samples.c.seed)).all())
            flags = spot_flags(est, cfg, seeds)
            severity = {(f["school_id"], f["unit"].split(":", 1)[1]): f["severity"] for f in flags.to_dict("records")}
            est = est.assign(severity=[severity.get((s, k), "") for s, k in zip(est["school_id"], est["kind"])])
            return self._frame(conn, est[[*ESTIMATE_COLUMNS, "severity"]])

    @action("read", "read")
    def spot_samples(self, year: int | None = None) -> pd.DataFrame:
        """The samples that hold records in scope: id, year, seed, params, method, who drew it and when,
        and how many of its records are in scope."""
        with self.engine.connect() as conn:
            recs = self._records(conn, None, None, year)
            counts = recs.groupby("sample_id").size()
            query = select(spot_samples).order_by(spot_samples.c.id)
            if year is not None:
                query = query.where(spot_samples.c.year == int(year))
            samples = pd.read_sql(query, conn)
        samples = samples[samples["id"].isin(counts.index)]
        return samples.assign(records=samples["id"].map(counts).astype(int)).reset_index(drop=True)


def _reporting(conn: Connection, year: int, scope: frozenset[str] | None) -> pd.DataFrame:
    """The schools (in ``scope``) with a current data version of ``year``, with their strata fields."""
    dv = data_versions
    query = (select(schools.c.school_id, *[schools.c[f] for f in STRATA_FIELDS])
             .join(dv, dv.c.school_id == schools.c.school_id)
             .where(dv.c.is_current.is_(True), dv.c.year == int(year)).distinct())
    if scope is not None:
        query = query.where(schools.c.school_id.in_(sorted(scope)))
    return pd.read_sql(query, conn)


def _keys(conn: Connection, school_id: str, year: int, kind: str) -> list[str]:
    t = DATA_TABLES[kind]
    dv = data_versions
    query = (sa.select(t.c[KIND_KEY[kind]]).join(dv, dv.c.id == t.c.version_id)
             .where(dv.c.is_current.is_(True), t.c.school_id == school_id, t.c.year == int(year)))
    return [str(k) for k in conn.execute(query).scalars()]
