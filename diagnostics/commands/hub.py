"""``zhengai hub``: the shared deployment — JupyterHub on 127.0.0.1 with zhengai's sign-in.

Each registered user (``zhengai user add``) with a password (``zhengai user passwd``) signs in at
``http://127.0.0.1:PORT/`` and gets a server of their own that shows the dashboards only; see
:mod:`diagnostics.hub.config`.  Put an HTTPS reverse proxy in front of it to serve a network.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import EXIT_FAIL, command, engine_from
from .serve import REPO_NOTEBOOKS, dashboards_folder

DEFAULT_PORT = 8000


def _hub_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口 / port (default {DEFAULT_PORT})")
    p.add_argument("--notebooks", type=Path, default=REPO_NOTEBOOKS,
                   help="看板所在文件夹 / folder of the dashboard notebooks")
    p.add_argument("--db-credentials", type=Path, default=None,
                   help="PostgreSQL：zhengai db grant --passwords 写出的文件夹，每人用自己的数据库角色连接 / "
                        "PostgreSQL: the folder written by zhengai db grant --passwords; each person connects "
                        "with their own database role")
    p.add_argument("--service", action="store_true",
                   help="所有人共用一个看板服务（预热内核，登录即开）而非每人一个服务器 / one dashboards service for "
                        "everyone (preheated kernels: pages open at once) instead of a server per person")
    p.add_argument("--pool", default=None,
                   help="--service：预热的内核数，N 为每个主要看板各 N 个，或按看板写 self_diagnosis=16,province=2"
                        "（默认 2）/ with --service: preheated kernels, N for each main dashboard or per dashboard "
                        "as self_diagnosis=16,province=2 (default 2)")
    p.add_argument("--refill-delay", type=float, default=None,
                   help="--service：内核被取用后隔多少秒再补入预热池（默认 1；高峰前备足池、设 300 可把补充推到高峰之后）/ "
                        "with --service: seconds before a used kernel is replaced in the pool (default 1; a pool sized "
                        "for the rush and 300 move the replacements after it)")


def service_pool(args: argparse.Namespace) -> str:
    """The ``--pool`` of ``--service``, checked ("" without ``--service``: a server per person)."""
    from ..hub.service import DEFAULT_POOL, parse_pool

    if not args.service:
        return ""
    spec = str(args.pool if args.pool is not None else DEFAULT_POOL)
    parse_pool(spec)
    return spec


@command("hub", "共享部署：JupyterHub 登录，各人只见自己的看板 / shared deployment: sign-in through JupyterHub")(_hub_args)
def run_hub(args: argparse.Namespace) -> int:
    from ..app.served import free_port
    from ..hub.config import HubSettings, proxy_command, write_files
    from ..hub.service import DEFAULT_REFILL
    from ..store import home

    if (args.pool is not None or args.refill_delay is not None) and not args.service:
        print("--pool 与 --refill-delay 只用于 --service / --pool and --refill-delay go with --service", file=sys.stderr)
        return EXIT_FAIL
    try:
        pool = service_pool(args)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAIL
    notebooks, proxy = dashboards_folder(args), proxy_command()
    if notebooks is None:
        return EXIT_FAIL
    if proxy is None:
        print("找不到 configurable-http-proxy，请运行 scripts/setup.sh --hub / configurable-http-proxy is missing: "
              "run scripts/setup.sh --hub", file=sys.stderr)
        return EXIT_FAIL
    engine = engine_from(args, migrate=True)
    db_url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    state = home() / "hub"
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    settings = HubSettings(port=args.port, hub_port=free_port(), proxy_api_port=free_port(), db_url=db_url,
                           home=str(home()), notebooks=str(notebooks), state=str(state), proxy=proxy,
                           credentials=str(args.db_credentials.resolve()) if args.db_credentials else "",
                           service_pool=pool, service_port=free_port() if args.service else 0,
                           service_refill=max(0.0, args.refill_delay if args.refill_delay is not None else DEFAULT_REFILL))
    config = write_files(settings)
    print(f"登录地址 / sign in at: http://127.0.0.1:{args.port}/  (Ctrl-C 停止 / to stop)", flush=True)
    from jupyterhub.app import JupyterHub

    JupyterHub.launch_instance(argv=["-f", str(config)])
    return 0
