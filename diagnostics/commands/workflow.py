"""Improvement-cycle subcommands: user (add, list), recheck.

They act through :class:`diagnostics.access.Access` as the current user
(the hub-verified user, else the OS account: local mode is a province officer
named after the OS user), like the dashboards do.
"""

from __future__ import annotations

import argparse
import sys

from ..cli import EXIT_FAIL, EXIT_INVALID, EXIT_OK, command, engine_from

USER_COLUMNS = ["user_name", "role", "school_id", "city", "schools", "active"]


def _user_args(p: argparse.ArgumentParser) -> None:
    from ..access import Role

    sub = p.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="登记或修改用户 / register or change a user")
    add.add_argument("name", help="登录名（JupyterHub 用户名）/ user name (the JupyterHub name)")
    add.add_argument("--role", required=True, choices=[r.value for r in Role],
                     help="school 学校, city 市级, province 省级, expert 专家, researcher 研究人员")
    add.add_argument("--school", action="append", default=[],
                     help="学校代码；专家可多次给出 / school id (an expert's assigned schools: repeat)")
    add.add_argument("--city", default=None, help="设区市（市级管理员）/ city (city officers)")
    add.add_argument("--display-name", default=None, help="显示名 / display name")
    add.add_argument("--inactive", action="store_true", help="停用该用户 / deactivate the user")
    sub.add_parser("list", help="列出用户 / list users")
    passwd = sub.add_parser("passwd", help="设置登录密码（JupyterHub）/ set the sign-in password (JupyterHub)")
    passwd.add_argument("name", help="登录名 / user name")
    passwd.add_argument("--password-stdin", action="store_true", required=True,
                        help="从标准输入读取密码（一行）/ read the password from standard input (one line)")


def _access(args: argparse.Namespace, migrate: bool = False):  # noqa: ANN202
    from ..access import Access, resolve_user

    engine = engine_from(args, migrate=migrate)
    return Access(engine, resolve_user(engine))


def _failed(exc: Exception) -> int:
    from ..workflow.errors import InvalidChange

    print(str(exc), file=sys.stderr)
    return EXIT_INVALID if isinstance(exc, InvalidChange) else EXIT_FAIL


@command("user", "登记用户与角色 / register users and their roles")(_user_args)
def run_user(args: argparse.Namespace) -> int:
    from ..access import ROLE_LABELS, Role
    from ..workflow.errors import BilingualError

    try:
        access = _access(args, migrate=args.action == "add")
        if args.action == "passwd":
            access.set_password(args.name, sys.stdin.readline().rstrip("\r\n"))
            print(f"已设置密码 / password set: {args.name}")
            return EXIT_OK
        if args.action == "list":
            users = access.users()
            table = users[USER_COLUMNS].astype(object).fillna("").to_string(index=False)
            print(table if len(users) else "（没有用户 / no users）")
            return EXIT_OK
        role = Role(args.role)
        if role == Role.SCHOOL and len(args.school) != 1:
            print("学校用户需要且只能有一个 --school / school staff need exactly one --school", file=sys.stderr)
            return EXIT_INVALID
        row = access.add_user(args.name, role, school_id=args.school[0] if role == Role.SCHOOL else None,
                              city=args.city, schools=args.school if role == Role.EXPERT else (),
                              display_name=args.display_name, active=not args.inactive)
    except BilingualError as exc:
        return _failed(exc)
    where = row["school_id"] or row["city"] or row["schools"] or "全省 / all schools"
    print(f"已登记 / registered: {row['user_name']} — {ROLE_LABELS[role]} — {where} (version {row['version']})")
    return EXIT_OK


def _recheck_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", default=None, help="只复查该校 / only this school")


@command("recheck", "用次年数据复查已完成的改进任务 / re-check done tasks with next year's values")(_recheck_args)
def run_recheck(args: argparse.Namespace) -> int:
    from ..workflow.errors import BilingualError

    try:
        result = _access(args).recheck_tasks(args.school)
    except BilingualError as exc:
        return _failed(exc)
    if result.empty:
        print("没有待复查的任务 / no done tasks to re-check")
    else:
        print(result.to_string(index=False))
    return EXIT_OK
