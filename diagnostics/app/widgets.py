"""View parts every dashboard uses: the page shell, click bridge, notices and progress.

Only views import ipywidgets; models stay testable without a browser.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from html import escape

import ipywidgets as w

from .base import AppModel
from .i18n import LANGS, PLATFORM, tr
from .jobs import DONE, FAILED, RUNNING, Job
from .theme import CSS, header, message

_ids = itertools.count(1)
HOME_URL = "index.ipynb"


class ClickBridge:
    """Clicks on elements inside HTML widgets, delivered to Python.

    An HTML widget cannot call the kernel; a hidden text box can.  :meth:`attrs` gives an element
    the attributes that, on click (or Enter), write ``key#time`` into the hidden box; the box's
    change calls ``on_click(key)``.  Keys are escaped; no data reaches the script.
    """

    def __init__(self, on_click: Callable[[str], None]) -> None:
        self.name = f"za-bridge-{next(_ids)}"
        self.box = w.Text(layout=w.Layout(display="none"))
        self.box.add_class(self.name)
        self._on_click = on_click
        self.box.observe(self._fire, "value")

    def _fire(self, change: dict) -> None:
        key = str(change["new"]).rpartition("#")[0]
        if key:
            self._on_click(key)

    def attrs(self, key: str) -> str:
        script = (f"var i=document.querySelector('.{self.name} input');if(i){{i.value=this.dataset.key+'#'+Date.now();"
                  "i.dispatchEvent(new Event('change',{bubbles:true}));}")
        return (f' data-key="{escape(key)}" role="button" tabindex="0" onclick="{escape(script)}"'
                f' onkeydown="if(event.key===\'Enter\'){{this.click();}}"')

    def link(self, key: str, text: str, cls: str = "za-link") -> str:
        """A clickable text (escaped) for ``key``."""
        return f'<a class="{cls}"{self.attrs(key)}>{escape(text)}</a>'


class Shell:
    """The page: style, header bar (platform, title, language toggle), notice line, body."""

    def __init__(self, model: AppModel, title_key: str, subtitle_key: str, show_home: bool = True) -> None:
        self.model, self.title_key, self.subtitle_key, self.show_home = model, title_key, subtitle_key, show_home
        self.style = w.HTML(CSS)
        self.head = w.HTML()
        self.lang = w.ToggleButtons(options=LANGS, value=model.lang, style={"button_width": "70px"})
        self.lang.add_class("za-lang")
        self.notice = w.HTML()
        headbox = w.HBox([self.head, self.lang], layout=w.Layout(justify_content="space-between", width="100%"))
        headbox.add_class("za-headbox")
        self.body = w.VBox()
        self.root = w.VBox([self.style, headbox, self.notice, self.body], layout=w.Layout(width="100%"))
        self.root.add_class("za-app")
        w.link((self.lang, "value"), (model, "lang"))
        model.observe(self._relabel, "lang")
        model.observe(self._notice, ["notice", "notice_kind"])
        self._relabel()

    def _relabel(self, _change: object = None) -> None:
        lang = self.model.lang
        brand = PLATFORM[1] if lang == "en" else PLATFORM[0]
        home = (HOME_URL, tr("home", lang)) if self.show_home else None
        self.head.value = header(tr(self.title_key, lang), tr(self.subtitle_key, lang), brand, home)

    def _notice(self, _change: object = None) -> None:
        self.notice.value = message(self.model.notice, self.model.notice_kind)


class JobView:
    """A progress bar and a line for a :class:`Job`; ``render_result`` turns its result into HTML."""

    def __init__(self, job: Job, render_result: Callable[[object], str]) -> None:
        self.job, self.render_result = job, render_result
        self.bar = w.FloatProgress(value=0, min=0, max=1, layout=w.Layout(width="320px", visibility="hidden"))
        self.line = w.HTML()
        self.result = w.HTML()
        self.box = w.VBox([w.HBox([self.bar, self.line]), self.result])
        job.observe(self._update, ["state", "progress", "step", "error"])

    def _update(self, _change: object = None) -> None:
        job = self.job
        self.bar.value = job.progress
        self.bar.layout.visibility = "visible" if job.state == RUNNING else "hidden"
        if job.state == RUNNING:
            self.line.value = f'<span class="za-muted">{escape(job.step)} …</span>'
        elif job.state == FAILED:
            self.line.value = message(job.error, "error")
        elif job.state == DONE:
            self.line.value = ""
            self.result.value = self.render_result(job.result)


def button(description: str, primary: bool = False, icon: str = "") -> w.Button:
    b = w.Button(description=description, icon=icon, layout=w.Layout(width="auto", min_width="96px"))
    if primary:
        b.add_class("za-primary")
        b.button_style = "primary"
    return b
