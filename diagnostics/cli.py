"""The ``zhengai`` command: thin wrappers over the package.

Exit codes: 0 success, 2 invalid input (located errors printed), 1 other failures.
Subcommand names, options and output columns are a public interface: add, never rename.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .workflow.errors import BilingualError, InvalidInput

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str]] = {}


def command(name: str, help_text: str) -> Callable:
    """Register a subcommand: the decorated function adds its arguments, ``run`` does the work."""

    def wrap(add_args: Callable[[argparse.ArgumentParser], None]) -> Callable:
        def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
            COMMANDS[name] = (add_args, run, help_text)
            return run

        return register

    return wrap


def engine_from(args: argparse.Namespace, migrate: bool = False):  # noqa: ANN201
    """The store engine for ``--db`` / ``ZHENGAI_DB_URL`` / the default SQLite file."""
    from .store import ensure_current, init_db, make_engine

    engine = make_engine(args.db)
    if migrate:
        init_db(engine)
    else:
        ensure_current(engine)
    return engine


def build_parser() -> argparse.ArgumentParser:
    from . import commands  # noqa: F401  (registers the subcommands)

    parser = argparse.ArgumentParser(
        prog="zhengai", description="教学工作诊断与改进平台 / teaching diagnosis and improvement platform")
    parser.add_argument("--db", default=None,
                        help="数据库 URL（默认 $ZHENGAI_DB_URL 或 ~/.zhengai/zhengai.db）/ database URL")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (add_args, run, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_args(p)
        p.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:  # `zhengai values | head`: the reader has what it wanted; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0
    except InvalidInput as exc:  # refused before anything was changed
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except (RuntimeError, BilingualError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL


def out_path(value: str) -> Path:
    return Path(value).expanduser()


if __name__ == "__main__":  # pragma: no cover
    # run as ``python -m diagnostics.cli``: the subcommands register on the package module, not on __main__
    from diagnostics.cli import main as package_main

    sys.exit(package_main())
