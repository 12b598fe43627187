"""Online surveys (在线数据调查): instruments in YAML, single-use links, anonymous answers, the form server.

The scoped operations (open, close, sync into the store, status) are methods of
:class:`diagnostics.access.Access`; :mod:`.web` serves the form on 127.0.0.1.
"""
