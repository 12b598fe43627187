"""Helpers for the import tests: run the real CLI, dump the store, read the errors CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from broken_cases import EXTRA_IDS, Case
from sqlalchemy import Engine, MetaData, select
from tiny_data import students_csv, write_tiny

from diagnostics.cli import main
from diagnostics.io.importer import import_path
from diagnostics.store import make_engine
from diagnostics.store.schema import DATA_TABLES, data_versions, schools, stored_columns

ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "expected_zh", "expected_en", "message_zh", "message_en"]


def tiny_ids() -> list[str]:
    """Every clear ID number of the tiny data set."""
    lines = students_csv().splitlines()[1:]
    return sorted({line.split(",")[3] for line in lines})


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(capsys, url: str, *args: str) -> CliRun:
    """``zhengai --db URL ARGS…`` in-process; never lets an exception escape unnoticed."""
    capsys.readouterr()
    try:
        code = main(["--db", url, *args])
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table in the store (reflected, so nothing is left out), sorted."""
    meta = MetaData()
    meta.reflect(bind=engine)
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            out[name] = sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
    return out


def content(engine: Engine) -> dict[str, list[tuple]]:
    """The current data as a reader sees it: no ids, batches or timestamps."""
    out: dict[str, list[tuple]] = {}
    cols = stored_columns("schools")
    with engine.connect() as conn:
        out["schools"] = sorted(tuple(r) for r in conn.execute(select(*[schools.c[c] for c in cols])))
        for name, table in DATA_TABLES.items():
            cols = stored_columns(name)
            query = (select(*[table.c[c] for c in cols]).join(data_versions, data_versions.c.id == table.c.version_id)
                     .where(data_versions.c.is_current.is_(True)))
            out[name] = sorted((tuple(r) for r in conn.execute(query)), key=repr)
    return out


def read_errors(path: Path) -> pd.DataFrame:
    """The ``--errors`` CSV with its bilingual headers mapped back to field names."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.split(" ")[-1] for c in frame.columns]
    return frame


def populate(engine: Engine, folder: Path) -> None:
    result = import_path(engine, folder)
    assert result.ok, result.to_text()


def assert_clean_output(*texts: str, ids: list[str] | None = None) -> None:
    """No traceback, and no clear ID number anywhere in ``texts`` (nor one broken up by spaces or hyphens)."""
    for text in texts:
        assert "Traceback" not in text, text
        squeezed = re.sub(r"(?<=[\dXx])[ \-.\u3000](?=[\dXx])", "", text).upper()
        for number in ids or tiny_ids():
            assert number not in squeezed, "clear ID number leaked"


def assert_located(errors: pd.DataFrame, file: str, sheet: str, row: int | None, column: str) -> None:
    """At least one issue at exactly this place, with both languages and an expectation."""
    row_text = "" if row is None else str(row)
    hits = errors[(errors["file"] == file) & (errors["sheet"] == sheet) & (errors["row"] == row_text)
                  & (errors["column"] == column)]
    assert len(hits), f"no issue at {(file, sheet, row, column)}; issues:\n{errors.to_string()}"
    for field in ("message_zh", "message_en", "expected_zh", "expected_en"):
        assert (hits[field].str.strip() != "").all(), f"empty {field}: {hits.to_string()}"
    assert hits["message_zh"].str.contains(r"[\u4e00-\u9fff]").all()
    assert hits["message_en"].str.contains(r"[A-Za-z]").all()


def check_broken(case: Case, engine, tmp_path: Path, capsys) -> None:
    """Refused with exit 2, located errors on stderr and in --errors, the store unchanged."""
    populate(engine, write_tiny(tmp_path / "existing"))
    before = dump(engine)
    errors_csv = tmp_path / "errors.csv"
    run = run_cli(capsys, url_of(engine), "import", str(case.build(tmp_path / "input")), "--errors", str(errors_csv))
    assert run.code == 2, run.text
    assert "数据库未改动" in run.err and "unchanged" in run.err
    errors = read_errors(errors_csv)
    assert_located(errors, *case.where)
    assert dump(engine) == before
    report = errors_csv.read_text(encoding="utf-8-sig")
    assert_clean_output(run.text, report, repr(dump(engine)), ids=tiny_ids() + EXTRA_IDS)


def check_valid(case: Case, engine, tmp_path: Path, capsys) -> None:
    """A clean import storing the reference content; importing it again changes nothing."""
    reference = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    run = run_cli(capsys, url_of(reference), "import", str(write_tiny(tmp_path / "plain")))
    assert run.code == 0, run.text
    path = case.build(tmp_path / "input")
    errors_csv = tmp_path / "errors.csv"
    first = run_cli(capsys, url_of(engine), "import", str(path), "--errors", str(errors_csv))
    assert first.code == 0, first.text
    assert not errors_csv.exists()
    assert content(engine) == content(reference)
    before = dump(engine)
    again = run_cli(capsys, url_of(engine), "import", str(path))
    assert again.code == 0, again.text
    assert "未做任何更改" in again.out and "nothing changed" in again.out
    assert dump(engine) == before
    assert_clean_output(first.text, again.text, repr(before))
    reference.dispose()


def check_case(case: Case, engine: Engine, tmp_path: Path, capsys) -> None:
    """Run one corpus case: refused with located errors, or imported cleanly."""
    if case.where is None:
        check_valid(case, engine, tmp_path, capsys)
    else:
        check_broken(case, engine, tmp_path, capsys)


def as_account(monkeypatch, name: str) -> None:  # noqa: ANN001
    """Act as the operating-system account ``name`` of a shared deployment (``ZHENGAI_SHARED=1``): who the
    CLI runs as comes from the account, never from a variable (``resolve_user``)."""
    from diagnostics.access import roles

    for var in ("JUPYTERHUB_USER", "ZHENGAI_USER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(roles.SHARED_ENV, "1")
    monkeypatch.setattr(roles, "os_account", lambda: name)
