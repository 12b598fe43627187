"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import data, db, indicators, reports, serve, warnings, workflow  # noqa: F401
