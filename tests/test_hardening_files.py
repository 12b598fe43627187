"""Issue 13, the files zhengai keeps and reads: private modes, the ID-hash key, the dashboards' cache,
report file names, model files too big to read, numbers near the largest float."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from import_helpers import assert_clean_output, dump, populate, run_cli, url_of
from tiny_data import SCHOOLS, write_tiny

from diagnostics.io.idnumber import load_secret, secret_path
from diagnostics.reports.build import safe_stem
from diagnostics.reports.svg import nice_ticks
from diagnostics.store import home, make_engine

BOMB = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
                 + ["indicators: [{id: *i, name_zh: *i, unit: *i}]"]) + "\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_home_database_and_key_are_private(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZHENGAI_HOME", str(tmp_path / "home"))
    os.umask(0o022)
    from diagnostics.cli import main

    assert main(["init"]) == 0
    assert mode(home()) == 0o700
    db = home() / "zhengai.db"
    assert mode(db) == 0o600
    for extra in (db.with_name("zhengai.db-wal"), db.with_name("zhengai.db-shm")):
        assert not extra.exists() or mode(extra) == 0o600
    load_secret()
    assert mode(secret_path()) == 0o600
    db.chmod(0o644)  # an older store is tightened when opened
    make_engine(f"sqlite:///{db}").dispose()
    assert mode(db) == 0o600


@pytest.mark.parametrize("content", ["", "abc", "zz" * 40, "00" * 32, "0123" * 16, "x"],
                         ids=["empty", "short", "not-hex", "zeros", "repeated", "one-char"])
def test_a_weak_or_broken_key_is_refused_located_exit_2_store_unchanged(content, sqlite_engine, tmp_path,
                                                                         monkeypatch, capsys):
    populate(sqlite_engine, write_tiny(tmp_path / "existing"))
    before = dump(sqlite_engine)
    key = tmp_path / "weak.key"
    key.write_text(content)
    monkeypatch.setenv("ZHENGAI_SECRET_FILE", str(key))
    tables = {"schools": SCHOOLS.replace("江州职业技术学院", "江州职院")}
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(write_tiny(tmp_path / "new", tables=tables)))
    assert run.code == 2, run.text
    assert str(key) in run.err and "密钥" in run.err and "key" in run.err
    assert_clean_output(run.text)
    assert dump(sqlite_engine) == before


def test_dev_null_as_key_is_refused(sqlite_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZHENGAI_SECRET_FILE", "/dev/null")
    run = run_cli(capsys, url_of(sqlite_engine), "import", str(write_tiny(tmp_path / "new")))
    assert run.code == 2 and "/dev/null" in run.err and "Traceback" not in run.text
    assert dump(sqlite_engine)["students"] == []


def test_a_good_key_of_64_hex_digits_is_used(tmp_path, monkeypatch):
    key = tmp_path / "good.key"
    key.write_text(os.urandom(32).hex() + "\n")
    key.chmod(0o644)
    monkeypatch.setenv("ZHENGAI_SECRET_FILE", str(key))
    assert load_secret() == bytes.fromhex(key.read_text().strip())
    assert mode(key) == 0o600  # tightened


def test_report_file_names_are_one_to_one():
    ids = ["A.B", "A_B", "A/B", "A B", "A..B", "_A_B_", "学校1", "S1"]
    stems = [safe_stem(i, 2024, "报告") for i in ids]
    assert len(set(stems)) == len(ids)
    assert safe_stem("S1", 2024) == "S1_2024" and safe_stem("学校1", 2024) == "学校1_2024"
    assert all("/" not in s and "." not in s for s in stems)


def test_report_all_writes_one_file_per_school_when_ids_look_alike(sqlite_engine, tmp_path, capsys):
    tables = {name: text.replace("S1,", "A.B,").replace("S2,", "A_B,")
              for name, text in _tiny_tables().items()}
    populate(sqlite_engine, write_tiny(tmp_path / "data", tables=tables))
    url = url_of(sqlite_engine)
    assert run_cli(capsys, url, "compute").code == 0
    run = run_cli(capsys, url, "report", "--all", "--year", "2024", "--format", "html", "--out", str(tmp_path / "r"))
    assert run.code == 0, run.text
    written = sorted((tmp_path / "r").glob("*.html"))
    assert len(written) == 2, written
    assert {p.read_text(encoding="utf-8").count("A.B") > 0 for p in written} == {True, False}


def _tiny_tables() -> dict[str, str]:
    import tiny_data

    return {"schools": tiny_data.SCHOOLS, "programs": tiny_data.PROGRAMS, "students": tiny_data.students_csv(),
            "teachers": tiny_data.TEACHERS, "facilities": tiny_data.FACILITIES}


def test_a_yaml_alias_bomb_is_refused_before_any_work(tmp_path, capsys):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 800
    start = time.perf_counter()
    run = run_cli(capsys, "sqlite://", "indicators", "validate", str(bomb))
    assert time.perf_counter() - start < 20  # unbounded, it builds 1.4 GB of messages first
    assert run.code == 2, run.text
    assert "bomb.yaml" in run.out and "别名" in run.out and "aliases" in run.out
    assert "Traceback" not in run.text and "MemoryError" not in run.text


def test_a_model_file_too_large_is_refused_with_its_name(tmp_path, capsys):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 1_100_000 + "\nindicators: []\n", encoding="utf-8")
    run = run_cli(capsys, "sqlite://", "indicators", "validate", str(big))
    assert run.code == 2 and "big.yaml" in run.out and "文件过大" in run.out and "too large" in run.out


def test_the_indicator_explorer_refuses_a_pasted_bomb():
    from diagnostics.app.explorer.trial import check

    trial = check(BOMB)
    assert not trial.ok
    assert any("别名" in i.message_zh and "aliases" in i.message_en for i in trial.issues)


def test_ordinary_aliases_still_load(tmp_path):
    from diagnostics.models.loader import read_yaml

    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {unit: '%', factor: 100}\none: *b\ntwo: *b\n", encoding="utf-8")
    data, issues = read_yaml(path)
    assert issues == [] and data["one"] == data["two"] == {"unit": "%", "factor": 100}


def test_ticks_near_the_largest_float_do_not_overflow():
    assert nice_ticks(12.3, 17.9) == [12.0, 14.0, 16.0, 18.0]
    for low, high in ((0, 1.7e308), (-1.7e308, 1.7e308), (1.6e308, 1.7e308), (-1e308, 0)):
        ticks = nice_ticks(low, high)
        assert ticks and all(t == t and abs(t) < float("inf") for t in ticks)


def test_huge_numbers_are_written_readably():
    from diagnostics.reports.fmt import format_change, format_value

    assert format_value(1.7e308, "%") == "1.700e+308%"
    assert format_value(float("inf")) == "—"
    assert format_change(-1.7e308, "人") == "−1.700e+308"
    assert format_value(4092.88, "元/人") == "4,093"
