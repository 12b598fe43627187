"""Who the current user is: local mode, the OS account of a shared deployment, the hub's verified user;
``zhengai user`` (add, list, passwd).  No variable a person can set names the user."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from import_helpers import run_cli

from diagnostics.access import Access, PermissionDenied, Role, User, resolve_user
from diagnostics.access.passwords import PASSWORD_FILE_ENV, verify_password
from diagnostics.access.roles import HUB_ENVS, SHARED_ENV, os_account

SETTABLE = ("JUPYTERHUB_USER", "ZHENGAI_USER")  # variables a person could set: they must change nothing
ADMIN = User("admin", Role.PROVINCE)


@pytest.fixture(autouse=True)
def _no_identity(monkeypatch, tmp_path):
    for var in (*SETTABLE, SHARED_ENV, *HUB_ENVS):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(PASSWORD_FILE_ENV, str(tmp_path / "passwords.json"))


@pytest.fixture
def hub(monkeypatch):
    """A stand-in for JupyterHub's API: ``GET /user`` names the owner of the token ``tok-zhang``."""

    class Api(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            known = self.headers.get("Authorization") == "token tok-zhang" and self.path == "/hub/api/user"
            body = json.dumps({"kind": "user", "name": "zhang"} if known else {"message": "forbidden"}).encode()
            self.send_response(200 if known else 403)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("JUPYTERHUB_API_URL", f"http://127.0.0.1:{server.server_port}/hub/api")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "tok-zhang")
    yield server
    server.shutdown()


def test_local_single_user_mode_is_a_province_officer_named_after_the_os_account(engine, monkeypatch):
    user = resolve_user(engine)
    assert (user.name, user.role, user.local) == (os_account(), Role.PROVINCE, True)
    Access(engine, ADMIN).add_user("wang", "school", school_id="S1")
    for var in SETTABLE:  # naming a registered user in the environment changes nothing
        monkeypatch.setenv(var, "wang")
    monkeypatch.setenv("USER", "wang")
    monkeypatch.setenv("LOGNAME", "wang")
    assert resolve_user(engine) == user


def test_in_a_hub_server_the_user_is_the_one_the_hub_names(engine, hub, monkeypatch):
    access = Access(engine, ADMIN)
    access.add_user("zhang", "expert", schools=["S1", "S2"])
    access.add_user("prov1", "province")
    for var in SETTABLE:  # a variable naming a province officer is ignored: the hub decides
        monkeypatch.setenv(var, "prov1")
    monkeypatch.setenv(SHARED_ENV, "0")
    user = resolve_user(engine)
    assert (user.name, user.role, user.schools, user.local) == ("zhang", Role.EXPERT, frozenset({"S1", "S2"}),
                                                                False)
    with pytest.raises(PermissionDenied, match="cannot act as prov1"):
        resolve_user(engine, "prov1")
    access.add_user("zhang", "expert", schools=["S1"], active=False)
    with pytest.raises(PermissionDenied, match="not registered or inactive"):
        resolve_user(engine)


def test_a_token_the_hub_does_not_know_is_refused(engine, hub, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "forged")
    monkeypatch.setenv("JUPYTERHUB_USER", "zhang")
    with pytest.raises(PermissionDenied, match="could not confirm"):
        resolve_user(engine)


def test_a_shared_deployment_has_no_local_mode_and_no_override(engine, monkeypatch):
    monkeypatch.setenv(SHARED_ENV, "1")
    with pytest.raises(PermissionDenied, match="not registered"):  # the OS account is not registered
        resolve_user(engine)
    access = Access(engine, ADMIN)
    access.add_user(os_account(), "school", school_id="S1")
    access.add_user("prov1", "province")
    for var in SETTABLE:
        monkeypatch.setenv(var, "prov1")
    user = resolve_user(engine)
    assert (user.name, user.role, user.local) == (os_account(), Role.SCHOOL, False)
    with pytest.raises(PermissionDenied, match="cannot act as prov1"):
        resolve_user(engine, "prov1")


def test_zhengai_user_add_list_and_passwd(db_url, capsys, monkeypatch):
    run = run_cli(capsys, db_url, "user", "add", "wang", "--role", "school", "--school", "S1")
    assert run.code == 0 and "wang" in run.out and "S1" in run.out
    assert run_cli(capsys, db_url, "user", "add", "zhou", "--role", "city", "--city", "江州市").code == 0
    assert run_cli(capsys, db_url, "user", "add", "e1", "--role", "expert", "--school", "S1",
                   "--school", "S2").code == 0
    listed = run_cli(capsys, db_url, "user", "list")
    assert listed.code == 0
    lines = {line.split()[0]: line.split() for line in listed.out.splitlines()[1:]}
    assert lines["wang"][:3] == ["wang", "school", "S1"] and "江州市" in lines["zhou"]
    assert "S1,S2" in lines["e1"]
    bad = run_cli(capsys, db_url, "user", "add", "c", "--role", "city")
    assert bad.code == 2 and "city" in bad.err
    assert run_cli(capsys, db_url, "user", "add", "x", "--role", "school").code == 2

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    assert run_cli(capsys, db_url, "user", "passwd", "wang", "--password-stdin").code == 0
    assert verify_password("wang", "correct horse") and not verify_password("wang", "wrong horse")
    assert "correct horse" not in (open(__import__("os").environ[PASSWORD_FILE_ENV]).read())
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run_cli(capsys, db_url, "user", "passwd", "wang", "--password-stdin").code == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a fine password\n"))
    unknown = run_cli(capsys, db_url, "user", "passwd", "nobody", "--password-stdin")
    assert unknown.code == 2 and "not registered" in unknown.err

    # a shared deployment: the OS account registered as school staff may not manage users, whatever it sets
    run_cli(capsys, db_url, "user", "add", os_account(), "--role", "school", "--school", "S1")
    run_cli(capsys, db_url, "user", "add", "prov1", "--role", "province")
    monkeypatch.setenv(SHARED_ENV, "1")
    monkeypatch.setenv("ZHENGAI_USER", "prov1")
    monkeypatch.setenv("JUPYTERHUB_USER", "prov1")
    denied = run_cli(capsys, db_url, "user", "add", "x", "--role", "province")
    assert denied.code == 1 and "not allowed" in denied.err
    assert run_cli(capsys, db_url, "user", "list").code == 1


def test_in_the_dashboards_service_the_user_is_the_owner_of_the_requests_token(engine, hub, monkeypatch):
    from diagnostics.access.roles import REQUEST_TOKEN_ENV

    access = Access(engine, ADMIN)
    access.add_user("zhang", "school", school_id="S1")
    access.add_user("prov1", "province")
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN")  # the service keeps its own token out of the kernels
    monkeypatch.setenv(SHARED_ENV, "1")
    monkeypatch.setenv(REQUEST_TOKEN_ENV, "tok-zhang")
    monkeypatch.setenv("HTTP_X_ZHENGAI_USER", "prov1")  # a name beside the token decides nothing
    assert resolve_user(engine).name == "zhang"
    monkeypatch.setenv(REQUEST_TOKEN_ENV, "tok-forged")  # a token the hub does not know names no one
    with pytest.raises(PermissionDenied, match="could not confirm the current user"):
        resolve_user(engine)
