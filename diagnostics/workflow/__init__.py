"""The improvement cycle's rules (no database): targets, tasks, re-check verdicts, reviews.

The store side of each (scoped, audited, locked) is :mod:`diagnostics.access`.
"""
