"""The dashboards' per-kernel cache of frames, without pickle.

A cache entry is a folder (mode 0700) holding one Parquet file per frame and a ``manifest.json``
naming each file with its SHA-256; every file is 0600.  An entry is used only when the folder and
every file in it belong to this user, nobody else can write them, and every digest matches; anything
else (a planted pickle, a garbage file, a file changed after it was written) is ignored, removed
when it is ours, and the frames are read from the store again.  Parquet files are read by pyarrow
≥ 14.0.1, which runs no code from a file; no cached file is ever unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd

from ..store.files import private_dir, private_temp_dir, write_private

MANIFEST = "manifest.json"
FORMAT = 1


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ours(path: Path, mode: int) -> bool:
    """``path`` is a regular file or folder (no link) of this user with exactly ``mode``."""
    try:
        st = path.lstat()
    except OSError:
        return False
    kind = stat.S_ISDIR(st.st_mode) if mode == 0o700 else stat.S_ISREG(st.st_mode)
    return kind and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == mode


def _as_frame(value: object) -> tuple[str, pd.DataFrame]:
    if isinstance(value, pd.DataFrame):
        return "frame", value
    if isinstance(value, dict):  # {(key, parts…): value}: the program names
        keys = list(value)
        width = len(keys[0]) if keys and isinstance(keys[0], tuple) else 1
        rows = [(*(k if isinstance(k, tuple) else (k,)), v) for k, v in value.items()]
        return "mapping", pd.DataFrame(rows, columns=[*(f"k{i}" for i in range(width)), "value"])
    raise TypeError(f"cannot cache {type(value).__name__}")


def _from_frame(kind: str, frame: pd.DataFrame) -> object:
    if kind == "frame":
        return frame
    keys = frame.columns[:-1]
    values = frame["value"].tolist()
    if len(keys) == 1:
        return dict(zip(frame[keys[0]].tolist(), values))
    return dict(zip(zip(*(frame[k].tolist() for k in keys)), values))


def _nested(frame: pd.DataFrame) -> list[str]:
    """Object columns holding lists or dicts (a flag's evidence): kept as JSON text."""
    return [c for c in frame.columns if frame[c].dtype == object
            and frame[c].map(lambda v: isinstance(v, list | dict | tuple)).any()]


def _default(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _encode(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if not columns:
        return frame
    out = frame.copy()
    for c in columns:
        out[c] = frame[c].map(lambda v: json.dumps(v, ensure_ascii=False, default=_default))
    return out


def _decode(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for c in columns:
        frame[c] = frame[c].map(json.loads).astype(object)
    return frame


def save(entry: Path, frames: dict[str, object]) -> bool:
    """Write ``frames`` as the cache ``entry`` (a folder, replaced whole); False when one cannot be."""
    private_dir(entry.parent)
    tmp = private_temp_dir(prefix=f".{entry.name}.", parent=entry.parent)
    try:
        listed = {}
        for n, (name, value) in enumerate(frames.items()):
            kind, frame = _as_frame(value)
            nested = _nested(frame)
            path = tmp / f"{n}.parquet"
            _encode(frame, nested).to_parquet(path)
            path.chmod(0o600)
            listed[name] = {"file": path.name, "kind": kind, "json": nested, "sha256": _digest(path)}
        write_private(tmp / MANIFEST, json.dumps({"format": FORMAT, "frames": listed}).encode("utf-8"))
        shutil.rmtree(entry, ignore_errors=True)
        tmp.rename(entry)
        return True
    except (OSError, TypeError, ValueError, ImportError, ArithmeticError):  # pyarrow's errors are ValueErrors
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def load(entry: Path) -> dict[str, object] | None:
    """The frames of the cache ``entry`` when it is sound and ours (see the module doc), else None."""
    if not _ours(entry, 0o700) or not _ours(entry / MANIFEST, 0o600):
        return None
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            return None
        out = {}
        for name, item in manifest["frames"].items():
            path = entry / Path(str(item["file"])).name
            if path.suffix != ".parquet" or not _ours(path, 0o600) or _digest(path) != item["sha256"]:
                return None
            out[name] = _from_frame(str(item["kind"]), _decode(pd.read_parquet(path), list(item["json"])))
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError):
        return None


def discard(path: Path) -> None:
    """Remove a cache entry or stray file of ours (a foreign one is left, and never read)."""
    try:
        st = path.lstat()
    except OSError:
        return
    if st.st_uid != os.getuid():
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
