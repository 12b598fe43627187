"""The hub's configuration: each person's server gets that person's own database role when the deployment
has one (``zhengai db grant --passwords DIR``), never the owner's credential; without it, the store's URL."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from diagnostics.hub.config import HubSettings, server_environment, write_files


def _settings(tmp_path, credentials: str = "") -> HubSettings:
    return HubSettings(port=8000, hub_port=8081, proxy_api_port=8001, db_url="postgresql+psycopg://owner@h/db",
                       home=str(tmp_path), notebooks=str(tmp_path), state=str(tmp_path / "hub"), proxy="chp",
                       credentials=credentials)


def _spawner(name: str) -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(name=name))


def test_each_server_connects_with_its_persons_role(tmp_path):
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "wang.url").write_text("postgresql+psycopg://db_u_wang:pw@h/db\n")
    env = server_environment(_settings(tmp_path, str(creds)))
    assert env["ZHENGAI_DB_URL"](_spawner("wang")) == "postgresql+psycopg://db_u_wang:pw@h/db"
    assert "owner" not in env["ZHENGAI_DB_URL"](_spawner("wang"))
    for who in ("li", "../wang", ".hidden"):  # no role: no server, and no path tricks
        with pytest.raises(PermissionError):
            env["ZHENGAI_DB_URL"](_spawner(who))


def test_without_credentials_the_store_url_and_the_settings_round_trip(tmp_path):
    assert server_environment(_settings(tmp_path))["ZHENGAI_DB_URL"] == "postgresql+psycopg://owner@h/db"
    (tmp_path / "hub").mkdir()
    hub_file = write_files(_settings(tmp_path, "/srv/creds"))
    assert '"credentials": "/srv/creds"' in hub_file.read_text()
