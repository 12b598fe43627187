"""``zhengai serve``: the dashboards of ``notebooks/`` served by Voilà on 127.0.0.1, kernels preheated.

The database is passed to the kernels through their environment (``ZHENGAI_DB_URL``,
``ZHENGAI_HOME``); ``/`` opens the landing page.  With preheating (``--preheat_kernel=True
--pool_size=1``, Voilà 0.5) every notebook has a kernel that has already run it when the first
visitor arrives; Voilà starts the next one after each visit.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from pathlib import Path

from ..cli import EXIT_FAIL, command, engine_from
from ..hub.config import IOPUB_TIMEOUT, SHARE, TEMPLATE, kernel_transport

DEFAULT_PORT = 8866
LANDING = "index.ipynb"
REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口 / port (default {DEFAULT_PORT})")
    p.add_argument("--notebooks", type=Path, default=REPO_NOTEBOOKS,
                   help="看板所在文件夹 / folder of the dashboard notebooks")
    p.add_argument("--pool-size", type=int, default=1,
                   help="每个看板预热的内核数 / preheated kernels per dashboard (0: no preheating)")
    p.add_argument("--cull-idle", type=int, default=1800,
                   help="关闭无人连接且空闲多少秒的内核 / shut kernels idle and unconnected for this many seconds")


def voila_argv(port: int, notebooks: Path, pool_size: int = 1, cull_idle: int = 1800) -> list[str]:
    """The Voilà command line of ``zhengai serve``."""
    argv = [str(notebooks), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--theme=light",
            f"--template={TEMPLATE}",
            f"--MappingKernelManager.cull_idle_timeout={cull_idle}", "--MappingKernelManager.cull_interval=300",
            # a dashboard's widgets reach the page as IOPub messages after the cell has run; on a busy
            # server nbclient's default wait (4 s) loses them and the page stays empty
            f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}", f"--KernelManager.transport={kernel_transport()}"]
    if pool_size > 0:
        argv += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return argv


def make_app_class() -> type:
    """Voilà with ``/`` redirected to the landing page instead of the file tree, and pages that can free
    their kernel: a dashboard page sets the ``_xsrf`` cookie that its closing request
    (``POST /voila/api/shutdown/…``) must carry, so a closed page shuts its kernel at once."""
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler
    from voila.app import Voila
    from voila.handler import VoilaHandler

    class ZhengaiVoila(Voila):
        def init_handlers(self) -> list:
            handlers = [_with_xsrf_cookie(h, VoilaHandler) for h in super().init_handlers()]
            landing = url_path_join(self.server_url, "voila/render", LANDING)
            return [(self.server_url, RedirectHandler, {"url": landing}), *handlers]

    return ZhengaiVoila


def _with_xsrf_cookie(handler: tuple, page_class: type) -> tuple:
    """``handler`` with its class made to set the ``_xsrf`` cookie when it is a dashboard page's."""
    pattern, cls, *rest = handler
    if not (isinstance(cls, type) and issubclass(cls, page_class)):
        return handler

    class SetsXsrfCookie(cls):  # type: ignore[valid-type, misc]
        async def prepare(self) -> None:
            done = super().prepare()  # jupyter_server's: who the visitor is
            if inspect.isawaitable(done):
                await done
            self.xsrf_token  # noqa: B018 - reading it sets the cookie the page's shutdown request sends back

    return (pattern, SetsXsrfCookie, *rest)


def dashboards_folder(args: argparse.Namespace) -> Path | None:
    """The folder of the dashboards (``--notebooks``), or None (said on stderr) when it has no landing page."""
    notebooks = args.notebooks.expanduser().resolve()
    if (notebooks / LANDING).is_file():
        return notebooks
    print(f"找不到看板文件夹 / no dashboards at {notebooks}", file=sys.stderr)
    return None


@command("serve", "用 Voilà 在本机提供各看板 / serve the dashboards with Voilà on 127.0.0.1")(_serve_args)
def run_serve(args: argparse.Namespace) -> int:
    from ..store import home

    notebooks = dashboards_folder(args)
    if notebooks is None:
        return EXIT_FAIL
    engine = engine_from(args)
    os.environ["ZHENGAI_DB_URL"] = engine.url.render_as_string(hide_password=False)
    os.environ["ZHENGAI_HOME"] = str(home())
    # Voilà finds its page templates on the Jupyter data path: the platform's own comes first
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), os.environ.get("JUPYTER_PATH", "")) if p)
    engine.dispose()
    print(f"看板地址 / dashboards: http://127.0.0.1:{args.port}/  (Ctrl-C 停止 / to stop)", flush=True)
    make_app_class().launch_instance(argv=voila_argv(args.port, notebooks, args.pool_size, args.cull_idle))
    return 0
