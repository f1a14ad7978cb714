"""``report --month YYYY-MM [--format json|table] [filters] [--by DIMENSION]``: the month's figures.

Filters (``--township --park --category --channel --unit --leader``, each a
name, or a code for the channel) restrict every figure to those cases. Names
match as the case import matches them (width and spaces normalised, a
township's suffix optional when only one fits); an unknown or ambiguous name
is one line and a non-zero exit. ``--by unit|leader|township|category``
prints ``{"period": …, "rows": [{"name": …, <every key of the report>}, …]}``.
Without filters and ``--by`` the JSON is exactly what it always was.
"""

from __future__ import annotations

import json
from dataclasses import replace

from config.settings import load_settings, resolve_database_url
from dashboard.cli import CommandError, add_db_argument, parse_month
from data.db import make_engine, migrate
from data.models import CHANNEL_VALUES
from queries.filters import CaseFilter
from queries.metrics import RATE_PARTS
from queries.names import AmbiguousName, UnknownName, resolve_name
from queries.report import REPORT_BY, month_report, month_report_rows
from text.formatting import format_rate

# option -> (the dimension named, the CaseFilter field it restricts)
NAME_FILTERS = {
    "township": ("township", "township_ids"),
    "park": ("park", "park_ids"),
    "category": ("category", "category_ids"),
    "unit": ("unit", "unit_ids"),
    "leader": ("leader", "leader_ids"),
}


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="print one month's figures")
    parser.add_argument("--month", required=True, help="the month, as YYYY-MM")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument("--township", metavar="NAME", help="only cases of this township (镇/乡/街道 optional)")
    parser.add_argument("--park", metavar="NAME", help="only cases of this industrial park")
    parser.add_argument("--category", metavar="NAME", help="only cases of this category (name or code)")
    parser.add_argument("--channel", metavar="CODE", help=f"only cases of this channel: {', '.join(CHANNEL_VALUES)}")
    parser.add_argument("--unit", metavar="NAME", help="only cases of this responsible unit (责任单位)")
    parser.add_argument("--leader", metavar="NAME", help="only cases owned by this county leader (包案领导)")
    parser.add_argument("--by", choices=tuple(REPORT_BY), help="one report per unit, leader, township or category")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def apply_filters(engine, flt: CaseFilter, args) -> CaseFilter:
    """``flt`` restricted by every filter option given; unknown or ambiguous names raise CommandError."""
    if getattr(args, "channel", None) is not None:
        channel = args.channel.strip().lower()
        if channel not in CHANNEL_VALUES:
            raise CommandError(f"unknown channel {args.channel!r}: use one of {', '.join(CHANNEL_VALUES)}")
        flt = replace(flt, channels=(channel,))
    for option, (dimension, field) in NAME_FILTERS.items():
        text = getattr(args, option, None)
        if text is None:
            continue
        try:
            flt = replace(flt, **{field: (resolve_name(engine, dimension, text),)})
        except (UnknownName, AmbiguousName) as exc:
            raise CommandError(f"--{option}: {exc}") from None
    return flt


def run(args) -> int:
    flt = parse_month(args.month)
    engine = make_engine(resolve_database_url(args.db))
    try:
        migrate(engine)
        flt = apply_filters(engine, flt, args)
        rules = load_settings().deadlines  # the rules the dashboard reads with (dashboard.toml)
        if getattr(args, "by", None):
            report = month_report_rows(engine, flt, args.by, rules)
        else:
            report = month_report(engine, flt, rules)
    finally:
        engine.dispose()
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif "rows" in report:
        print("\n\n".join(f"== {row['name']} ==\n{render_table(row)}" for row in report["rows"]))
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
