"""JupyterHub's sign-in for zhengai: a registered, active user with the right password.

The password is checked against the bcrypt hash that ``zhengai user passwd`` stored
(:mod:`diagnostics.access.passwords`); the session, its cookie and the login form are JupyterHub's.
"""

from __future__ import annotations

import asyncio
from typing import Any

from jupyterhub.auth import Authenticator
from traitlets import Unicode


def registered(db_url: str, name: str) -> bool:
    """Whether ``name`` is a registered, active zhengai user of the store at ``db_url``."""
    from ..access.roles import load_user
    from ..store import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return load_user(conn, name) is not None
    finally:
        engine.dispose()


def check(db_url: str, name: str, password: str) -> bool:
    """A sign-in's verdict: registered, active and the password matches (bcrypt, constant time)."""
    from ..access.passwords import verify_password

    return verify_password(name, password) and registered(db_url, name)


class ZhengaiAuthenticator(Authenticator):
    """Sign in with the name registered by ``zhengai user add`` and the password of ``zhengai user passwd``."""

    db_url = Unicode(config=True, help="The zhengai store whose users may sign in.")

    def normalize_username(self, username: str) -> str:
        return username.strip()  # names are registered as written (JupyterHub would lower-case them)

    def check_allowed(self, username: str, authentication: Any = None) -> bool:  # noqa: ANN401
        # every registered, active user may use the hub: authenticate() already checked it
        return True

    async def authenticate(self, handler: Any, data: dict) -> str | None:  # noqa: ANN401
        name, password = str(data.get("username", "")).strip(), str(data.get("password", ""))
        if not name or not password:
            return None
        ok = await asyncio.get_running_loop().run_in_executor(None, check, self.db_url, name, password)
        if not ok:
            self.log.warning("zhengai: failed sign-in for %s", name)
            return None
        return name
