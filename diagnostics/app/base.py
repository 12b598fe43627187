"""What every dashboard model shares: language, the context, the cached frames, user notices."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from traitlets import HasTraits, Unicode

from ..workflow.errors import BilingualError
from .context import AppContext, get_context
from .data import ProvinceData, province_data
from .i18n import tr
from .jobs import explain

log = logging.getLogger(__name__)


class AppModel(HasTraits):
    """Base of the dashboard models: no widgets, only state (traitlets) and actions (methods).

    ``notice`` / ``notice_kind`` (``ok`` | ``error`` | ``info``) is the one line the view shows after
    an action; an action that fails sets it instead of raising, so a page never shows a traceback.
    """

    lang = Unicode("zh")
    notice = Unicode("")
    notice_kind = Unicode("info")

    def __init__(self, ctx: AppContext | None = None, data: ProvinceData | None = None) -> None:
        super().__init__()
        self.ctx = ctx or get_context()
        self._data = data
        self._checked = 0.0
        self._seen_write = -1  # the newest save of another person when the page last read the store

    @property
    def data(self) -> ProvinceData:
        if self._data is None:
            self._seen_write = self.ctx.last_write()
            self._data = province_data(self.ctx)
        return self._data

    def t(self, key: str) -> str:
        return tr(key, self.lang)

    def tell(self, text: str, kind: str = "info") -> None:
        self.notice_kind, self.notice = kind, text

    @contextmanager
    def guarded(self, done: str | None = None) -> Iterator[None]:
        """Run an action: its error becomes the notice (logged with its traceback), success says ``done``."""
        try:
            yield
        except (BilingualError, ValueError, LookupError, PermissionError) as exc:  # the user's to fix: no traceback in the log
            log.info("action refused: %s", exc)
            self.tell(explain(exc, self.lang), "error")
        except Exception as exc:
            log.exception("action failed")
            self.tell(explain(exc, self.lang), "error")
        else:
            if done:
                self.tell(done, "ok")

    def check_fresh(self, every: float = 30.0) -> None:
        """At most every ``every`` seconds: say so when the store changed since the frames were read."""
        import time

        now = time.monotonic()
        if self._data is None or now - getattr(self, "_checked", 0.0) < every:
            return
        self._checked = now
        try:
            stale = self._data.is_stale() or self.ctx.last_write() != self._seen_write
        except Exception:  # a failed check must not break a page
            log.info("freshness check failed", exc_info=True)
            return
        if stale:
            self.tell(self.t("stale"), "info")

    def reload(self) -> None:
        """Read the store again (after an import or a compute, or when asked)."""
        self._seen_write = self.ctx.last_write()
        self._data = province_data(self.ctx, refresh=True)
