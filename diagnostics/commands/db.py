"""The ``db`` subcommand: database roles and row-level security of a shared PostgreSQL deployment.

    zhengai db grant [--passwords DIR]   # roles per user and per zhengai role, policies, researchers' schema
    zhengai db roles                     # the login role of each user
    zhengai db revoke                    # drop every role made for this database
"""

from __future__ import annotations

import argparse
import sys

from ..cli import EXIT_INVALID, EXIT_OK, command, engine_from, out_path


def _db_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("grant", "roles", "revoke"),
                   help="grant：建立或刷新角色与行级安全策略；roles：列出角色；revoke：删除本库的全部角色 / "
                        "grant: create or refresh roles and policies; roles: list; revoke: drop them")
    p.add_argument("--passwords", type=out_path, default=None,
                   help="为每个用户生成新口令，连接串写入此文件夹的 <用户>.url（权限 0600）/ write a new password "
                        "per user as <user>.url (mode 0600) into this folder")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


@command("db", "数据库最小权限：角色与行级安全 / least privilege in the database: roles and row-level security")(_db_args)
def run_db(args: argparse.Namespace) -> int:
    from ..access import resolve_user
    from ..access.roles import Role
    from ..store import privileges
    from .output import emit

    engine = engine_from(args)
    if engine.dialect.name != "postgresql":
        print("数据库角色只用于 PostgreSQL 共享部署 / database roles need PostgreSQL", file=sys.stderr)
        return EXIT_INVALID
    user = resolve_user(engine)
    if user.role != Role.PROVINCE:
        print("只有省级管理员可以管理数据库角色 / only a province officer manages database roles", file=sys.stderr)
        return EXIT_INVALID
    if args.action == "grant":
        frame = privileges.grant(engine, args.passwords)
        print(f"已建立或刷新 {len(frame)} 个用户角色及行级安全策略 / roles and policies refreshed "
              f"for {len(frame)} user(s)", file=sys.stderr)
    elif args.action == "revoke":
        dropped = privileges.revoke(engine)
        print(f"已删除 {len(dropped)} 个角色 / dropped {len(dropped)} role(s)")
        return EXIT_OK
    else:
        frame = privileges.role_table(engine)
    emit(frame, args.format)
    return EXIT_OK
