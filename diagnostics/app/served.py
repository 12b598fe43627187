"""``zhengai serve`` in a subprocess, for the browser tests and the dashboard benchmark.

Starts the server on a free port over a given database, waits until every notebook's preheated
kernel is ready (imports done, waiting for a visitor: it reads the store only when asked), measures the memory of the server and its kernels, and stops it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

NOTEBOOKS = ("index", "self_diagnosis", "review", "province", "data_import", "explorer", "spot_check", "selection")
READY = "[zhengai] dashboard {} ready"  # what a preheated kernel writes to the server log, then waits for a visitor
BUILT = "[zhengai] dashboard {} built"  # what a kernel writes when it has built a visitor's dashboard


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(RuntimeError):
    """The server stopped or did not get ready."""


class Served:
    """A running ``zhengai serve``; :meth:`url` gives a dashboard's address."""

    def __init__(self, db_url: str, home: Path, log: Path, pool_size: int = 1) -> None:
        self.port, self.log = free_port(), log
        self.db_url = db_url
        env = {**os.environ, "ZHENGAI_DB_URL": db_url, "ZHENGAI_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        env.pop("ZHENGAI_SHARED", None)
        command = [sys.executable, "-m", "diagnostics.cli", "serve", "--port", str(self.port),
                   "--pool-size", str(pool_size)]
        with log.open("w") as out:
            self.proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def url(self, name: str = "index") -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{name}.ipynb"

    def ready(self, notebook: str) -> int:
        """How many kernels have become ready for ``notebook``'s visitors so far."""
        return self.log.read_text(errors="replace").count(READY.format(notebook))

    def built(self, notebook: str) -> int:
        """How many visitors' ``notebook`` dashboards have been built so far."""
        return self.log.read_text(errors="replace").count(BUILT.format(notebook))

    def wait_ready(self, timeout: float = 600, at_least: dict[str, int] | None = None) -> float:
        """Wait until every notebook's preheated kernel is ready for a visitor; the seconds it took.

        ``at_least``: per notebook, the number of ready kernels to wait for (default 1 each).
        """
        want = {nb: 1 for nb in NOTEBOOKS} | (at_least or {})
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise ServerError(f"zhengai serve stopped:\n{self.log.read_text()[-3000:]}")
            if all(self.ready(nb) >= n for nb, n in want.items()):
                return time.monotonic() - t0
            time.sleep(0.5)
        raise ServerError(f"the dashboards were not ready in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def memory(self) -> dict[str, float]:
        """Resident memory (MB) of the server process and of its kernels (all descendants)."""
        import psutil

        root = psutil.Process(self.proc.pid)
        kids = root.children(recursive=True)
        rss = [p.memory_info().rss for p in kids if p.is_running()]
        return {"server_mb": root.memory_info().rss / 2**20, "kernels": len(rss),
                "kernels_mb": sum(rss) / 2**20, "total_mb": (root.memory_info().rss + sum(rss)) / 2**20}

    def stop(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a server started in its own session, and its process group: politely, then not."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
