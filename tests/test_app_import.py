"""The data-import dashboard's model, without a browser."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app.dataimport import ImportModel, ImportView
from diagnostics.io.export import current_table


def schools_csv(ctx) -> bytes:  # noqa: F811
    frame = current_table(ctx.engine, "schools")
    return frame.drop(columns=[c for c in ("batch_id",) if c in frame]).to_csv(index=False).encode("utf-8")


def test_located_errors_then_a_valid_import(ctx):  # noqa: F811
    m = ImportModel(ctx)
    assert not m.validate() and m.notice_kind == "error"  # nothing staged
    m.add_files([("report.pdf", b"%PDF")])
    assert m.notice_kind == "error" and m.stage == "empty"
    good = schools_csv(ctx)
    frame = pd.read_csv(io.BytesIO(good), dtype=str)
    frame.loc[0, "level"] = "大学"
    m.add_files([("schools.csv", frame.to_csv(index=False).encode("utf-8"))])
    assert m.files == ["schools.csv"] and m.stage == "staged"
    assert not m.validate() and m.stage == "invalid"
    issue = m.issues[0]
    assert issue["file"] == "schools.csv" and "level" in issue["column"] and issue["value"] == "大学"
    assert not m.start_import()  # an invalid upload cannot be imported
    frame.loc[0, "name"], frame.loc[0, "level"] = "改名后的学校", good.decode().splitlines()[1].split(",")[2]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("schools.csv", frame.to_csv(index=False))
    book = m.issues_workbook()  # the problems, downloadable to fix the data from
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(book)).active
    assert [ws.cell(4, c).value for c in range(1, 6)] == ["文件", "工作表", "行", "列", "值"]
    assert ws.cell(5, 5).value == "大学"
    m.add_files([("upload.zip", buf.getvalue())])  # a zip is imported on its own: said so, nothing replaced
    assert m.notice_kind == "error" and "单独导入" in m.notice and m.files == ["schools.csv"]
    m.remove_file("schools.csv")
    m.add_files([("upload.zip", buf.getvalue())])
    assert m.files == ["upload.zip"] and m.validate() and m.stage == "valid"
    assert "/" not in m.summary and "batch" not in m.summary
    assert m.start_import()
    m.job.wait(300)
    assert m.job.state == "done", m.job.error
    assert m.stage == "imported"
    assert "改名后的学校" in set(ctx.access.schools()["name"])


def test_csv_files_add_up_and_the_result_is_in_words(ctx):  # noqa: F811
    m = ImportModel(ctx)
    teachers = current_table(ctx.engine, "teachers")
    school = str(teachers["school_id"].iloc[0])
    year = int(teachers["year"].max())
    mine = teachers[(teachers["school_id"] == school) & (teachers["year"] == year)].drop(columns=["batch_id"],
                                                                                        errors="ignore")
    mine = mine.assign(teaching_hours=mine["teaching_hours"] + 1)
    m.add_files([("schools.csv", schools_csv(ctx))])
    m.add_files([("teachers.csv", mine.to_csv(index=False).encode("utf-8"))])
    assert m.files == ["schools.csv", "teachers.csv"]  # added, not replaced
    assert m.validate(), m.summary
    name = ctx.access.schools().set_index("school_id").loc[school, "name"]
    assert f"{name} {year}–{year + 1} 学年" in m.summary and "教师" in m.summary
    assert m.start_import()
    m.job.wait(300)
    assert m.job.state == "done", m.job.error
    assert "本次导入学校" in m.summary and "预警" in m.summary
    assert m.template()[:2] == b"PK"


def test_the_view_takes_uploads(ctx):  # noqa: F811
    view = ImportView(ImportModel(ctx))
    view._uploaded({"new": ({"name": "schools.csv", "content": memoryview(schools_csv(ctx))},)})
    assert view.model.files == ["schools.csv"] and not view.check.disabled
    view.model.validate()
    assert not view.go.disabled and "za-summary" in view.result.value
