"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import data, hub, indicators, reports, serve, warnings, workflow  # noqa: F401
