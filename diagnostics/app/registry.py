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
    link_keys: tuple[str, ...] = ()  # the choices its address may carry (see diagnostics.app.links)


DASHBOARDS = (
    Dashboard("self_diagnosis", "self_diagnosis.ipynb", "diagnostics.app.selfdiag", "app_self", "app_self_sub",
              ("school", "year")),
    Dashboard("review", "review.ipynb", "diagnostics.app.review", "app_review", "app_review_sub", ("school", "year")),
    Dashboard("province", "province.ipynb", "diagnostics.app.province", "app_province", "app_province_sub",
              ("year",)),
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


def announce(key: str, what: str, seconds: float | None = None) -> None:
    """Tell the server's log (the kernel's own stderr, not the page) that a dashboard is ready or built."""
    took = "" if seconds is None else f" in {seconds:.1f} s"
    print(f"[zhengai] dashboard {key} {what}{took}", file=sys.__stderr__, flush=True)


def build(key: str, ctx: object = None, **choices: object) -> object:
    """The widget of dashboard ``key``; a dashboard that cannot be built shows why instead.

    A preheated kernel imports the dashboard and reads the indicator models, then waits for the
    request: the store is read, as the person who asks and with the state their address carries
    (:mod:`.links`), only then.
    """
    from .links import Link, LinkRefused, check_scope, parse, permalink, refusal_page, request_query

    link, module, failure = Link(), None, None
    try:
        dash = find(key)
        module = importlib.import_module(dash.module)
        warm()
    except Exception as exc:
        log.exception("dashboard %s failed", key)
        failure = exc
    announce(key, "ready")
    t0 = time.perf_counter()
    try:
        link = parse(request_query())  # a preheated kernel waits here for its visitor
        if failure is not None:
            raise failure
        from .context import get_context

        ctx = ctx or get_context()
        check_scope(ctx, link)
        view = module.create(ctx, **{**link.choices(dash.link_keys), **choices})
        follow(view, link)
        root = view.root
        if dash.link_keys and getattr(view, "model", None) is not None and hasattr(root, "children"):
            root.children = (*root.children, permalink(view.model, dash.notebook))
    except LinkRefused as exc:
        log.info("address refused: %s", exc)
        root = refusal_page(exc, link.lang)
    except Exception as exc:
        log.exception("dashboard %s failed", key)
        root = failure_page(key, exc)
    announce(key, "built", time.perf_counter() - t0)
    return root


#: modules every dashboard's first build would otherwise import after the person has asked
WARM_MODULES = ("websockets.asyncio.client", "pyarrow.parquet", "pyarrow.dataset", "diagnostics.app.data",
                "diagnostics.app.cache", "diagnostics.warnings.verdict", "diagnostics.reports.source",
                "diagnostics.access")


def warm() -> None:
    """What a kernel may prepare before anyone asks: the indicator models and the code that reads and
    judges the store (nothing of the store itself), and the client of Voilà's request socket."""
    import importlib

    from .context import indicator_models
    from .pinyin import pinyin_key

    indicator_models()
    pinyin_key("诊改")  # loads the pinyin dictionaries
    for name in WARM_MODULES:
        importlib.import_module(name)


def follow(view: object, link: object) -> None:
    """Set the language and the indicator an address names on the dashboard's model."""
    from .links import LinkRefused

    model = getattr(view, "model", None)
    if model is None:
        return
    if model.has_trait("lang"):
        model.lang = link.lang  # type: ignore[attr-defined]
    indicator = link.indicator  # type: ignore[attr-defined]
    if indicator and model.has_trait("indicator"):
        if indicator not in model.data.models.indicators:
            raise LinkRefused(f"没有指标 {indicator}", f"there is no indicator {indicator}")
        model.indicator = indicator


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
