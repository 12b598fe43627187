"""Tables of the online surveys (在线数据调查, migration 0011).

``survey_rounds``: one survey of one school-year (the instrument, e.g. 毕业生), open or closed, with the
number of links issued.  ``survey_links``: one single-use link each, kept only as the SHA-256 of its random
token (the clear token is shown once, when the link is issued) and whether it was used — no time, no
address.  ``survey_answers``: one answer to one question, with the ``surveys`` item it feeds, whether it
counts as satisfied, and the day it was given (nothing finer); nothing ties an answer to a link or a person.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .schema import metadata
from .workflow_schema import SCHOOL, _stamps

survey_rounds = Table(
    "survey_rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("school_id", SCHOOL, nullable=False),
    Column("year", Integer, nullable=False),
    Column("survey", String(32), nullable=False),  # the instrument's name, e.g. 毕业生, 在校生
    Column("feeds", String(16), nullable=False),  # the contract's ``surveys.survey`` code it writes
    Column("status", String(8), nullable=False),  # open | closed
    Column("links", Integer, nullable=False),  # links issued so far
    *_stamps(),
    UniqueConstraint("school_id", "year", "survey", name="uq_survey_rounds_key"),
)

survey_links = Table(
    "survey_links",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("round_id", Integer, ForeignKey("survey_rounds.id"), nullable=False),
    Column("used", Boolean, nullable=False),
    Index("ix_survey_links_round", "round_id"),
)

survey_answers = Table(
    "survey_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("survey_rounds.id"), nullable=False),
    Column("question", String(64), nullable=False),
    Column("item", Text, nullable=False),
    Column("choice", Text, nullable=False),
    Column("satisfied", Boolean, nullable=False),
    Column("answered_on", Date, nullable=False),
    Index("ix_survey_answers_round", "round_id"),
)
