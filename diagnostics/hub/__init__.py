"""The shared deployment: JupyterHub signs people in and spawns each one a dashboards-only server.

:mod:`.auth` checks a sign-in against zhengai's registered users and their bcrypt password hashes;
:mod:`.config` configures JupyterHub (``zhengai hub``); :mod:`.lockdown` is the per-user server's
extension that leaves a person the dashboards only (no JupyterLab, terminal, file API or code).
"""
