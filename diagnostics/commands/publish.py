"""The ``publish`` subcommand: the public disclosure site (信息发布) of a year.

    zhengai publish --year Y --out DIR

Only a province user may publish (checked through :class:`~diagnostics.access.Access`).  The site is
checked before the command reports success: every link resolves to a file in DIR, and no student key,
teacher key or ID hash of the store is in any file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import EXIT_FAIL, EXIT_INVALID, EXIT_OK, command, engine_from, out_path


def _publish_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, help="学年（起始年份）/ academic year (its starting year)")
    p.add_argument("--out", type=out_path, default=Path("site"), help="网站输出文件夹 / output folder of the site")


@command("publish", "生成可离线浏览的信息公开网站（省级用户）/ write the public disclosure site")(_publish_args)
def run_publish(args: argparse.Namespace) -> int:
    from ..access import AccessError, resolve_user
    from ..reports import ReportDataError, StoreSource
    from ..reports.layout import LayoutError
    from ..reports.publish import publish_site
    from ..reports.sitecheck import check_links, private_tokens, scan

    try:
        engine = engine_from(args)
        source = StoreSource(engine, resolve_user(engine))
        schools = source.access.public_schools()  # the province's to release
        site = publish_site(source, schools, args.year, args.out)
    except (ReportDataError, LayoutError, ValueError, AccessError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    problems = check_links(args.out) + scan(args.out, private_tokens(engine))
    for problem in problems:
        print(f"  网站检查未通过 / site check failed: {problem}", file=sys.stderr)
    pages = sum(len(p) for _, p in site.cities)
    print(f"信息公开网站已生成 / public site written: {args.out}（{pages} 所学校，{len(site.reports)} 份报告）")
    return EXIT_FAIL if problems else EXIT_OK
