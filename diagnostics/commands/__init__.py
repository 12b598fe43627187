"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import data, db, indicators, publish, reports, select, serve, spotcheck, surveys, warnings, workflow  # noqa: F401
