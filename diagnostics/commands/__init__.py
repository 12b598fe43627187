"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import data, indicators, publish, reports, serve, warnings, workflow  # noqa: F401
