"""Passwords of the shared deployment's sign-in: bcrypt hashes in one file beside the store.

The file (``$ZHENGAI_HOME/hub/passwords.json``, or where ``ZHENGAI_PASSWORD_FILE`` points) maps each
user name to the bcrypt hash of their password; it is written with mode 600, atomically, and never
holds a clear password.  JupyterHub's authenticator (:mod:`diagnostics.hub.auth`) checks sign-ins
against it; ``zhengai user passwd NAME --password-stdin`` sets a password.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import InvalidChange

PASSWORD_FILE_ENV = "ZHENGAI_PASSWORD_FILE"
MIN_LENGTH = 8
MAX_BYTES = 72  # bcrypt reads no further


def password_file() -> Path:
    """Where the password hashes live."""
    from ..store import home

    path = os.environ.get(PASSWORD_FILE_ENV)
    return Path(path).expanduser() if path else home() / "hub" / "passwords.json"


def _load(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def check_strength(password: str) -> None:
    """Refuse a password too short or longer than bcrypt reads."""
    if len(password) < MIN_LENGTH:
        raise InvalidChange(f"密码至少 {MIN_LENGTH} 个字符", f"a password needs at least {MIN_LENGTH} characters")
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise InvalidChange(f"密码不能超过 {MAX_BYTES} 字节", f"a password may have at most {MAX_BYTES} bytes")


def store_password(name: str, password: str, path: Path | None = None) -> None:
    """Hash ``password`` with bcrypt and store it for ``name`` (replacing an earlier one)."""
    import bcrypt

    check_strength(password)
    path = path or password_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    hashes = _load(path)
    hashes[name] = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".passwords-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp: mode 600 from the start
        json.dump(hashes, out, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(tmp, path)


def verify_password(name: str, password: str, path: Path | None = None) -> bool:
    """Whether ``password`` is ``name``'s (False for a user without a password)."""
    import bcrypt

    stored = _load(path or password_file()).get(name)
    if not stored or not password or len(password.encode("utf-8")) > MAX_BYTES:
        return False
    return bcrypt.checkpw(password.encode("utf-8"), stored.encode("ascii"))
