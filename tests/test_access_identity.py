"""Who the current user is (local mode, JupyterHub, configured identity) and ``zhengai user``."""

from __future__ import annotations

import getpass

import pytest
from import_helpers import run_cli

from diagnostics.access import Access, PermissionDenied, Role, User, resolve_user
from diagnostics.access.roles import SHARED_ENV


@pytest.fixture(autouse=True)
def _no_identity(monkeypatch):
    for var in ("JUPYTERHUB_USER", "ZHENGAI_USER", SHARED_ENV):
        monkeypatch.delenv(var, raising=False)


def test_local_single_user_mode_is_a_province_officer_named_after_the_os_user(engine):
    user = resolve_user(engine)
    assert (user.name, user.role, user.local) == (getpass.getuser(), Role.PROVINCE, True)


def test_a_shared_deployment_maps_the_jupyterhub_user_to_their_role(engine, monkeypatch):
    Access(engine, User("admin", Role.PROVINCE)).add_user("zhang", "expert", schools=["S1", "S2"])
    monkeypatch.setenv("JUPYTERHUB_USER", "zhang")
    user = resolve_user(engine)
    assert (user.name, user.role, user.schools, user.local) == ("zhang", Role.EXPERT, frozenset({"S1", "S2"}),
                                                                False)
    monkeypatch.setenv("ZHENGAI_USER", "nobody")  # a configured identity wins, and must be registered
    with pytest.raises(PermissionDenied, match="not registered"):
        resolve_user(engine)
    monkeypatch.delenv("ZHENGAI_USER")
    Access(engine, User("admin", Role.PROVINCE)).add_user("zhang", "expert", schools=["S1"], active=False)
    with pytest.raises(PermissionDenied):
        resolve_user(engine)


def test_a_shared_deployment_without_a_user_name_is_refused(engine, monkeypatch):
    monkeypatch.setenv(SHARED_ENV, "1")
    with pytest.raises(PermissionDenied, match="shared deployment"):
        resolve_user(engine)


def test_zhengai_user_add_and_list(db_url, capsys, monkeypatch):
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
    monkeypatch.setenv("JUPYTERHUB_USER", "wang")  # school staff may not manage users
    denied = run_cli(capsys, db_url, "user", "list")
    assert denied.code == 1 and "not allowed" in denied.err
