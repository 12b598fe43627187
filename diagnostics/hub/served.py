"""``zhengai hub`` in a subprocess, for the browser tests and the service benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..app.served import ServerError, free_port, stop_group


class HubServed:
    """A running ``zhengai hub`` over a given database; :meth:`url` gives an address on it."""

    def __init__(self, db_url: str, home: Path, log: Path, env: dict[str, str] | None = None,
                 options: tuple[str, ...] = ()) -> None:
        self.port, self.log, self.home = free_port(), log, home
        self.db_url = db_url
        env = {**os.environ, **(env or {}), "ZHENGAI_DB_URL": db_url, "ZHENGAI_HOME": str(home),
               "PYTHONUNBUFFERED": "1"}
        for var in ("ZHENGAI_SHARED", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_API_URL"):
            env.pop(var, None)
        command = [sys.executable, "-m", "diagnostics.cli", "hub", "--port", str(self.port), *options]
        with log.open("w") as out:
            self.proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=home,
                                         start_new_session=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self, timeout: float = 120) -> float:
        """Wait until the hub answers its login page; the seconds it took."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise ServerError(f"zhengai hub stopped:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url("/hub/login"), timeout=5) as answer:
                    if answer.status == 200:
                        return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.5)
        raise ServerError(f"the hub was not ready in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def processes(self) -> list:
        """The hub and everything it started (proxy, culler, people's servers, their kernels)."""
        import psutil

        root = psutil.Process(self.proc.pid)
        return [root, *root.children(recursive=True)]

    def kernels(self) -> int:
        """How many kernels run under the hub now."""
        return sum(1 for p in self.processes() if _runs(p, "ipykernel_launcher"))

    def servers(self) -> int:
        """How many people's servers run under the hub now."""
        return sum(1 for p in self.processes() if _runs(p, "jupyterhub-singleuser"))

    def memory_mb(self, shared_once: bool = False) -> float:
        """Resident memory of the hub and all it started, in MB.

        ``shared_once``: proportional set size (PSS: a page shared by n processes counts 1/n in each), so
        that the libraries every kernel maps count once in the sum; else the plain sum of resident sizes.
        """
        total = 0
        for p in self.processes():
            try:
                total += p.memory_full_info().pss if shared_once else p.memory_info().rss
            except Exception:  # a process that ended meanwhile
                pass
        return total / 2**20

    def stop(self) -> None:
        """Stop the hub, then anything it started that outlived it (by process id)."""
        if self.proc.poll() is not None:
            return
        started = self.processes()[1:]
        stop_group(self.proc)
        for p in started:
            try:
                p.kill()
            except Exception:  # already gone
                pass


def _runs(proc: object, what: str) -> bool:
    try:
        return what in " ".join(proc.cmdline()) and proc.status() != "zombie"  # type: ignore[attr-defined]
    except Exception:  # ended meanwhile
        return False
