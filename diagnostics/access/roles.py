"""Users, roles and what each role may do; who the current user is.

Scopes (which schools a user reaches):

==============  =================================================================
school staff    their own school (``users.school_id``)
city officer    the schools whose ``schools.city`` is their city
province        every school
expert          the schools assigned to them (``user_schools``); reads, plus their own reviews
researcher      every school, read only, pseudonymised: school names and ids become stable codes
==============  =================================================================

Identity: a shared deployment names the user through ``JUPYTERHUB_USER`` (set by
JupyterHub in each user's server) or a configured identity (``ZHENGAI_USER``);
the name must be registered with ``zhengai user add``.  Without such a name,
and unless ``ZHENGAI_SHARED`` is set, the platform runs in local single-user
mode: a province officer named after the operating-system user.
"""

from __future__ import annotations

import getpass
import os
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
IDENTITY_ENVS = ("ZHENGAI_USER", "JUPYTERHUB_USER")


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


def local_user() -> User:
    """Local single-user mode (the demo): a province officer named after the OS user."""
    return User(getpass.getuser(), Role.PROVINCE, local=True)


def load_user(conn: Connection, name: str) -> User | None:
    """The registered, active user ``name`` with their assigned schools, or None."""
    row = conn.execute(select(users).where(users.c.user_name == name)).mappings().first()
    if row is None or not row["active"]:
        return None
    assigned = conn.execute(select(user_schools.c.school_id).where(user_schools.c.user_name == name)).scalars()
    return User(row["user_name"], Role(row["role"]), row["school_id"], row["city"], frozenset(assigned))


def identity_from_env() -> str | None:
    """The configured or JupyterHub user name, if any."""
    for var in IDENTITY_ENVS:
        value = os.environ.get(var, "").strip()
        if value:
            return value
    return None


def resolve_user(engine: Engine, name: str | None = None) -> User:
    """The user the apps act as: ``name``, else the configured/JupyterHub identity, else local mode."""
    name = name or identity_from_env()
    if name is None:
        if os.environ.get(SHARED_ENV, "").strip() not in ("", "0"):
            raise PermissionDenied("共享部署中无法确定当前用户（未设置 JUPYTERHUB_USER 或 ZHENGAI_USER）",
                                   "shared deployment: no user name (JUPYTERHUB_USER or ZHENGAI_USER unset)")
        return local_user()
    with engine.connect() as conn:
        user = load_user(conn, name)
    if user is None:
        raise PermissionDenied(f"用户 {name} 未登记或已停用，请管理员运行 zhengai user add",
                               f"user {name} is not registered or inactive: an administrator runs "
                               "`zhengai user add`")
    return user
