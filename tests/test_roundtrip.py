"""Round trip: blank template → filled in → imported → exported equals what was filled in."""

from __future__ import annotations

import io

import pandas as pd
from broken_cases import rows_of, tiny_texts, typed
from import_helpers import assert_clean_output, run_cli, tiny_ids
from openpyxl import load_workbook

from diagnostics.contract import BOOL, BY_NAME, CODE, TABLES
from diagnostics.io.coerce import parse_column
from diagnostics.io.idnumber import keyed_hash, load_secret, normalise
from diagnostics.io.template import header


def test_template_has_a_sheet_per_table_with_bilingual_headers_and_dropdowns(tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    assert run_cli(capsys, "sqlite://", "template", str(out)).code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["字段说明"] + [t.name for t in TABLES]
    guide = wb["字段说明"]
    assert guide.max_row - 1 == sum(len(t.fields) for t in TABLES)
    for table in TABLES:
        ws = wb[table.name]
        heads = [c.value for c in ws[1]]
        assert heads == [header(f) for f in table.fields]
        assert all(f.zh in h and f.name in h for f, h in zip(table.fields, heads))
        ranges = {str(r).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation
                  for r in dv.sqref.ranges}
        wanted = {ws.cell(row=1, column=i + 1).column_letter for i, f in enumerate(table.fields)
                  if f.kind in (CODE, BOOL)}
        assert ranges == wanted, table.name


def fill_template(path, tables: dict[str, str]) -> None:
    """Write the tiny data under the template's bilingual headers, as a school would."""
    wb = load_workbook(path)
    for name, text in tables.items():
        ws = wb[name]
        column_of = {str(c.value).split(" ")[-1]: c.column for c in ws[1]}
        rows = rows_of(text)
        for r, values in enumerate(rows[1:], start=2):
            for col, value in zip(rows[0], values):
                if value != "":
                    kind = BY_NAME[name].field(col).kind
                    ws.cell(row=r, column=column_of[col], value=value if kind == BOOL else typed(name, col, value))
    wb.save(path)


def parsed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Every contract column of ``frame`` parsed as the importer parses it, rows in key order."""
    t = BY_NAME[table]
    out = pd.DataFrame({c: parse_column(t.field(c), frame[c])[0].astype(object).tolist()
                        for c in frame.columns if c in t.field_names})
    return out.sort_values(list(t.key)).reset_index(drop=True).map(lambda v: None if pd.isna(v) else v)


def test_template_import_export_round_trip(db_url, tmp_path, capsys):
    book = tmp_path / "学校填报.xlsx"
    assert run_cli(capsys, db_url, "template", str(book)).code == 0
    fill_template(book, tiny_texts())
    imported = run_cli(capsys, db_url, "import", str(book))
    assert imported.code == 0, imported.text
    out = tmp_path / "export"
    assert run_cli(capsys, db_url, "export", str(out)).code == 0
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(tiny_texts())
    key = load_secret()
    for name, text in tiny_texts().items():
        given = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        exported = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        if name == "students":
            assert "id_number" not in exported.columns
            given = given.assign(id_hash=[keyed_hash(normalise(v), key) for v in given.pop("id_number")])
            assert sorted(exported["id_hash"]) == sorted(given["id_hash"])
            merged = given.merge(exported[["school_id", "year", "student_key", "id_hash"]], how="outer",
                                 on=["school_id", "year", "student_key"], suffixes=("", "_stored"), indicator=True)
            assert (merged["_merge"] == "both").all() and (merged["id_hash"] == merged["id_hash_stored"]).all()
            given = given.drop(columns="id_hash")
        pd.testing.assert_frame_equal(parsed(name, exported[given.columns]), parsed(name, given), check_dtype=False)
    assert_clean_output(imported.text, *(p.read_text() for p in out.glob("*.csv")), ids=tiny_ids())
