"""How ``zhengai hub`` configures JupyterHub: zhengai's sign-in, one dashboards-only server per person.

Everything listens on 127.0.0.1.  Each person's server is spawned by JupyterHub for that person
only (``SimpleLocalProcessSpawner``: no system account per person) and runs Voilà as a Jupyter
server extension, with the page template of ``zhengai serve``; JupyterLab, the terminals, the file
API and code execution are off (:mod:`.lockdown`).  Its kernels are shut when their page closes
(and culled after :data:`KERNEL_IDLE` seconds unconnected); idle servers are stopped by
jupyterhub-idle-culler after :data:`SERVER_IDLE` seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LANDING_URL = "/voila/render/index.ipynb"
# what a service's sign-in asks the hub to tell about the person: their name (and groups)
IDENTIFY_SCOPES = ("read:users:name!user", "read:users:groups!user")
KERNEL_IDLE = 30  # seconds a kernel without a page may live
KERNEL_CULL_EVERY = 15
SERVER_IDLE = 600  # seconds a person's server may stay idle
SERVER_CULL_EVERY = 60
SHARE = Path(__file__).resolve().parents[1] / "app" / "share"
TEMPLATE = "zhengai"  # diagnostics/app/share/voila/templates/zhengai: no CDN, Chinese loading text
IOPUB_TIMEOUT = 120
IPC_PATH_MAX = 107  # bytes in a Unix socket's path (sockaddr_un.sun_path less its final NUL)
LOGIN_NOTE = ("教学工作诊断与改进平台：请用管理员登记的用户名和密码登录。 / "
              "Teaching diagnosis and improvement: sign in with the name and password your administrator registered.")
# what a page may send its kernel: the widgets' messages, never code (execute_request is dropped)
WIDGET_MESSAGES = ["comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request"]
# the Jupyter server extensions a person's server loads: the dashboards and the lockdown, nothing else
EXTENSIONS = {"voila": True, "diagnostics.hub.lockdown": True, "jupyterlab": False, "notebook": False,
              "nbclassic": False, "jupyter_lsp": False, "jupyter_server_terminals": False,
              "notebook_shim": False, "jupyterlab_server": False}


@dataclass(frozen=True)
class HubSettings:
    """What ``zhengai hub`` decides: ports, the store, the folders."""

    port: int
    hub_port: int
    proxy_api_port: int
    db_url: str
    home: str  # ZHENGAI_HOME: the ID-hash secret, the caches, the passwords
    notebooks: str
    state: str  # the hub's own files (its database, cookie secret, generated configuration)
    proxy: str  # the configurable-http-proxy command
    # PostgreSQL: the folder of ``zhengai db grant --passwords DIR``; each person's server then connects
    # with that person's own database role (``DIR/<user>.url``), never with the owner's credential
    credentials: str = ""
    # the dashboards as one hub service with preheated kernels (:mod:`.service`), its ``--pool``; "" for a
    # server per person
    service_pool: str = ""
    service_refill: float = 1.0  # its --refill-delay
    service_port: int = 0


def proxy_command() -> str | None:
    """The configurable-http-proxy that setup.sh installed beside the environment, else one on PATH."""
    local = Path(sys.prefix) / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(local) if local.exists() else shutil.which("configurable-http-proxy")


def kernel_transport() -> str:
    """How Voilà's kernels talk to their server: ``ipc``, Unix sockets in Voilà's private connection folder
    (``voila_XXXXXXXX`` in the temporary folder), when their paths fit a socket's; else ``tcp``.

    Over TCP a kernel picks free ports on 127.0.0.1 and binds them a moment later: when a pool starts 30
    kernels at once, another process can take a port in between, the kernel dies ("Address already in
    use"), and Voilà still hands it to a person whose page never comes.  (People's own servers keep TCP:
    their connection folder is under the person's home, too deep for a socket path, and they start a
    kernel per page, not a pool at once.)"""
    longest = Path(tempfile.gettempdir()) / ("voila_" + "x" * 8) / f"kernel-{'0' * 36}-ipc-5"
    return "ipc" if len(os.fsencode(longest)) <= IPC_PATH_MAX else "tcp"


def server_config() -> dict[str, Any]:
    """The Jupyter configuration of every person's server (``jupyter_server_config.json``)."""
    return {
        # allow_root: the hub started by root spawns the servers as root (SimpleLocalProcessSpawner)
        "ServerApp": {"jpserver_extensions": EXTENSIONS, "terminals_enabled": False, "allow_root": os.getuid() == 0,
                      "default_url": LANDING_URL},
        "MappingKernelManager": {"cull_idle_timeout": KERNEL_IDLE, "cull_interval": KERNEL_CULL_EVERY,
                                 "cull_connected": False, "allowed_message_types": WIDGET_MESSAGES},
        "VoilaConfiguration": {"template": TEMPLATE, "theme": "light"},
        "VoilaExecutor": {"iopub_timeout": IOPUB_TIMEOUT},
    }


def write_files(settings: HubSettings) -> Path:
    """Write the hub's configuration and the servers' configuration under ``settings.state``; the hub's file."""
    state = Path(settings.state)
    server_dir = state / "server-config"
    server_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    (server_dir / "jupyter_server_config.json").write_text(json.dumps(server_config(), indent=1))
    hub_file = state / "jupyterhub_config.py"
    hub_file.write_text("# written by `zhengai hub`: edit diagnostics/hub/config.py instead\n"
                        "import json\n\nfrom diagnostics.hub.config import HubSettings, configure\n\n"
                        f"configure(c, HubSettings(**json.loads({json.dumps(asdict(settings))!r})))  # noqa\n")
    return hub_file


def person_db_url(credentials: str, user: str) -> str:
    """The connection URL of ``user``'s own database role, written by ``zhengai db grant --passwords``."""
    path = Path(credentials) / f"{user}.url"
    if "/" in user or user.startswith(".") or not path.is_file():
        raise PermissionError(f"用户 {user} 没有数据库角色（请运行 zhengai db grant --passwords {credentials}）/ "
                              f"user {user} has no database role (run zhengai db grant --passwords {credentials})")
    return path.read_text(encoding="utf-8").strip()


def server_environment(settings: HubSettings) -> dict[str, Any]:
    """The environment of every person's server and its kernels (no identity in it: the hub tells that).

    With ``settings.credentials`` the store's URL is the person's own (JupyterHub calls the value with
    the spawner), so row-level security holds even if the application layer erred."""
    state = Path(settings.state)
    db_url: Any = settings.db_url
    if settings.credentials:
        db_url = lambda spawner: person_db_url(settings.credentials, spawner.user.name)  # noqa: E731
    return {"ZHENGAI_DB_URL": db_url, "ZHENGAI_HOME": settings.home, "ZHENGAI_SHARED": "1",
            "JUPYTER_CONFIG_DIR": str(state / "server-config"), "JUPYTER_PATH": str(SHARE),
            "PYTHONUNBUFFERED": "1"}


def dashboards_service(settings: HubSettings) -> tuple[list[dict], list[dict]]:
    """JupyterHub's services and roles for one dashboards service for everyone (:mod:`.service`).

    People get access to it and nothing else: sign-in leads to its landing page, and no one gets a
    server of their own."""
    from .service import ACCESS_SCOPE, SERVICE

    env = {k: v for k, v in server_environment(settings).items() if k != "JUPYTER_CONFIG_DIR"}
    if settings.credentials:
        env["ZHENGAI_DB_CREDENTIALS"] = settings.credentials  # diagnostics.app.context.CREDENTIALS_ENV
    return [{
        "name": SERVICE, "url": f"http://127.0.0.1:{settings.service_port}", "oauth_no_confirm": True,
        "command": [sys.executable, "-m", "diagnostics.hub.service", settings.notebooks,
                    f"--pool={settings.service_pool}", f"--refill-delay={settings.service_refill:g}"],
        "environment": env, "cwd": settings.notebooks}], [
        # the default role of every user: the dashboards service only (no server of one's own, no API)
        {"name": "user", "scopes": [ACCESS_SCOPE, *IDENTIFY_SCOPES]}]


def configure(c: Any, settings: HubSettings) -> None:  # noqa: ANN401 - JupyterHub's config object
    """Fill JupyterHub's configuration ``c``."""
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    from .auth import ZhengaiAuthenticator

    state, bin_dir = Path(settings.state), Path(sys.executable).parent
    c.JupyterHub.bind_url = f"http://127.0.0.1:{settings.port}/"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True
    c.ConfigurableHTTPProxy.command = [settings.proxy]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    c.JupyterHub.template_vars = {"announcement_login": LOGIN_NOTE}
    c.JupyterHub.authenticator_class = ZhengaiAuthenticator
    c.ZhengaiAuthenticator.db_url = settings.db_url
    c.Authenticator.admin_users = set()  # no one administers the hub through its pages
    c.JupyterHub.allow_named_servers = False

    c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(state / "people" / "{username}")
    c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
    c.Spawner.notebook_dir = settings.notebooks
    c.Spawner.default_url = LANDING_URL
    c.Spawner.environment = server_environment(settings)
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.JupyterHub.concurrent_spawn_limit = 100

    services, roles = dashboards_service(settings) if settings.service_pool else ([], [])
    if services:
        from .service import LANDING_URL as SERVICE_LANDING

        c.JupyterHub.default_url = SERVICE_LANDING
    c.JupyterHub.services = services + [{"name": "idle-culler", "command": [
        sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={SERVER_IDLE}",
        f"--cull-every={SERVER_CULL_EVERY}"]}]
    c.JupyterHub.load_roles = roles + [{"name": "idle-culler", "services": ["idle-culler"],
                                        "scopes": ["list:users", "read:users:activity", "read:servers",
                                                   "delete:servers"]}]
