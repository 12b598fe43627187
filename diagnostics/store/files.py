"""Private files and folders: everything zhengai keeps holds personal or derived data.

Folders are made (or tightened to) mode 0700 and files 0600, whatever the umask, so that the
database, the hashing key, the dashboards' cache and staged uploads are readable by their owner
only.  A folder zhengai did not make (a user's ``--out``) is left as it is; the files written into
it are still 0600.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, tighten: bool = True) -> Path:
    """``path`` as a folder of mode 0700 (made with its parents when missing)."""
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if tighten and stat.S_IMODE(path.stat().st_mode) != FOLDER_MODE and path.stat().st_uid == os.getuid():
        path.chmod(FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Set an existing file to mode 0600 (when it is ours)."""
    path = Path(path)
    if path.is_file() and path.stat().st_uid == os.getuid():
        path.chmod(FILE_MODE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (mode 0600 from creation on, replaced atomically)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp makes the file 0600
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def private_tree(path: Path) -> None:
    """Every folder below ``path`` 0700 and every file 0600 (ours only)."""
    root = Path(path)
    if not root.exists():
        return
    private_dir(root)
    for base, dirs, files in os.walk(root):
        for name in dirs:
            private_dir(Path(base) / name)
        for name in files:
            private_file(Path(base) / name)


def private_temp_dir(prefix: str, parent: Path | None = None) -> Path:
    """A new temporary folder of mode 0700 (``mkdtemp`` makes it so); the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def remove_tree(path: Path | None) -> None:
    """Remove a temporary folder and everything in it (nothing when it is gone already)."""
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
