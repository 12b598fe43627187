"""Public site timings: ``zhengai publish`` for a sample province, and the site's own checks.

    .venv/bin/python benchmarks/publish_bench.py --schools 12 --scale 0.1

The province is generated (diagnostics.sample), imported, computed and warned in a temporary store
first (not timed).  Prints the seconds of the site (pages and the province and city PDFs), of the link
check and of the private-token scan, the number of files and the site's size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from diagnostics.access import local_user
from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.reports import StoreSource
from diagnostics.reports.publish import publish_site
from diagnostics.reports.sitecheck import check_links, private_tokens, scan
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.store import init_db, make_engine
from diagnostics.warnings import run_warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=12)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "csv", schools=args.schools, years=args.years, seed=7, scale=args.scale, first_year=2023)
        (root / "csv" / ANSWER_KEY).unlink()
        engine = make_engine(f"sqlite:///{root / 'store.db'}")
        init_db(engine)
        assert import_path(engine, root / "csv").ok
        models, _ = load_models()
        compute(engine, models)
        run_warnings(engine, models=models)
        source = StoreSource(engine, local_user(), models)
        year = 2023 + args.years - 1
        t0 = time.perf_counter()
        site = publish_site(source, source.access.public_schools(), year, root / "site")
        t1 = time.perf_counter()
        broken = check_links(root / "site")
        t2 = time.perf_counter()
        leaked = scan(root / "site", private_tokens(engine))
        t3 = time.perf_counter()
        files = [p for p in (root / "site").rglob("*") if p.is_file()]
        print(f"schools {sum(len(p) for _, p in site.cities)}, cities {len(site.cities)}, files {len(files)}, "
              f"size {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
        print(f"publish {t1 - t0:.1f} s, link check {t2 - t1:.2f} s ({len(broken)} broken), "
              f"token scan {t3 - t2:.2f} s ({len(leaked)} found)")


if __name__ == "__main__":
    main()
