"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import data, indicators, reports, serve, surveys, warnings, workflow  # noqa: F401
