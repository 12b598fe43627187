"""The one scoped door to the store: users, roles, scopes, audit and optimistic locking.

Every read and write of the dashboards, reports and commands goes through
:class:`Access`; see :mod:`.roles` for what each role reaches.
"""

from .door import Access, public_methods
from .errors import AccessError, ConflictError, InvalidChange, NotFound, PermissionDenied
from .roles import ROLE_LABELS, SYSTEM_USER, Role, User, local_user, resolve_user
from .system import effective_targets, open_follow_ups, recheck_tasks

__all__ = ["Access", "public_methods", "AccessError", "ConflictError", "InvalidChange", "NotFound",
           "PermissionDenied", "ROLE_LABELS", "SYSTEM_USER", "Role", "User", "local_user", "resolve_user",
           "effective_targets", "open_follow_ups", "recheck_tasks"]
