"""A person's server in the shared deployment serves the dashboards only.

Loaded as a Jupyter server extension (``diagnostics.hub.lockdown``) beside Voilà: the routes that
would give a person JupyterLab, a terminal, the file API, a new kernel or a running kernel's
controls answer 403 before any other handler sees them.  Code execution through a dashboard's
kernel connection is refused by ``MappingKernelManager.allowed_message_types`` (see
:mod:`.config`); what is left is Voilà rendering the platform's notebooks.
"""

from __future__ import annotations

from typing import Any

from tornado.web import RequestHandler

BLOCKED = (
    r"/(lab|tree|notebooks|edit|terminals|files|view|nbconvert|doc|voila/tree)(/.*)?",
    r"/api/(contents|sessions|terminals|nbconvert|config|kernelspecs|extensions)(/.*)?",
    r"/api/kernels/?",  # starting a kernel, listing kernels
    r"/api/kernels/[^/]+/(restart|interrupt)/?",
)
REFUSAL = "此服务只提供诊改看板，无此功能 / this service offers the dashboards only"


class Refused(RequestHandler):
    """403 with a bilingual reason, for every method."""

    def _refuse(self, *_args: Any) -> None:  # noqa: ANN401
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{REFUSAL}\n")

    get = post = put = patch = delete = head = options = _refuse


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "diagnostics.hub.lockdown"}]


def _load_jupyter_server_extension(server_app: Any) -> None:  # noqa: ANN401 - jupyter_server's ServerApp
    from jupyter_server.utils import url_path_join

    web_app = server_app.web_app
    base = web_app.settings.get("base_url", "/")
    web_app.add_handlers(".*$", [(url_path_join(base, pattern) + "$", Refused) for pattern in BLOCKED])
    rules = web_app.default_router.rules  # tornado put them before its catch-all: move them before everything
    rules.insert(0, rules.pop(-2))
    server_app.log.info("zhengai: dashboards only (%d route patterns refused)", len(BLOCKED))
