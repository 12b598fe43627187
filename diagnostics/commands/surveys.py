"""``zhengai survey``: online surveys (在线数据调查) — open, close, sync, status, serve, instruments.

open/close/sync/status act through :class:`diagnostics.access.Access` as the current user (like
``zhengai user``); ``serve`` runs the anonymous form site on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import EXIT_FAIL, EXIT_INVALID, EXIT_OK, command, engine_from
from .output import FORMATS, emit


def _round_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", required=True, help="学校代码 / school id")
    p.add_argument("--year", type=int, required=True, help="学年（起始年份）/ academic year")
    p.add_argument("--survey", required=True, help="问卷：毕业生、用人单位、在校生、家长 / instrument name")


def _survey_args(p: argparse.ArgumentParser) -> None:
    from ..surveys.web import DEFAULT_PORT

    sub = p.add_subparsers(dest="action", required=True)
    opened = sub.add_parser("open", help="开启调查并发放一次性链接 / open a survey and issue single-use links")
    _round_args(opened)
    opened.add_argument("--links", type=int, required=True, help="发放链接数 / number of links to issue")
    opened.add_argument("--base-url", default=f"http://127.0.0.1:{DEFAULT_PORT}",
                        help="链接前缀（survey serve 的对外地址）/ the address respondents reach survey serve at")
    opened.add_argument("--out", type=Path, default=None,
                        help="把链接写入此文件（权限 600）而不是打印 / write the links to this file (mode 600)")
    for name, text in (("close", "结束调查并写入状态数据 / close a survey and write its results into the store"),
                       ("sync", "把目前的调查结果写入状态数据 / write a survey's results so far into the store")):
        _round_args(sub.add_parser(name, help=text))
    status = sub.add_parser("status", help="回收率、满意度与误差范围 / response rate, satisfaction, margin of error")
    status.add_argument("--school", default=None, help="学校代码 / school id")
    status.add_argument("--year", type=int, default=None, help="学年 / year")
    status.add_argument("--format", choices=FORMATS, default="table")
    serve = sub.add_parser("serve", help="在本机提供调查问卷页面 / serve the survey form on 127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口 / port (default {DEFAULT_PORT})")
    sub.add_parser("instruments", help="列出并校验问卷定义 / list and validate the instruments")


def _access(args: argparse.Namespace):  # noqa: ANN202
    from ..access import Access, resolve_user

    engine = engine_from(args)
    return Access(engine, resolve_user(engine))


def _write_links(path: Path, urls: list[str]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(urls) + "\n")


def _open(args: argparse.Namespace) -> int:
    from ..surveys.web import link_url

    row = _access(args).open_survey(args.school, args.year, args.survey, args.links)
    urls = [link_url(args.base_url, t) for t in row["tokens"]]
    where = f"{row['school_id']} {row['year']} {row['survey']}"
    print(f"已开启调查 / survey open: {where}，新发放 {len(urls)} 个一次性链接，累计 {row['links']} 个 / "
          f"{len(urls)} new single-use links, {row['links']} in all", file=sys.stderr)
    if args.out:
        _write_links(args.out, urls)
        print(f"链接已写入 / links written to {args.out}（仅此一次显示，库中只存散列 / shown once, stored hashed）",
              file=sys.stderr)
    else:
        print("\n".join(urls))
    return EXIT_OK


def _written(result: object) -> str:
    if result is None:
        return "尚无回答，未写入状态数据 / no answers yet: nothing written"
    return result.to_text()  # type: ignore[attr-defined]


def _instruments() -> int:
    from ..surveys.instruments import instruments

    for inst in instruments().values():
        print(f"{inst.name_zh}\t{inst.id}\tsurveys.survey={inst.feeds}\t{inst.indicator or '-'}\t"
              f"{len(inst.questions)} 题 questions\t{inst.file}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from ..surveys.web import make_app

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    quiet = logging.StreamHandler()  # status and method only: no path (the token), no address, no time
    quiet.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("zhengai.survey")
    log.setLevel(logging.INFO)
    log.addHandler(quiet)
    log.propagate = False
    engine = engine_from(args)
    app = make_app(engine)
    print(f"调查问卷地址 / survey form: http://127.0.0.1:{args.port}/s/<链接令牌 token>  (Ctrl-C 停止 / to stop)",
          flush=True)

    async def main() -> None:
        app.listen(args.port, address="127.0.0.1", xheaders=False)
        await asyncio.Event().wait()

    asyncio.run(main())
    return EXIT_OK


@command("survey", "在线数据调查：开启、结束、回收情况、问卷页面 / online surveys")(_survey_args)
def run_survey(args: argparse.Namespace) -> int:
    from ..workflow.errors import BilingualError, InvalidChange

    try:
        if args.action == "instruments":
            return _instruments()
        if args.action == "serve":
            return _serve(args)
        if args.action == "open":
            return _open(args)
        access = _access(args)
        if args.action == "status":
            emit(access.survey_status(args.school, args.year), args.format)
        elif args.action == "close":
            row, result = access.close_survey(args.school, args.year, args.survey)
            print(f"调查已结束 / survey closed: {row['school_id']} {row['year']} {row['survey']}")
            print(_written(result))
        else:
            print(_written(access.sync_survey(args.school, args.year, args.survey)))
    except BilingualError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID if isinstance(exc, InvalidChange) else EXIT_FAIL
    return EXIT_OK
