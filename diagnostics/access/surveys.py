"""Online surveys (在线数据调查) through the scoped door: open, close, sync into the store, status.

Who may: whoever may import a school's data (school staff for their school, the province).  Opening
issues single-use links (the clear tokens are returned once and never stored); closing refuses every
unused link and writes the results into the store.  The results enter the status data as an import of
the ``surveys`` table for that school-year — validated, versioned and audited like any import — so that
``zhengai compute`` picks them up.  Precedence: the online results of a survey replace that survey's rows
(the same ``surveys.survey`` code) of the school-year; rows of other surveys are kept.  A later import of a
``surveys`` table replaces the table as every import does; ``status`` then shows ``in_store`` false and
``sync_survey`` writes the online results again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Connection, insert, select

from ..store.schema import schools
from ..store.surveys_schema import survey_links, survey_rounds
from ..surveys import results
from ..surveys.instruments import instrument
from ..surveys.links import new_token, token_hash
from .base import Entity, Row, action
from .data import DataMixin
from .errors import InvalidChange, NotFound

if TYPE_CHECKING:
    from ..io.importer import ImportResult

ROUND = Entity("survey_round", survey_rounds, "在线调查", frozenset({"status", "links"}))
MAX_LINKS = 10_000
STATUS_COLUMNS = ["school_id", "year", "survey", "feeds", "status", "links", "responses", "response_rate",
                  "respondents", "satisfied", "satisfaction", "margin_of_error", "indicator_id",
                  "indicator_value", "in_store"]


class SurveysMixin(DataMixin):
    """Survey rounds of the schools in scope."""

    def _round(self, conn: Connection, school_id: str, year: int, survey: str) -> Row | None:
        r = survey_rounds
        row = conn.execute(select(r).where(r.c.school_id == school_id, r.c.year == int(year),
                                           r.c.survey == survey)).mappings().first()
        return dict(row) if row else None

    @action("import", "write")
    def open_survey(self, school_id: str, year: int, survey: str, links: int) -> Row:
        """Open (or reopen) the survey of a school-year and issue ``links`` new single-use links.

        Returns the round with ``tokens``: the clear tokens, shown this once and stored only hashed.
        """
        inst = instrument(survey)
        if not 1 <= int(links) <= MAX_LINKS:
            raise InvalidChange(f"链接数应在 1 到 {MAX_LINKS} 之间", f"links must be between 1 and {MAX_LINKS}")
        tokens = [new_token() for _ in range(int(links))]

        def work(conn: Connection) -> Row:
            self._check_school(conn, school_id)
            if conn.execute(select(schools.c.school_id).where(schools.c.school_id == school_id)).first() is None:
                raise NotFound(f"学校 {school_id} 不在库中", f"no school {school_id} in the store")
            current = self._round(conn, school_id, year, inst.name_zh)
            if current is None:
                row = self._create(conn, ROUND, {"school_id": school_id, "year": int(year), "survey": inst.name_zh,
                                                 "feeds": inst.feeds, "status": "open", "links": len(tokens)},
                                   "open_survey")
            else:
                row = self._update(conn, ROUND, current["id"], current["version"],
                                   {"status": "open", "links": current["links"] + len(tokens)}, "open_survey")
            conn.execute(insert(survey_links), [{"token_sha256": token_hash(t), "round_id": row["id"], "used": False}
                                                for t in tokens])
            return row

        return {**self._run(ROUND, "open_survey", work), "tokens": tokens}

    @action("import", "write")
    def close_survey(self, school_id: str, year: int, survey: str) -> tuple[Row, ImportResult | None]:
        """Close the survey (its unused links are refused from now on) and write its results into the store."""
        name = instrument(survey).name_zh

        def work(conn: Connection) -> Row:
            self._check_school(conn, school_id)
            current = self._round(conn, school_id, year, name)
            if current is None:
                raise NotFound(f"{school_id} {year} 年度没有{name}调查", f"no {survey} survey of {school_id} {year}")
            if current["status"] == "closed":
                return current
            return self._update(conn, ROUND, current["id"], current["version"], {"status": "closed"}, "close_survey")

        row = self._run(ROUND, "close_survey", work)
        return row, self.sync_survey(school_id, year, survey)

    @action("import", "write")
    def sync_survey(self, school_id: str, year: int, survey: str) -> ImportResult | None:
        """Write the survey's results so far into the store's ``surveys`` table (None: no answer yet).

        The rows go through the importer (validation, a new data version only if they changed, audit).
        """
        name = instrument(survey).name_zh
        with self.engine.connect() as conn:
            self._check_school(conn, school_id)
            current = self._round(conn, school_id, year, name)
            if current is None:
                raise NotFound(f"{school_id} {year} 年度没有{name}调查", f"no {survey} survey of {school_id} {year}")
            online = results.online_rows(conn, [current["id"]])
        if online.empty:
            return None
        stored = self._table("surveys", [school_id], int(year))
        kept = stored[stored["survey"] != current["feeds"]].reindex(columns=results.SURVEY_COLUMNS)
        merged = pd.concat([kept, online], ignore_index=True)
        with tempfile.TemporaryDirectory(prefix="zhengai-survey-") as tmp:
            folder = Path(tmp) / f"在线调查-{school_id}-{int(year)}-{name}"
            folder.mkdir()
            merged.to_csv(folder / "surveys.csv", index=False, encoding="utf-8")
            return self.import_data(folder)

    @action("read", "read")
    def survey_status(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Each survey round in scope with its response rate, satisfaction, margin of error, the indicator
        value computed from the store beside it, and whether the store holds its current results."""
        with self.engine.connect() as conn:
            ids = self._schools_for(conn, school)
            rounds = pd.read_sql(self._select(survey_rounds, ids, year).order_by(
                survey_rounds.c.school_id, survey_rounds.c.year, survey_rounds.c.survey), conn)
            submitted = results.responses(conn, rounds["id"].tolist())
            rows = [self._status_row(conn, r, submitted.get(r["id"], 0)) for r in rounds.to_dict("records")]
            return self._frame(conn, pd.DataFrame(rows, columns=STATUS_COLUMNS))

    def _status_row(self, conn: Connection, r: Row, submitted: int) -> Row:
        online = results.online_rows(conn, [r["id"]])
        inst = instrument(r["survey"])
        stored = self._table("surveys", [r["school_id"]], int(r["year"]))
        stored = stored[stored["survey"] == r["feeds"]]
        key = ["item", "respondents", "satisfied"]
        in_store = (not online.empty and len(stored) == len(online)
                    and stored[key].astype(str).sort_values(key).values.tolist()
                    == online[key].astype(str).sort_values(key).values.tolist())
        value = None
        if inst.indicator:
            values = self._values([r["school_id"]], int(r["year"]), "school")
            hit = values[values["indicator_id"] == inst.indicator]["value"] if len(values) else []
            value = round(float(hit.iloc[0]), 1) if len(hit) and pd.notna(hit.iloc[0]) else None
        return {**{k: r[k] for k in ("school_id", "year", "survey", "feeds", "status", "links")},
                **results.round_figures(r["links"], submitted, online),
                "indicator_id": inst.indicator or "", "indicator_value": value, "in_store": bool(in_store)}
