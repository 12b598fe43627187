"""Issue 13, the dashboards' files: the per-kernel cache is Parquet in a private folder, verified before
use (a planted pickle or garbage is ignored, never run); staged uploads are private and removed."""

from __future__ import annotations

import pickle
import stat
from pathlib import Path

import pandas as pd
from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app.data import load_frames
from diagnostics.app.dataimport import ImportModel
from diagnostics.io.export import current_table
from diagnostics.store import home


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


class Planted:
    """Unpickling this creates ``marker``: the proof that a cache file was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (open, (str(self.marker), "w"))


def same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name, value in a.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[name], check_index_type=False)
        else:
            assert value == b[name], name


def entries() -> list[Path]:
    return sorted(p for p in (home() / "cache").glob("app-*") if p.suffix != ".lock")


def test_the_cache_is_parquet_private_and_gives_back_the_same_frames(ctx):  # noqa: F811
    first = load_frames(ctx)
    (entry,) = entries()
    assert mode(home() / "cache") == 0o700 and mode(entry) == 0o700
    files = sorted(entry.iterdir())
    assert files and all(mode(f) == 0o600 for f in files)
    assert {f.suffix for f in files} == {".parquet", ".json"}
    assert not list((home() / "cache").rglob("*.pickle"))
    same(first, load_frames(ctx))  # read back from the cache entry


def test_a_planted_pickle_or_garbage_is_ignored_never_run(ctx, tmp_path):  # noqa: F811
    first = load_frames(ctx)
    (entry,) = entries()
    marker = tmp_path / "executed"
    # the old cache's file name, and a pickle inside the entry named as one of its files
    entry.with_name(entry.name + ".pickle").write_bytes(pickle.dumps(Planted(marker)))
    (entry / "0.parquet").write_bytes(pickle.dumps(Planted(marker)))
    same(first, load_frames(ctx))  # the digest does not match: read from the store again
    assert not marker.exists()
    (entry,) = entries()
    (entry / "manifest.json").write_text('{"format": 1, "frames": {"schools": {"file": "x.pickle", '
                                         '"kind": "frame", "sha256": "0"}}}')
    same(first, load_frames(ctx))
    (entry,) = entries()
    (entry / "manifest.json").write_bytes(b"\x80\x04garbage")
    same(first, load_frames(ctx))
    (entry,) = entries()
    entry.chmod(0o755)  # a folder others can read is not trusted either
    same(first, load_frames(ctx))
    assert not marker.exists()
    assert all(mode(e) == 0o700 for e in entries())


def test_uploads_are_private_and_removed_after_import(ctx):  # noqa: F811
    m = ImportModel(ctx)
    folder = m._dir
    assert mode(folder) == 0o700
    schools = current_table(ctx.engine, "schools").drop(columns=["batch_id"], errors="ignore")
    m.add_files([("schools.csv", schools.to_csv(index=False).encode("utf-8"))])
    assert mode(folder / "schools.csv") == 0o600
    m.clear()
    assert mode(folder) == 0o700 and not list(folder.iterdir())
    m.add_files([("schools.csv", schools.assign(name=schools["name"] + "（新）").to_csv(index=False).encode())])
    assert m.validate(), m.summary
    assert m.start_import()
    m.job.wait(300)
    assert m.job.state == "done", m.job.error
    assert m.stage == "imported" and m.files == [] and not list(folder.iterdir())  # nothing kept
    template = m.template()
    assert template[:2] == b"PK" and not list(folder.iterdir())
    m.close()
    assert not folder.exists()
