"""Long work (compute, reports, imports) off the kernel's main thread, with progress in traitlets.

A view links a progress bar and a message to a :class:`Job`; the page never freezes, because the
work runs in a thread and only reports ``progress`` (0–1) and ``step`` back.  Tests call
:meth:`Job.wait`.

>>> job = Job()
>>> _ = job.start(lambda report: report(0.5, "half") or 42)
>>> job.wait(); job.state, job.result
('done', 42)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from traitlets import Any as AnyTrait
from traitlets import Float, HasTraits, Unicode

from ..workflow.errors import BilingualError

log = logging.getLogger(__name__)
Report = Callable[[float, str], None]
IDLE, RUNNING, DONE, FAILED = "idle", "running", "done", "failed"


def explain(exc: BaseException, lang: str = "zh") -> str:
    """A message for the user in ``lang``: a bilingual error's own words, a file that cannot be read or
    written said so; never a traceback or an exception's class name."""
    if isinstance(exc, BilingualError):
        return exc.en if lang == "en" else exc.zh
    if isinstance(exc, OSError):
        where = f"：{exc.filename}" if getattr(exc, "filename", None) else ""
        return (f"file could not be read or written{where}" if lang == "en"
                else f"文件无法读取或写入{where}，请检查文件后重试")
    text = str(exc).strip()
    if " / " in text:  # "中文 / English" from the rules of the platform
        zh, _, en = text.partition(" / ")
        return en if lang == "en" else zh
    return text or ("the action failed" if lang == "en" else "操作未能完成，请重试")


class Job(HasTraits):
    """One piece of long work: ``state`` idle → running → done | failed."""

    state = Unicode(IDLE)
    progress = Float(0.0)
    step = Unicode("")
    error = Unicode("")
    result = AnyTrait(None)

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(**kwargs)
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    def start(self, work: Callable[[Report], Any], on_done: Callable[[Any], None] | None = None) -> bool:
        """Run ``work(report)`` in a thread; False (and nothing started) if a run is under way."""
        if self.running:
            return False
        self.set_trait("result", None)
        self.error, self.progress, self.step, self.state = "", 0.0, "", RUNNING

        def report(progress: float, step: str) -> None:
            self.progress, self.step = max(0.0, min(1.0, progress)), step

        def run() -> None:
            try:
                result = work(report)
                if on_done is not None:
                    on_done(result)
            except Exception as exc:  # the user sees the message; the log keeps the traceback
                log.exception("job failed")
                self.error, self.state = explain(exc), FAILED
                return
            self.result, self.progress, self.state = result, 1.0, DONE

        self._thread = threading.Thread(target=run, daemon=True, name="zhengai-job")
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
