"""``bench [--cases N] [--db URL] [--repeats R] [--pages ...]``: every page's server time and memory, and the floor."""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.cli import CommandError, add_db_argument


def register(subparsers) -> None:
    from benchmarks.pages import BENCH_DIR, DEFAULT_CASES, DEFAULT_REPEATS

    parser = subparsers.add_parser(
        "bench",
        help="time every page (cold, warm, after a filter change), its memory and queries, against a floor",
        description=(
            "Builds (or reuses, when its case count matches) a demo database of N cases, then runs every page "
            "in Streamlit's AppTest and times it, and times the pages' aggregates by the engine, by raw SQL and "
            "by Polars in memory. Prints a Markdown table and writes it under var/bench/. Default database: "
            "var/bench/demo-N.sqlite; a PostgreSQL URL's database is created if missing."
        ),
    )
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, metavar="N",
                        help=f"number of demo cases (default {DEFAULT_CASES:,})")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, metavar="R",
                        help=f"reruns per measurement; medians are reported (default {DEFAULT_REPEATS})")
    parser.add_argument("--pages", default=None, metavar="P,Q",
                        help="only these page files, e.g. overview.py,map.py (default: every data page)")
    parser.add_argument("--no-floor", action="store_true", help="skip the raw-SQL and in-memory Polars floor")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, metavar="DIR", help="where the report is written")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from benchmarks.pages import run_benchmark

    if args.cases < 1:
        raise CommandError("--cases must be at least 1")
    if args.repeats < 1:
        raise CommandError("--repeats must be at least 1")
    pages = [p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else None
    report, path = run_benchmark(
        cases=args.cases, url=args.db, repeats=args.repeats, pages=pages, floor=not args.no_floor, out_dir=args.out
    )
    sys.stdout.write(report)
    print(f"bench: written to {path}", file=sys.stderr)
    return 0
