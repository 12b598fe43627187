"""The researchers' schema: pseudonymised, k-anonymised copies of the store (refreshed by ``zhengai db grant``).

The copies are made through the scoped door as a researcher (:class:`diagnostics.access.Access`), so they
hold exactly what a researcher sees in the apps: school codes instead of ids and names, the schools'
attributes generalised until each combination holds ≥ 5 schools, student rows with birth year instead of
birth date, no ID hash, a re-keyed student pseudonym, and no combination of fewer than 5 students.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, text

RESEARCH_SCHEMA = "research"
RESEARCHER_NAME = "research-schema"  # keys the student pseudonyms of the shared copies
STATUS_TABLES = ("students", "graduates", "internships", "programs")


def research_frames(engine: Engine) -> dict[str, pd.DataFrame]:
    """The frames a researcher may read, by table name."""
    from ..access import Access, Role, User

    door = Access(engine, User(RESEARCHER_NAME, Role.RESEARCHER))
    frames = {"schools": door.schools(), "indicator_values": door.indicator_values()}
    for name in STATUS_TABLES:
        frames[name] = door.status_table(name)
    return frames



def refresh_research(engine: Engine, group: str) -> dict[str, int]:
    """Rewrite the ``research`` schema and let ``group`` (the researchers' role) read it, and nothing else."""
    frames = research_frames(engine)
    quoted = '"' + group.replace('"', '""') + '"'
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {RESEARCH_SCHEMA}"))
        for name, frame in frames.items():
            conn.execute(text(f'DROP TABLE IF EXISTS {RESEARCH_SCHEMA}."{name}"'))
            frame.to_sql(name, conn, schema=RESEARCH_SCHEMA, index=False)
        conn.execute(text(f"REVOKE ALL ON SCHEMA {RESEARCH_SCHEMA} FROM PUBLIC"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {RESEARCH_SCHEMA} TO {quoted}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {RESEARCH_SCHEMA} TO {quoted}"))
    return {name: len(frame) for name, frame in frames.items()}
