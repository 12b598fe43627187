"""Single-use survey links: random tokens kept only as their SHA-256, and the anonymous submission.

A token is 32 random bytes from :mod:`secrets` (URL-safe text); the store keeps ``sha256(token)`` and
whether it was used, nothing else.  A respondent needs no account: the token in the link is the only
credential.  A submission marks the link used and stores the answers in one transaction, with the day
they were given (no time, no address, nothing linking an answer to its link); a used link, or a link of
a closed survey, is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Engine, insert, select, update

from ..store.surveys_schema import survey_answers, survey_links, survey_rounds
from .instruments import Instrument, instrument

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh random token for one link (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LinkState(StrEnum):
    OPEN = "open"  # may be answered
    USED = "used"  # already submitted
    CLOSED = "closed"  # the survey was closed
    UNKNOWN = "unknown"  # no such link


@dataclass
class Link:
    """What a token opens: its state, and the survey when it names one."""

    state: LinkState
    instrument: Instrument | None = None
    school_id: str | None = None
    year: int | None = None


@dataclass
class Submission:
    """The outcome of a submission: the link's state, or the questions that still need an answer."""

    state: LinkState
    missing: list[str] = field(default_factory=list)  # required questions left unanswered (ids)
    invalid: list[str] = field(default_factory=list)  # answers that are not a choice of their scale

    @property
    def stored(self) -> bool:
        return self.state == LinkState.USED and not self.missing and not self.invalid


def lookup(engine: Engine, token: str) -> Link:
    """The state of the link of ``token`` (a malformed or unknown token is UNKNOWN)."""
    if not token or len(token) > 200:
        return Link(LinkState.UNKNOWN)
    r = survey_rounds
    query = (select(survey_links.c.used, r.c.status, r.c.survey, r.c.school_id, r.c.year)
             .join(r, r.c.id == survey_links.c.round_id).where(survey_links.c.token_sha256 == token_hash(token)))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return Link(LinkState.UNKNOWN)
    state = LinkState.USED if row.used else LinkState.CLOSED if row.status != "open" else LinkState.OPEN
    return Link(state, instrument(row.survey), row.school_id, row.year)


def check_answers(inst: Instrument, answers: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The required questions without an answer, and the answers that are not a choice of their scale."""
    missing = [q.id for q in inst.questions if q.required and not answers.get(q.id)]
    invalid = [q.id for q in inst.questions if answers.get(q.id) and answers[q.id] not in inst.scale_of(q).choices_zh]
    return missing, invalid


def submit(engine: Engine, token: str, answers: Mapping[str, str], today: dt.date | None = None) -> Submission:
    """Store one respondent's answers (question id -> chosen text) once; refuse a used or closed link."""
    link = lookup(engine, token)
    if link.state != LinkState.OPEN or link.instrument is None:
        return Submission(link.state)
    inst = link.instrument
    missing, invalid = check_answers(inst, answers)
    if missing or invalid:
        return Submission(LinkState.OPEN, missing, invalid)
    day = today or dt.date.today()
    open_rounds = select(survey_rounds.c.id).where(survey_rounds.c.status == "open")
    with engine.begin() as conn:
        claim = (update(survey_links)
                 .where(survey_links.c.token_sha256 == token_hash(token), survey_links.c.used.is_(False),
                        survey_links.c.round_id.in_(open_rounds))
                 .values(used=True).returning(survey_links.c.round_id))
        round_id = conn.execute(claim).scalar()
        if round_id is None:  # someone submitted, or the survey closed, since the lookup
            return Submission(lookup(engine, token).state)
        rows = [{"round_id": round_id, "question": q.id, "item": q.item, "choice": answers[q.id],
                 "satisfied": answers[q.id] in inst.scale_of(q).satisfied, "answered_on": day}
                for q in inst.questions if answers.get(q.id)]
        if rows:
            conn.execute(insert(survey_answers), rows)
    return Submission(LinkState.USED)
