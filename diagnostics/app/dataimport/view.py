"""Widgets of the data-import dashboard, linked to :class:`ImportModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import pick, tr
from ..markup import Col, download_link, table
from ..widgets import JobView, Shell, button
from .model import ImportModel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportView:
    def __init__(self, model: ImportModel) -> None:
        self.model = model
        self.shell = Shell(model, "app_import", "app_import_sub")
        self.upload = w.FileUpload(accept=".xlsx,.zip,.csv", multiple=True)
        self.upload.observe(self._uploaded, "value")
        self.template = button("")
        self.template.add_class("za-template")
        self.template.on_click(lambda _b: self._template())
        self.check = button("")
        self.check.add_class("za-validate")
        self.check.on_click(lambda _b: model.validate())
        self.go = button("", primary=True)
        self.go.add_class("za-import")
        self.go.on_click(lambda _b: model.start_import())
        self.staged = w.Dropdown(layout=w.Layout(width="260px"))
        self.remove = button("")
        self.remove.add_class("za-remove-file")
        self.remove.on_click(lambda _b: self.staged.value and model.remove_file(self.staged.value))
        self.clear = button("")
        self.clear.on_click(lambda _b: model.clear())
        self.hint = w.HTML()
        self.files = w.HTML()
        self.download = w.HTML()
        self.result = w.HTML()
        self.job = JobView(model.job, lambda _text: "")  # the summary is shown below, with the files
        bar = w.HBox([self.template, self.upload, self.check, self.go], layout=w.Layout(flex_flow="row wrap"))
        bar.add_class("za-toolbar")
        self.filebar = w.HBox([self.staged, self.remove, self.clear], layout=w.Layout(flex_flow="row wrap"))
        self.filebar.add_class("za-toolbar")
        self.shell.body.children = [self.hint, bar, self.files, self.filebar, self.job.box, self.download,
                                    self.result]
        model.observe(self._render, ["files", "issues", "summary", "stage", "lang"])
        self._render()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    def _uploaded(self, change: dict) -> None:
        uploads = [(f["name"], f["content"]) for f in change["new"]]
        if uploads:
            self.model.add_files(uploads)

    def _template(self) -> None:
        m = self.model
        with m.guarded():
            self.download.value = download_link(m.template(), "状态数据填报模板.xlsx", XLSX, tr("template", m.lang))

    def _render(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self.upload.description = tr("upload", lang)
        self.upload.layout.width = "auto"
        self.template.description = tr("template", lang)
        self.check.description, self.go.description = tr("validate", lang), tr("do_import", lang)
        self.remove.description, self.clear.description = tr("remove_file", lang), tr("clear_files", lang)
        self.go.disabled = m.stage != "valid"
        self.check.disabled = m.stage == "empty"
        self.hint.value = f'<div class="za-card za-muted">{escape(tr("import_steps", lang))}</div>'
        self.staged.options = m.files
        self.filebar.layout.display = "" if m.files else "none"
        self.files.value = (f"<div class='za-muted'>{escape(tr('staged', lang))}：" + "、".join(escape(f) for f in m.files)
                            + "</div>" if m.files else "")
        if m.stage == "invalid":
            rows = [{**r, "message": pick(r["message_zh"], r["message_en"], lang),
                     "expected": pick(r["expected_zh"], r["expected_en"], lang)} for r in m.issues[:2000]]
            cols = [Col("file", tr("col_file", lang)), Col("sheet", tr("col_sheet", lang)),
                    Col("row", tr("col_row", lang), num=True), Col("column", tr("col_column", lang)),
                    Col("value", tr("col_value", lang)), Col("message", tr("message", lang)),
                    Col("expected", tr("expected", lang))]
            link = download_link(m.issues_workbook(), "导入问题清单.xlsx" if lang == "zh" else "import-problems.xlsx",
                                 XLSX, tr("download_problems", lang))
            self.result.value = (f'<div class="za-card"><h3>{escape(m.summary)}</h3>{link}'
                                 f'<div class="za-scroll">{table(rows, cols, cls="za-table za-issues")}</div></div>')
        elif m.summary:
            lines = "".join(f"<li>{escape(line)}</li>" for line in m.summary.splitlines() if line.strip())
            self.result.value = f'<div class="za-card za-summary"><ul>{lines}</ul></div>'
        else:
            self.result.value = ""

