"""Subcommands of ``zhengai``, one module per family; importing registers them."""

from . import data  # noqa: F401
