"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import (  # noqa: F401
    data,
    db,
    hub,
    indicators,
    publish,
    reports,
    select,
    serve,
    spotcheck,
    surveys,
    warnings,
    workflow,
)
