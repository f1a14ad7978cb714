"""``report --month YYYY-MM [--format json|table]``: the month's figures."""

from __future__ import annotations

import json
import re

from config.settings import resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data.db import make_engine, migrate
from queries.filters import CaseFilter
from queries.metrics import RATE_PARTS
from queries.report import month_report
from text.formatting import format_rate

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="print one month's figures")
    parser.add_argument("--month", required=True, help="the month, as YYYY-MM")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def parse_month(text: str) -> CaseFilter:
    match = MONTH_PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"--month must be YYYY-MM with a month from 01 to 12, not {text!r}")
    return CaseFilter.for_month(int(match.group(1)), int(match.group(2)))


def run(args) -> int:
    flt = parse_month(args.month)
    engine = make_engine(resolve_database_url(args.db))
    try:
        migrate(engine)
        report = month_report(engine, flt)
    finally:
        engine.dispose()
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render_table(report))
    return 0


def render_table(report: dict) -> str:
    lines = [f"period: {report['period']['start']} .. {report['period']['end']}"]
    for key, value in report.items():
        if key == "period":
            continue
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {name}: {count}" for name, count in value.items())
        elif key in RATE_PARTS:
            lines.append(f"{key}: {format_rate(value)}")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)
