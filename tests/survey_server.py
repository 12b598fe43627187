"""The survey site of ``zhengai survey serve`` run in a thread of the test process, on a free port."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from diagnostics.surveys.web import make_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def survey_site(engine: Engine) -> Iterator[str]:
    """Serve the form on 127.0.0.1; yield its base URL; stop the server afterwards."""
    port = free_port()
    ready, loop_box = threading.Event(), {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = make_app(engine).listen(port, address="127.0.0.1")
        loop_box.update(loop=loop, server=server)
        ready.set()
        loop.run_forever()
        server.stop()
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop_box["loop"].call_soon_threadsafe(loop_box["loop"].stop)
        thread.join(10)
