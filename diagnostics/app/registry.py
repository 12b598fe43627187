"""The dashboards: a registry that lists them, builds them, and survives a broken one.

Each dashboard is a sub-package with ``create(ctx) -> view`` (the view has ``root``).  Plug-in
dashboards register under the entry-point group ``zhengai.dashboards`` (``key = "pkg.module"``);
one that fails to load or to build is reported on the page and on the landing page, with its
name and the reason, and the others work on.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from dataclasses import dataclass
from importlib.metadata import entry_points

log = logging.getLogger(__name__)
GROUP = "zhengai.dashboards"


@dataclass(frozen=True)
class Dashboard:
    key: str
    notebook: str
    module: str
    title: str  # i18n key of the title
    subtitle: str  # i18n key of the one-line description


DASHBOARDS = (
    Dashboard("self_diagnosis", "self_diagnosis.ipynb", "diagnostics.app.selfdiag", "app_self", "app_self_sub"),
    Dashboard("review", "review.ipynb", "diagnostics.app.review", "app_review", "app_review_sub"),
    Dashboard("province", "province.ipynb", "diagnostics.app.province", "app_province", "app_province_sub"),
    Dashboard("data_import", "data_import.ipynb", "diagnostics.app.dataimport", "app_import", "app_import_sub"),
    Dashboard("explorer", "explorer.ipynb", "diagnostics.app.explorer", "app_explorer", "app_explorer_sub"),
    Dashboard("spot_check", "spot_check.ipynb", "diagnostics.app.spotcheck", "app_spot", "app_spot_sub"),
    Dashboard("selection", "selection.ipynb", "diagnostics.app.selection", "app_select", "app_select_sub"),
)


def dashboards() -> tuple[list[Dashboard], dict[str, str]]:
    """The built-in dashboards and the plug-ins that load; failures as ``{name: reason}``."""
    found, failures = list(DASHBOARDS), {}
    for ep in entry_points(group=GROUP):
        try:
            item = ep.load()
            if not isinstance(item, Dashboard):
                raise TypeError(f"{ep.value} is not a Dashboard")
            found.append(item)
        except Exception as exc:  # a broken plug-in must not take the platform down
            failures[ep.name] = f"{type(exc).__name__}: {exc}"
    return found, failures


def find(key: str) -> Dashboard:
    for d in dashboards()[0]:
        if d.key == key:
            return d
    raise KeyError(f"没有看板 {key!r} / no dashboard {key!r}")


def build(key: str, ctx: object = None, **choices: object) -> object:
    """The widget of dashboard ``key``; a dashboard that cannot be built shows why instead."""
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(find(key).module)
        root = module.create(ctx, **choices).root
    except Exception as exc:
        log.exception("dashboard %s failed", key)
        root = failure_page(key, exc)
    # the kernel's own stderr goes to the server's log (not to the page): operators and
    # tests see when a preheated dashboard is ready
    print(f"[zhengai] dashboard {key} built in {time.perf_counter() - t0:.1f} s", file=sys.__stderr__, flush=True)
    return root


def failure_page(key: str, exc: BaseException) -> object:
    import ipywidgets as w

    from .jobs import explain
    from .theme import CSS, header, message

    head = header("看板无法打开 / the dashboard could not be opened", key, "教学工作诊断与改进平台")
    hint = ("请确认已运行 zhengai init、zhengai import 与 zhengai compute，并检查 ZHENGAI_DB_URL。 / "
            "Check that `zhengai init`, `zhengai import` and `zhengai compute` have run and ZHENGAI_DB_URL is right.")
    box = w.VBox([w.HTML(CSS + head + message(explain(exc), "error") + message(hint, "info"))])
    box.add_class("za-app")
    return box
