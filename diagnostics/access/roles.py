"""Users, roles and what each role may do; who the current user is.

Scopes (which schools a user reaches):

==============  =================================================================
school staff    their own school (``users.school_id``)
city officer    the schools whose ``schools.city`` is their city
province        every school
expert          the schools assigned to them (``user_schools``); reads, plus their own reviews
researcher      every school, read only, pseudonymised: school names and ids become stable codes
==============  =================================================================

Identity never comes from a variable a person can set (``ZHENGAI_USER`` and ``JUPYTERHUB_USER``
are ignored).  In the shared deployment (``zhengai hub``) each person's server is spawned by
JupyterHub for that person only; a kernel asks the hub, with the API token the hub gave its server,
whose server it is (:func:`hub_identity`), and that verified name must be registered with
``zhengai user add``.  Elsewhere the person is the operating-system account running the process:
with ``ZHENGAI_SHARED`` set (a shared database) that account must be a registered user; without it
the platform runs in local single-user mode, a province officer named after the account.
"""

from __future__ import annotations

import json
import os
import pwd
import urllib.request
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Connection, Engine, select

from ..store.workflow_schema import user_schools, users
from .errors import InvalidChange, PermissionDenied


class Role(StrEnum):
    SCHOOL = "school"
    CITY = "city"
    PROVINCE = "province"
    EXPERT = "expert"
    RESEARCHER = "researcher"


ROLE_LABELS: dict[Role, str] = {
    Role.SCHOOL: "学校用户 / school staff",
    Role.CITY: "市级管理员 / city officer",
    Role.PROVINCE: "省级管理员 / province officer",
    Role.EXPERT: "复核专家 / expert",
    Role.RESEARCHER: "研究人员（匿名数据）/ researcher (pseudonymised)",
}

_ALL = frozenset(Role)
_STAFF = frozenset({Role.SCHOOL, Role.CITY, Role.PROVINCE})

# capability -> roles holding it; scope is checked separately, row by row
CAPABILITIES: dict[str, frozenset[Role]] = {
    "read": _ALL,
    "read_audit": _STAFF,
    "edit_targets": frozenset({Role.SCHOOL, Role.PROVINCE}),
    "edit_tasks": frozenset({Role.SCHOOL, Role.PROVINCE}),
    "follow_up": _STAFF,
    "review": frozenset({Role.EXPERT, Role.PROVINCE}),
    "import": frozenset({Role.SCHOOL, Role.PROVINCE}),
    "admin": frozenset({Role.PROVINCE}),
    "city_report": frozenset({Role.CITY, Role.PROVINCE}),  # 设区市年度质量报告: the city's officers, the province
    "publish": frozenset({Role.PROVINCE}),  # 信息发布: what the public sees is the province's to release
    "spot_check": frozenset({Role.CITY, Role.PROVINCE}),  # draw spot checks, record what was found
    "select": frozenset({Role.PROVINCE}),  # the top-k selection ranks every school
}

SHARED_ENV = "ZHENGAI_SHARED"
HUB_ENVS = ("JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN")  # set by JupyterHub in the server it spawns
# set by the dashboards service from the authenticated request (the person's own hub token: the hub
# names its owner, so a forged value names no one)
REQUEST_TOKEN_ENV = "HTTP_X_ZHENGAI_TOKEN"
HUB_TIMEOUT = 10  # seconds to wait for the hub's answer


@dataclass(frozen=True)
class User:
    """A person (or the system) acting through :class:`~diagnostics.access.Access`.

    >>> User("wang", Role.SCHOOL, school_id="S1").role
    <Role.SCHOOL: 'school'>
    """

    name: str
    role: Role
    school_id: str | None = None
    city: str | None = None
    schools: frozenset[str] = field(default_factory=frozenset)  # an expert's assigned schools
    local: bool = False  # local single-user mode

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "schools", frozenset(self.schools))
        if self.role == Role.SCHOOL and not self.school_id:
            raise InvalidChange("学校用户必须指定学校（--school）", "school staff need a school (--school)")
        if self.role == Role.CITY and not self.city:
            raise InvalidChange("市级管理员必须指定设区市（--city）", "a city officer needs a city (--city)")

    def can(self, capability: str) -> bool:
        return self.role in CAPABILITIES[capability]


SYSTEM_USER = User("system", Role.PROVINCE)


def os_account() -> str:
    """The operating-system account running this process (from the kernel, not from ``$USER``)."""
    return pwd.getpwuid(os.getuid()).pw_name


def local_user() -> User:
    """Local single-user mode (the demo): a province officer named after the OS user."""
    return User(os_account(), Role.PROVINCE, local=True)


def shared() -> bool:
    """Whether this process serves a shared deployment (no local mode)."""
    return os.environ.get(SHARED_ENV, "").strip() not in ("", "0")


def load_user(conn: Connection, name: str) -> User | None:
    """The registered, active user ``name`` with their assigned schools, or None."""
    row = conn.execute(select(users).where(users.c.user_name == name)).mappings().first()
    if row is None or not row["active"]:
        return None
    assigned = conn.execute(select(user_schools.c.school_id).where(user_schools.c.user_name == name)).scalars()
    return User(row["user_name"], Role(row["role"]), row["school_id"], row["city"], frozenset(assigned))


def hub_identity() -> str | None:
    """The name of the person whose JupyterHub server this process runs in, as the hub tells it.

    The hub answers ``GET /hub/api/user`` for the token it gave the person's server, or, in the shared
    dashboards service, for the person's own token that came with the page request: the name is the
    hub's (authenticated at login), not one a person can set.  None outside the hub.
    """
    url, token = (os.environ.get(var, "").strip() for var in HUB_ENVS)
    # the dashboards service (diagnostics.hub.service) hands a kernel the token of the request it serves
    token = os.environ.get(REQUEST_TOKEN_ENV, "").strip() or token
    if not (url and token):
        return None
    request = urllib.request.Request(url.rstrip("/") + "/user", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=HUB_TIMEOUT) as answer:  # noqa: S310 - the hub's own URL
            model = json.load(answer)
    except (OSError, ValueError) as exc:
        raise PermissionDenied(f"无法向 JupyterHub 确认当前用户：{exc}",
                               f"could not confirm the current user with JupyterHub: {exc}") from exc
    name = model.get("name") if model.get("kind", "user") == "user" else None
    if not name:
        raise PermissionDenied("JupyterHub 未给出当前用户", "JupyterHub named no user for this server")
    return str(name)


def resolve_user(engine: Engine, name: str | None = None) -> User:
    """The user the apps act as.

    ``name``: a name the caller has already authenticated (tests, ``zhengai import --user`` in local
    mode).  Otherwise the hub's verified name in a hub-spawned server; otherwise the OS account,
    which in a shared deployment must be registered and elsewhere is local mode (a province officer).
    """
    hub = hub_identity()
    if hub is not None:
        if name is not None and name != hub:
            raise PermissionDenied(f"不能以 {name} 的身份操作（当前登录用户为 {hub}）",
                                   f"cannot act as {name}: the signed-in user is {hub}")
        name = hub
    elif shared():
        account = os_account()
        if name is not None and name != account:
            raise PermissionDenied(f"共享部署中不能以 {name} 的身份操作（当前账户为 {account}）",
                                   f"shared deployment: cannot act as {name} (the account is {account})")
        name = account
    elif name is None:
        return local_user()
    with engine.connect() as conn:
        user = load_user(conn, name)
    if user is None:
        raise PermissionDenied(f"用户 {name} 未登记或已停用，请管理员运行 zhengai user add",
                               f"user {name} is not registered or inactive: an administrator runs "
                               "`zhengai user add`")
    return user
