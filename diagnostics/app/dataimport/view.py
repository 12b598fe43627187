"""Widgets of the data-import dashboard, linked to :class:`ImportModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import pick, tr
from ..markup import Col, table
from ..widgets import JobView, Shell, button
from .model import ImportModel


class ImportView:
    def __init__(self, model: ImportModel) -> None:
        self.model = model
        self.shell = Shell(model, "app_import", "app_import_sub")
        self.upload = w.FileUpload(accept=".xlsx,.zip,.csv", multiple=True)
        self.upload.observe(self._uploaded, "value")
        self.check = button("")
        self.check.add_class("za-validate")
        self.check.on_click(lambda _b: model.validate())
        self.go = button("", primary=True)
        self.go.add_class("za-import")
        self.go.on_click(lambda _b: model.start_import())
        self.hint = w.HTML()
        self.files = w.HTML()
        self.result = w.HTML()
        self.job = JobView(model.job, lambda _text: "")  # the summary is shown below, with the files
        bar = w.HBox([self.upload, self.check, self.go])
        bar.add_class("za-toolbar")
        self.shell.body.children = [self.hint, bar, self.files, self.job.box, self.result]
        model.observe(self._render, ["files", "issues", "summary", "stage", "lang"])
        self._render()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    def _uploaded(self, change: dict) -> None:
        uploads = [(f["name"], f["content"]) for f in change["new"]]
        if uploads:
            self.model.add_files(uploads)

    def _render(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self.upload.description = tr("upload", lang)
        self.upload.layout.width = "auto"
        self.check.description, self.go.description = tr("validate", lang), tr("do_import", lang)
        self.go.disabled = m.stage != "valid"
        self.check.disabled = m.stage == "empty"
        self.hint.value = f'<div class="za-card za-muted">{escape(tr("import_steps", lang))}</div>'
        self.files.value = ("<div class='za-muted'>" + " · ".join(escape(f) for f in m.files) + "</div>"
                            if m.files else "")
        if m.stage == "invalid":
            rows = [{**r, "message": pick(r["message_zh"], r["message_en"], lang),
                     "expected": pick(r["expected_zh"], r["expected_en"], lang)} for r in m.issues[:2000]]
            cols = [Col("file", "文件 file"), Col("sheet", "工作表 sheet"), Col("row", "行 row", num=True),
                    Col("column", "列 column"), Col("value", "值 value"), Col("message", tr("message", lang)),
                    Col("expected", tr("expected", lang))]
            self.result.value = (f'<div class="za-card"><h3>{escape(m.summary)}</h3>'
                                 f'<div class="za-scroll">{table(rows, cols, cls="za-table za-issues")}</div></div>')
        elif m.summary:
            self.result.value = f'<div class="za-card"><pre class="za-summary">{escape(m.summary)}</pre></div>'
        else:
            self.result.value = ""
