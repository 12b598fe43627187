"""A big folder's tables are staged in worker processes side by side: the outcome (issues in the
tables' order, notes, content hashes, rows, stored pieces) is the one a single process gives."""

from __future__ import annotations

import pandas as pd
import pytest
from broken_cases import set_cell
from tiny_data import PROGRAMS, TEACHERS, write_tiny

from diagnostics.io import sources, stage


def outcome(folder, monkeypatch, workers: int) -> dict:
    monkeypatch.setattr(stage, "WORKERS", workers)
    calls = []
    original = stage._stage_side_by_side
    monkeypatch.setattr(stage, "_stage_side_by_side", lambda *a: calls.append(a) or original(*a))
    with stage.stage(folder) as staged:
        frames = {name: pd.concat(list(staged.store.frames(name)), ignore_index=True)
                  for name in staged.tables if staged.store.paths(name)}
        return {"issues": [repr(i) for i in staged.issues],
                "notes": [repr(i) for i in staged.notes], "rows": staged.rows,
                "hashes": {n: t.hashes for n, t in staged.tables.items()},
                "frames": frames, "side_by_side": bool(calls)}


@pytest.fixture
def on_disk(monkeypatch):
    monkeypatch.setattr(sources, "CHUNK_ROWS", 3)
    monkeypatch.setattr(stage, "SPILL_BYTES", 0)


def assert_same(one: dict, many: dict) -> None:
    assert many["side_by_side"] and not one["side_by_side"]
    assert many["issues"] == one["issues"]
    assert many["notes"] == one["notes"]
    assert many["rows"] == one["rows"]
    if one["issues"]:  # nothing will be written: one process stops keeping pieces at the first issue
        return
    assert many["hashes"] == one["hashes"]
    assert many["frames"].keys() == one["frames"].keys()
    for name, frame in one["frames"].items():
        pd.testing.assert_frame_equal(many["frames"][name], frame)


def test_clean_folder_staged_side_by_side_as_in_one_process(on_disk, monkeypatch, tmp_path):
    folder = write_tiny(tmp_path / "in")
    one, many = outcome(folder, monkeypatch, 1), outcome(folder, monkeypatch, 2)
    assert not one["issues"] and one["rows"] > 0 and len(one["frames"]) > 3
    assert_same(one, many)


def test_issues_of_several_tables_keep_their_order(on_disk, monkeypatch, tmp_path):
    teachers = TEACHERS + "S2,2024,U1,专任,学士,中级,是,730301,12,410,1990\n"  # a repeated key
    programs = PROGRAMS.replace("S2,2024,730301,会计事务,财经商贸类,2003,否,50,1",
                                "S2,2024,730301,会计事务,财经商贸类,2003,否,-50,1")
    folder = write_tiny(tmp_path / "in", tables={"teachers": teachers, "programs": programs,
                                                 "students": set_cell("students", 3, "program_code", "99x")})
    one, many = outcome(folder, monkeypatch, 1), outcome(folder, monkeypatch, 3)
    assert len(one["issues"]) >= 3
    assert_same(one, many)


def test_a_zip_is_staged_in_one_process(on_disk, monkeypatch, tmp_path):
    import zipfile

    folder = write_tiny(tmp_path / "in")
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.iterdir():
            z.write(p, p.name)
    assert not outcome(archive, monkeypatch, 2)["side_by_side"]


def test_the_pieces_folder_is_removed_after_side_by_side(on_disk, monkeypatch, tmp_path):
    monkeypatch.setattr(stage, "WORKERS", 2)
    with stage.stage(write_tiny(tmp_path / "in")) as staged:
        folder = staged.store.folder
        assert any(folder.iterdir())
    assert not folder.exists()
