"""What every dashboard shares in a kernel: the store, the user, the scoped door, the models.

The database comes from ``ZHENGAI_DB_URL`` (or ``$ZHENGAI_HOME/zhengai.db``), which ``zhengai serve``
passes to the kernels through their environment; the user is resolved by
:func:`diagnostics.access.resolve_user` (local single-user mode: a province officer).  Every read
and write of the dashboards goes through :attr:`AppContext.access`; peer aggregates are read by
:class:`diagnostics.reports.StoreSource` as the reports read them.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from ..access import Access, User, resolve_user
from ..models import ModelSet, load_models
from ..models.spec import ERROR, ModelIssue
from ..store import default_url, ensure_current, make_engine


@dataclass
class AppContext:
    """The engine, user, scoped door and indicator models of one dashboard session."""

    engine: Engine
    user: User
    models: ModelSet
    model_issues: list[ModelIssue] = field(default_factory=list)
    url: str = ""
    _source: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def access(self) -> Access:
        return Access(self.engine, self.user)

    @property
    def source(self) -> Any:  # noqa: ANN401 - a diagnostics.reports.StoreSource
        """The report data source (its province-wide frames are cached; :meth:`reset` drops them)."""
        with self._lock:
            if self._source is None:
                from ..reports import StoreSource

                self._source = StoreSource(self.engine, self.user, self.models)
            return self._source

    def reset(self) -> None:
        """Forget cached frames (after an import or a compute)."""
        with self._lock:
            self._source = None

    @property
    def model_errors(self) -> list[ModelIssue]:
        return [i for i in self.model_issues if i.level == ERROR]

    def stamp(self) -> tuple:
        """A cheap fingerprint of the computed data: it changes after every import, compute or warning run."""
        from ..store.flags_schema import flags
        from ..store.results_schema import computed_school_years as csy
        from ..store.schema import import_batches
        from ..store.workflow_schema import target_overrides as t

        with self.engine.connect() as conn:
            return (conn.execute(sa.select(sa.func.max(csy.c.run_id))).scalar(),
                    tuple(conn.execute(sa.select(sa.func.max(flags.c.computed_at), sa.func.count())).one()),
                    conn.execute(sa.select(sa.func.max(import_batches.c.id))).scalar(),
                    tuple(conn.execute(sa.select(sa.func.max(t.c.updated_at), sa.func.count())).one()))

    def last_write(self) -> int:
        """The newest audit-log entry written by anyone else: it changes with every save of another person."""
        from ..store.workflow_schema import audit_log

        with self.engine.connect() as conn:
            newest = sa.select(sa.func.max(audit_log.c.id)).where(audit_log.c.actor != self.user.name)
            return int(conn.execute(newest).scalar() or 0)


CREDENTIALS_ENV = "ZHENGAI_DB_CREDENTIALS"  # set by ``zhengai hub --service --db-credentials``


@functools.cache
def indicator_models() -> tuple[ModelSet, list[ModelIssue]]:
    """The indicator models and their issues, read once per kernel (they do not depend on the store)."""
    return load_models()


@functools.cache
def _context(url: str, user_name: str | None) -> AppContext:
    engine = make_engine(url)
    ensure_current(engine)
    user = resolve_user(engine, user_name)
    models, issues = indicator_models()
    return AppContext(engine, user, models, issues, url)


def get_context(url: str | None = None, user: str | None = None) -> AppContext:
    """The context for ``url`` (default: the environment's database) and ``user`` (default: resolved).

    One per database and user in a kernel, so the models are read once.
    """
    return _context(url or person_url() or default_url(), user)


def person_url(name: str | None = None) -> str | None:
    """In the dashboards service over PostgreSQL with per-person roles (``zhengai hub --service
    --db-credentials DIR``): the URL of the database role of ``name`` (default: the signed-in person)."""
    import os

    from ..access.roles import hub_identity
    from ..hub.config import person_db_url

    folder = os.environ.get(CREDENTIALS_ENV, "").strip()
    if not folder:
        return None
    name = name or hub_identity()
    if name is None:
        raise PermissionError("数据库角色需要登录用户 / a database role needs a signed-in person")
    return person_db_url(folder, name)
