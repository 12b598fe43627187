"""The dashboards service's parts without a browser: its hub configuration (access to the service only,
no server of one's own), the request marks it hands a kernel (the hub's, never the browser's), who owns a
kernel, and the hub token kept out of the kernels' environment."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from tornado.httputil import HTTPHeaders

from diagnostics.hub import service
from diagnostics.hub.config import HubSettings, configure, dashboards_service


def _settings(tmp_path, pool: str = "3", credentials: str = "") -> HubSettings:
    return HubSettings(port=8000, hub_port=8081, proxy_api_port=8001, db_url="sqlite:////srv/store.db",
                       home=str(tmp_path), notebooks=str(tmp_path / "nb"), state=str(tmp_path / "hub"), proxy="chp",
                       credentials=credentials, service_pool=pool, service_port=8765)


def test_people_get_the_dashboards_service_and_nothing_else(tmp_path):
    (svc,), (role,) = dashboards_service(_settings(tmp_path, credentials="/srv/creds"))
    assert svc["name"] == service.SERVICE and svc["url"] == "http://127.0.0.1:8765"
    assert svc["command"][-3:] == [str(tmp_path / "nb"), "--pool=3", "--refill-delay=1"]
    assert svc["environment"]["ZHENGAI_DB_CREDENTIALS"] == "/srv/creds"
    assert "JUPYTER_CONFIG_DIR" not in svc["environment"] and "JUPYTERHUB_USER" not in svc["environment"]
    assert role["name"] == "user" and service.ACCESS_SCOPE in role["scopes"]
    assert not any(s == "self" or s.startswith(("servers", "admin", "tokens")) for s in role["scopes"])


def test_the_hub_leads_to_the_service_only_when_asked(tmp_path):
    from traitlets.config import Config

    c = Config()
    configure(c, _settings(tmp_path))
    assert c.JupyterHub.default_url == service.LANDING_URL
    assert [s["name"] for s in c.JupyterHub.services] == [service.SERVICE, "idle-culler"]
    c = Config()
    configure(c, _settings(tmp_path, pool=""))
    assert "default_url" not in c.JupyterHub and [s["name"] for s in c.JupyterHub.services] == ["idle-culler"]


def _handler(user: str | None, token: str | None, sent: dict[str, str]) -> SimpleNamespace:
    hub_auth = SimpleNamespace(get_token=lambda _h: token)
    return SimpleNamespace(current_user=SimpleNamespace(username=user) if user else None,
                           request=SimpleNamespace(headers=HTTPHeaders(sent)),
                           settings={"identity_provider": SimpleNamespace(hub_auth=hub_auth)})


def test_a_request_carries_the_hubs_person_never_the_browsers_word():
    forged = {service.USER_HEADER: "prov1", service.TOKEN_HEADER: "forged"}
    handler = _handler("schoolA", "tok-a", forged)
    service._mark_request(handler)
    assert handler.request.headers.get_list(service.USER_HEADER) == ["schoolA"]
    assert handler.request.headers.get_list(service.TOKEN_HEADER) == ["tok-a"]
    anonymous = _handler(None, None, forged)
    service._mark_request(anonymous)
    assert service.USER_HEADER not in anonymous.request.headers
    assert service.TOKEN_HEADER not in anonymous.request.headers


def test_a_kernel_belongs_to_the_person_it_was_handed_to():
    from voila.request_info_handler import RequestInfoSocketHandler

    service._record_preheated(RequestInfoSocketHandler)
    service._record_preheated(RequestInfoSocketHandler)  # once only, however often the app is built
    RequestInfoSocketHandler.send_updates({"kernel_id": "k-1", "payload": {service.USER_ENV: "schoolA"}})
    RequestInfoSocketHandler.send_updates({"kernel_id": "k-2", "payload": {}})
    assert service.KernelOwners.allows("k-1", "schoolA")
    assert not service.KernelOwners.allows("k-1", "schoolB") and not service.KernelOwners.allows("k-2", "schoolA")
    assert not service.KernelOwners.allows("", None)
    # a kernel handed out is not culled before its page has connected, however long the build takes (up to
    # PAGE_WAIT); once the page has connected it is culled as any other when left; a pool kernel is Voilà's
    assert service.KernelOwners.awaits_page("k-1") and not service.KernelOwners.awaits_page("k-2")
    service.KernelOwners.handed["k-1"] -= service.PAGE_WAIT - 1  # a slow build: still protected
    assert service.KernelOwners.awaits_page("k-1")
    service.KernelOwners.handed["k-1"] -= 2  # the page never came: culled like any other
    assert not service.KernelOwners.awaits_page("k-1")
    service.KernelOwners.record("k-1", "schoolA")
    service.KernelOwners.reached("k-1")  # the server counted its page's connection
    assert not service.KernelOwners.awaits_page("k-1") and service.KernelOwners.allows("k-1", "schoolA")
    service.KernelOwners.forget("k-1")
    assert not service.KernelOwners.awaits_page("k-1")
    assert not service.KernelOwners.allows("k-1", "schoolA")
    RequestInfoSocketHandler._cache.pop("k-1", None)
    RequestInfoSocketHandler._cache.pop("k-2", None)


def test_a_handed_kernel_is_kept_until_the_server_counts_its_pages_connection():
    """Under load the page's kernel socket arrives seconds before the kernel manager counts it as a
    connection; a kernel idle since it was preheated must not be culled in that gap (it was: 3 of 30
    people in a rush got a dead page and "this kernel is not yours")."""
    import asyncio

    from tornado.web import HTTPError

    culled, connected = [], []

    class Manager:  # the parts of Voilà's kernel manager the service wraps
        async def start_kernel(self, **kwargs):  # noqa: ANN003, ANN202
            return "k-9"

        async def shutdown_kernel(self, kernel_id, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            pass

        async def cull_kernel_if_idle(self, kernel_id):  # noqa: ANN001, ANN202
            culled.append(kernel_id)

        def notify_connect(self, kernel_id):  # noqa: ANN001, ANN202
            connected.append(kernel_id)

    class Route:  # a kernel route (REST or websocket) of the owner, then of someone else
        path_kwargs, path_args = {"kernel_id": "k-9"}, ()
        current_user = SimpleNamespace(username="schoolA")

        async def prepare(self) -> None:
            pass

    manager = Manager()
    service._record_started(manager)
    service.KernelOwners.record("k-9", "schoolA")
    try:
        asyncio.run(service._owned_class(Route)().prepare())  # the owner's socket request: not yet a connection
        asyncio.run(manager.cull_kernel_if_idle("k-9"))
        assert culled == [] and service.KernelOwners.awaits_page("k-9")
        manager.notify_connect("k-9")  # the server counts the connection: from now on culled as any other
        assert connected == ["k-9"] and not service.KernelOwners.awaits_page("k-9")
        asyncio.run(manager.cull_kernel_if_idle("k-9"))
        assert culled == ["k-9"]
        Route.current_user = SimpleNamespace(username="schoolB")
        with pytest.raises(HTTPError):
            asyncio.run(service._owned_class(Route)().prepare())
    finally:
        service.KernelOwners.forget("k-9")


def test_the_service_keeps_its_hub_token_out_of_the_kernels(monkeypatch):
    import os

    launched = {}

    class App:
        @classmethod
        def launch_instance(cls, argv, config):
            launched.update(argv=argv, config=config, token_in_env=os.environ.get("JUPYTERHUB_API_TOKEN"))

    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "svc-secret")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8765")
    monkeypatch.setattr(service, "app_class", lambda: App)
    service.main(["/srv/nb", "--pool", "4"])
    assert launched["token_in_env"] is None and launched["config"].HubOAuth.api_token == "svc-secret"
    assert "--port=8765" in launched["argv"] and f"--Voila.base_url={service.PREFIX}" in launched["argv"]
    pools = launched["config"].VoilaKernelManager.kernel_pools_config
    assert pools["default"]["pool_size"] == 0 and {pools[n]["pool_size"] for n in service.POOLED} == {4}
    assert "index.ipynb" not in pools  # the service renders the landing page itself


def test_a_pool_per_dashboard_or_one_size_for_the_main_ones():
    assert service.parse_pool("4") == {n: 4 for n in service.POOLED}
    assert service.parse_pool("self_diagnosis=16, province=2,review.ipynb=0") == {
        "self_diagnosis.ipynb": 16, "province.ipynb": 2, "review.ipynb": 0}
    for bad in ("", "x", "self_diagnosis=", "../a=2", "index=3", "a=-1"):
        with pytest.raises(ValueError, match="--pool"):
            service.parse_pool(bad)


def test_a_preheated_kernel_waits_again_when_its_first_wait_got_no_request(monkeypatch):
    from diagnostics.app import links

    calls = []

    def wait_for_request():  # the first connection times out on a busy server; the second gets it
        calls.append(1)
        if len(calls) == 2:
            monkeypatch.setenv("SCRIPT_NAME", "/services/dashboards/voila/render/self_diagnosis.ipynb")
            monkeypatch.setenv("QUERY_STRING", "school=S1&year=2024")

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("SCRIPT_NAME", "/left/over")  # a name left from before does not count as a request
    monkeypatch.setattr(links, "wait_for_request", wait_for_request)
    monkeypatch.setattr(links.time, "sleep", lambda _s: None)
    assert links.request_query() == "school=S1&year=2024" and len(calls) == 2


def test_the_request_comes_from_voilas_socket_for_this_kernel(monkeypatch):
    """The kernel's own client asks the socket Voilà names in its variables and takes the request's
    variables, as Voilà's helper would; a socket that does not open leaves the environment as it was."""
    import asyncio
    import json
    import threading

    from websockets.asyncio.server import serve

    from diagnostics.app import links

    asked, ready, stop = [], threading.Event(), threading.Event()
    request = {"SCRIPT_NAME": "/services/dashboards/voila/render/review.ipynb", "QUERY_STRING": "year=2024"}

    async def answer(socket):
        asked.append(socket.request.path)
        await socket.send(json.dumps(request))

    async def main():
        async with serve(answer, "127.0.0.1", 0) as server:
            monkeypatch.setenv("VOILA_APP_PORT", str(server.sockets[0].getsockname()[1]))
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    for key, value in {"VOILA_APP_IP": "127.0.0.1", "VOILA_SERVER_URL": "/services/dashboards/",
                       "VOILA_KERNEL_ID": "k-123"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    monkeypatch.delenv("SCRIPT_NAME", raising=False)
    thread.start()
    assert ready.wait(10)
    try:
        links.wait_for_request()
    finally:
        stop.set()
        thread.join(10)
    assert asked == ["/services/dashboards/voila/query/k-123"]
    assert {k: os.environ[k] for k in request} == request
    monkeypatch.delenv("SCRIPT_NAME")
    monkeypatch.setenv("VOILA_APP_PORT", "9")  # nothing listens: no request, no exception
    links.wait_for_request()
    assert "SCRIPT_NAME" not in os.environ


def test_pool_options_go_with_service_and_are_checked(capsys, tmp_path):
    from import_helpers import run_cli

    url = f"sqlite:///{tmp_path / 'z.db'}"
    for args in (("--pool", "3"), ("--refill-delay", "300")):
        run = run_cli(capsys, url, "hub", *args)
        assert run.code != 0 and "go with --service" in run.err
    run = run_cli(capsys, url, "hub", "--service", "--pool", "index=3")
    assert run.code != 0 and "--pool takes N or board=N" in run.err


def test_the_landing_page_is_the_signed_in_persons_in_their_language(sqlite_engine, monkeypatch):
    from diagnostics.access import Access, Role, User
    from diagnostics.hub.landing_page import landing_document

    monkeypatch.setenv("ZHENGAI_DB_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("ZHENGAI_DB_CREDENTIALS", raising=False)
    Access(sqlite_engine, User("admin", Role.PROVINCE)).add_user("wang", "city", city="九江市")
    zh, en = landing_document("wang", "zh"), landing_document("wang", "en")
    assert "当前用户：wang（city）" in zh and '<html lang="zh-CN">' in zh and "self_diagnosis.ipynb\"" in zh
    assert "User: wang (city)" in en and '<html lang="en">' in en and "self_diagnosis.ipynb?lang=en" in en
    assert "当前用户" not in en
    refused = landing_document("nobody", "zh")  # the hub let them in, zhengai does not know them
    assert "未登记或已停用" in refused and 'class="za-figure"' not in refused
    assert "not registered or inactive" in landing_document("nobody", "en")
    assert landing_document("wang", "<script>") == zh  # an unknown language is Chinese, never echoed


def test_kernels_talk_to_their_server_over_unix_sockets_not_tcp_ports(tmp_path, monkeypatch):
    """A kernel picks free TCP ports and binds them a moment later; when a pool starts 30 kernels at once one
    of them lost that race ("Address already in use"), died, and was still handed to a person whose page
    never came.  The service and ``zhengai serve`` use Unix sockets in Voilà's private folder, unless its
    path leaves no room for a socket's name (107 bytes)."""
    import tempfile

    from diagnostics.commands.serve import voila_argv
    from diagnostics.hub.config import server_config

    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert "--KernelManager.transport=ipc" in service.argv(str(tmp_path), 8765)
    assert "--KernelManager.transport=ipc" in voila_argv(8866, tmp_path, 2)
    monkeypatch.setattr(tempfile, "tempdir", "/srv/" + "deep/" * 10)  # /srv/deep/…/voila_…/kernel-…-ipc-5: 119 bytes
    assert "--KernelManager.transport=tcp" in service.argv(str(tmp_path), 8765)
    assert "--KernelManager.transport=tcp" in voila_argv(8866, tmp_path, 2)
    assert "KernelManager" not in server_config()  # people's servers: a folder under their home, a kernel per page
