"""The dashboards as one JupyterHub service with preheated kernels (``zhengai hub --service``).

A person's own server (the default of ``zhengai hub``) costs a Jupyter server process and a cold
kernel per sign-in: seconds of CPU each, which a province's morning rush cannot wait for.  Here one
Voilà server, started and watched by JupyterHub at ``/services/dashboards/``, serves everyone:

* **Who asks** is JupyterHub's: the page request is authenticated by the hub's OAuth
  (``JupyterHubIdentityProvider``, the one of ``jupyterhub-singleuser``), and only users the hub
  granted ``access:services!service=dashboards`` get in.
* **The landing page** is rendered by the service for the signed-in person (:mod:`.landing_page`): no
  kernel for a page without controls.
* **Preheated kernels** (Voilà's pool) have imported the dashboard and read the indicator models,
  then wait: they read nothing of the store until a request arrives.  The request hands the kernel
  the person's own hub token (header :data:`TOKEN_HEADER`, set here from the authenticated request and
  never from what the browser sent); the kernel asks the hub whose token it is
  (:func:`diagnostics.access.roles.hub_identity`), so a forged value names no one.
* **One person's kernel is theirs**: the server remembers which person each kernel was handed to,
  and its kernel connection, kernel API and shutdown routes answer 403 to everyone else.  Kernels get
  no credential of the service (its hub token is removed from the environment they inherit) and may
  receive the widgets' messages only (no code).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from .config import IOPUB_TIMEOUT, KERNEL_CULL_EVERY, KERNEL_IDLE, TEMPLATE, kernel_transport

SERVICE = "dashboards"
PREFIX = f"/services/{SERVICE}/"
LANDING_URL = PREFIX + "voila/render/index.ipynb"
USER_HEADER, TOKEN_HEADER = "X-Zhengai-User", "X-Zhengai-Token"
USER_ENV = "HTTP_X_ZHENGAI_USER"  # as Voilà names the header in the kernel (roles.REQUEST_TOKEN_ENV: the token)
ACCESS_SCOPE = f"access:services!service={SERVICE}"
DEFAULT_POOL = 2
# seconds before a kernel handed out is replaced in the pool: a rush is served from the pool prepared
# before it, the replacements start when it is over (each costs seconds of CPU the rush needs)
DEFAULT_REFILL = 1.0
# a kernel handed to a person is not culled before its page has connected (on a busy server the page,
# built in the kernel, then loaded by the browser, may take longer than the idle limit), nor longer than this
# when the page never comes (the person closed the tab first)
PAGE_WAIT = 600
# the dashboards a person opens first get the pool; the others start a kernel when asked.  The landing
# page (index.ipynb) needs none: the service renders it (:mod:`.landing_page`)
POOLED = ("self_diagnosis.ipynb", "province.ipynb", "review.ipynb")


class KernelOwners:
    """Which person each kernel was handed to (the server's memory, never the browser's word)."""

    owners: dict[str, str] = {}
    handed: dict[str, float] = {}  # when (time.monotonic), until the page has connected

    @classmethod
    def record(cls, kernel_id: str, user: str | None) -> None:
        if kernel_id and user:
            cls.owners[kernel_id] = user
            cls.handed[kernel_id] = time.monotonic()

    @classmethod
    def reached(cls, kernel_id: str) -> None:
        """The owner's page has connected: from now on the kernel is culled as any other when left."""
        cls.handed.pop(kernel_id, None)

    @classmethod
    def awaits_page(cls, kernel_id: str) -> bool:
        """Handed to a person whose page has not connected yet, less than :data:`PAGE_WAIT` s ago."""
        return kernel_id in cls.handed and time.monotonic() - cls.handed[kernel_id] < PAGE_WAIT

    @classmethod
    def allows(cls, kernel_id: str | None, user: str | None) -> bool:
        return bool(kernel_id and user) and cls.owners.get(kernel_id) == user  # type: ignore[arg-type]

    @classmethod
    def forget(cls, kernel_id: str) -> None:
        cls.owners.pop(kernel_id, None)
        cls.handed.pop(kernel_id, None)


def parse_pool(spec: str) -> dict[str, int]:
    """``--pool``: ``N`` (N kernels for each of :data:`POOLED`) or ``board=N,…`` (dashboard names of
    ``notebooks/``, e.g. ``self_diagnosis=16,province=2,review=2``)."""
    spec = str(spec).strip()
    if spec.isdigit():
        return {name: int(spec) for name in POOLED}
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, size = part.partition("=")
        name = name.strip().removesuffix(".ipynb")
        if not (size.strip().isdigit() and name.replace("_", "").isalnum()) or name == "index":
            raise ValueError(f"--pool 的写法应为 N 或 看板=N,…（如 self_diagnosis=16），而不是 {part!r} / "
                             f"--pool takes N or board=N,… (e.g. self_diagnosis=16), not {part!r}")
        out[f"{name}.ipynb"] = int(size)
    if not out:
        raise ValueError("--pool 为空 / --pool is empty")
    return out


def pools(sizes: dict[str, int]) -> dict[str, Any]:
    """Voilà's ``kernel_pools_config``: ``sizes`` per notebook, none for the rest."""
    config: dict[str, Any] = {"default": {"pool_size": 0}}
    config.update({name: {"pool_size": size} for name, size in sizes.items()})
    return config


def argv(notebooks: str, port: int) -> list[str]:
    """The Voilà command line of the service (the hub gives the port and the prefix)."""
    return [notebooks, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--theme=light",
            f"--template={TEMPLATE}", f"--Voila.base_url={PREFIX}", f"--Voila.server_url={PREFIX}",
            f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE}",
            f"--MappingKernelManager.cull_interval={KERNEL_CULL_EVERY}",
            "--MappingKernelManager.cull_connected=False", f"--KernelManager.transport={kernel_transport()}",
            f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}", "--preheat_kernel=True"]


def _user_of(handler: Any) -> str | None:  # noqa: ANN401 - a tornado handler
    user = handler.current_user
    return getattr(user, "username", None) if user else None


def _mark_request(handler: Any) -> None:  # noqa: ANN401
    """Replace whatever the browser sent as :data:`USER_HEADER` / :data:`TOKEN_HEADER` with the hub's."""
    headers = handler.request.headers
    for name in (USER_HEADER, TOKEN_HEADER):
        while name in headers:
            del headers[name]
    user = _user_of(handler)
    token = handler.settings["identity_provider"].hub_auth.get_token(handler) if user else None
    if user and token:
        headers[USER_HEADER], headers[TOKEN_HEADER] = user, token


async def _prepared(handler: Any, parent: type) -> None:  # noqa: ANN401
    from jupyter_core.utils import ensure_async

    await ensure_async(parent.prepare(handler))


def _page_class(cls: type) -> type:
    class ServicePage(cls):  # type: ignore[valid-type, misc]
        async def prepare(self) -> None:
            await _prepared(self, cls)  # zhengai serve's page: who asks, and the _xsrf cookie
            _mark_request(self)

    return ServicePage


def _owned_class(cls: type) -> type:
    from tornado.web import HTTPError

    class OwnedKernel(cls):  # type: ignore[valid-type, misc]
        async def prepare(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
            await _prepared(self, cls)
            kernel_id = (self.path_kwargs.get("kernel_id") or (self.path_args[0] if self.path_args else "")).strip("/")
            if not KernelOwners.allows(kernel_id, _user_of(self)):
                raise HTTPError(403, "此内核不属于您 / this kernel is not yours")

    return OwnedKernel


def _kernels_only(cls: type) -> type:
    """Voilà's request-info socket (``/voila/query/<kernel>``) hands a kernel its request, the person's hub
    token included: only the kernels, which connect to the service directly, may open it; a connection
    through the hub's proxy (which says whom it forwards for) is refused."""
    from tornado.web import HTTPError

    class KernelsOnly(cls):  # type: ignore[valid-type, misc]
        def prepare(self) -> None:
            if "X-Forwarded-For" in self.request.headers or self.request.remote_ip not in ("127.0.0.1", "::1"):
                raise HTTPError(403, "仅供内核使用 / for the kernels only")

    return KernelsOnly


def _kernel_route(cls: type) -> bool:
    from jupyter_server.services.kernels.handlers import KernelHandler
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    return issubclass(cls, (KernelHandler, KernelWebsocketHandler, VoilaShutdownKernelHandler))


def app_class() -> type:
    """``zhengai serve``'s Voilà, with the hub's sign-in, marked requests and kernels kept to their owner."""
    from jupyterhub.singleuser.extension import JupyterHubAuthorizer, JupyterHubIdentityProvider
    from voila.handler import VoilaHandler
    from voila.request_info_handler import RequestInfoSocketHandler

    from ..commands.serve import make_app_class
    from .landing_page import handler_class as landing_handler

    base = make_app_class()
    _record_preheated(RequestInfoSocketHandler)

    class DashboardsService(base):  # type: ignore[valid-type, misc]
        def init_handlers(self) -> list:
            from jupyter_server.utils import url_path_join

            out = []
            for pattern, cls, *rest in super().init_handlers():
                if not pattern.startswith(self.server_url):  # the hub's OAuth callback and logout
                    pattern = url_path_join(self.server_url, pattern)
                if isinstance(cls, type) and issubclass(cls, VoilaHandler):
                    cls = _page_class(cls)
                elif isinstance(cls, type) and _kernel_route(cls):
                    cls = _owned_class(cls)
                elif isinstance(cls, type) and issubclass(cls, RequestInfoSocketHandler):
                    cls = _kernels_only(cls)
                out.append((pattern, cls, *rest))
            landing = url_path_join(self.server_url, "voila/render/index.ipynb")
            return [(landing, landing_handler()), *out]

        def init_settings(self) -> dict:  # noqa: D102
            settings = super().init_settings()
            _record_started(self.kernel_manager)
            return settings

    DashboardsService.identity_provider_class.default_value = JupyterHubIdentityProvider
    DashboardsService.authorizer_class.default_value = JupyterHubAuthorizer
    return DashboardsService


def _record_preheated(info_handler: type) -> None:
    """A preheated kernel is handed to a person when Voilà sends it the request: remember to whom."""
    if getattr(info_handler.send_updates, "_zhengai", False):
        return
    original = info_handler.send_updates.__func__

    def send_updates(cls: type, msg: dict) -> None:
        KernelOwners.record(msg.get("kernel_id", ""), (msg.get("payload") or {}).get(USER_ENV))
        original(cls, msg)

    send_updates._zhengai = True  # type: ignore[attr-defined]
    info_handler.send_updates = classmethod(send_updates)


def _record_started(kernel_manager: Any) -> None:  # noqa: ANN401
    """A kernel started for a request (the pool was empty) carries the person in its environment; a
    kernel handed to a person is not culled before its page has connected (at most :data:`PAGE_WAIT` s).

    "Connected" is when the kernel manager counts the page's websocket (``notify_connect``), not when the
    socket's request arrives: on a busy server the socket waits seconds for the kernel's first answer
    before it counts, and the culler, which sees a kernel idle since it was preheated and no connection,
    took such kernels in that gap (3 of 30 people in a rush got a dead page)."""
    from jupyter_core.utils import ensure_async

    start, shutdown, cull = kernel_manager.start_kernel, kernel_manager.shutdown_kernel, kernel_manager.cull_kernel_if_idle
    connect = kernel_manager.notify_connect

    async def start_kernel(*args: Any, **kwargs: Any) -> str:  # noqa: ANN401
        kernel_id = await start(*args, **kwargs)
        KernelOwners.record(kernel_id, (kwargs.get("env") or {}).get(USER_ENV))
        return kernel_id

    async def shutdown_kernel(kernel_id: str, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        KernelOwners.forget(kernel_id)
        await ensure_async(shutdown(kernel_id, *args, **kwargs))

    async def cull_kernel_if_idle(kernel_id: str) -> None:
        if not KernelOwners.awaits_page(kernel_id):
            await ensure_async(cull(kernel_id))

    def notify_connect(kernel_id: str) -> None:
        connect(kernel_id)
        KernelOwners.reached(kernel_id)

    kernel_manager.start_kernel, kernel_manager.shutdown_kernel = start_kernel, shutdown_kernel
    kernel_manager.notify_connect = notify_connect
    kernel_manager.cull_kernel_if_idle = cull_kernel_if_idle


def service_config(token: str, pool: dict[str, int], refill_delay: float = DEFAULT_REFILL) -> Any:  # noqa: ANN401 - a traitlets Config
    """The service's own settings: the hub token (kept out of the environment), headers to the kernels,
    the pools."""
    from traitlets.config import Config

    cfg = Config()
    cfg.HubOAuth.api_token = token
    cfg.HubOAuth.access_scopes = {ACCESS_SCOPE}
    cfg.VoilaConfiguration.http_header_envs = [USER_HEADER, TOKEN_HEADER]
    cfg.VoilaKernelManager.kernel_pools_config = pools(pool)
    cfg.VoilaKernelManager.fill_delay = refill_delay
    cfg.Voila.auto_token = True  # the hub's identity provider has no token of its own to be given
    return cfg


def main(args: list[str] | None = None) -> None:
    """Run the service (JupyterHub starts it: ``python -m diagnostics.hub.service NOTEBOOKS``)."""
    from urllib.parse import urlparse

    parser = argparse.ArgumentParser(prog="python -m diagnostics.hub.service")
    parser.add_argument("notebooks")
    parser.add_argument("--pool", type=parse_pool, default=str(DEFAULT_POOL))
    parser.add_argument("--refill-delay", type=float, default=DEFAULT_REFILL)
    opts = parser.parse_args(args)
    port = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"]).port or 80
    # the service's credential stays in this process: kernels inherit the environment
    token = os.environ.pop("JUPYTERHUB_API_TOKEN", "")
    cls = app_class()
    cls.launch_instance(argv=argv(opts.notebooks, port), config=service_config(token, opts.pool, opts.refill_delay))


if __name__ == "__main__":
    main(sys.argv[1:])
