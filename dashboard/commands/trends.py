"""``trends --month YYYY-MM [--township NAME] [--format json|table]``: the month's rising issues and hot words.

JSON shape (stable for other tools)::

    {"month": "YYYY-MM",
     "rising": [{"category": name, "township": name or null, "park": name or null,
                 "received": int, "expected": number}, ...],
     "hot_words": [{"word": ..., "count": int, "previous": number}, ...]}

Both lists strongest first. ``--township`` restricts every count to one
township (its name, or its code).
"""

from __future__ import annotations

import json
from dataclasses import replace

from config.settings import resolve_database_url
from dashboard.cli import CommandError, add_db_argument, parse_month
from data.db import make_engine, migrate
from queries import hot_words, reference, rising
from queries.filters import CaseFilter


def register(subparsers) -> None:
    parser = subparsers.add_parser("trends", help="print one month's rising issues and hot words")
    parser.add_argument("--month", required=True, help="the month, as YYYY-MM")
    parser.add_argument("--township", default=None, help="only this township (name or code)")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument("--words", type=int, default=hot_words.DEFAULT_LIMIT, help="how many hot words (default 20)")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def township_filter(engine, flt: CaseFilter, name: str | None) -> CaseFilter:
    if name is None:
        return flt
    townships = reference.townships(engine)
    for township_id, code, township in zip(townships["id"], townships["code"], townships["name"], strict=True):
        if name.strip() in (township, code):
            return replace(flt, township_ids=(township_id,))
    raise CommandError(f"--township: no township named {name!r}")


def trends_report(engine, flt: CaseFilter, words: int = hot_words.DEFAULT_LIMIT) -> dict:
    result = rising.rising_issues(engine, flt)
    return {
        "month": f"{result.month:%Y-%m}",
        "rising": [
            {"category": r["category"], "township": r["township"], "park": r["park"],
             "received": r["received"], "expected": round(r["expected"], 2)}
            for r in result.rising.iter_rows(named=True)
        ],
        "hot_words": [
            {"word": r["word"], "count": r["count"], "previous": round(r["previous"], 2)}
            for r in hot_words.hot_words(engine, flt, limit=words).iter_rows(named=True)
        ],
    }


def run(args) -> int:
    flt = parse_month(args.month)
    engine = make_engine(resolve_database_url(args.db))
    try:
        migrate(engine)
        flt = township_filter(engine, flt, args.township)
        report = trends_report(engine, flt, args.words)
    finally:
        engine.dispose()
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render_table(report))
    return 0


def render_table(report: dict) -> str:
    lines = [f"month: {report['month']}", "rising:"]
    for r in report["rising"]:
        where = " / ".join(x for x in (r["township"], r["park"]) if x) or "全县"
        lines.append(f"  {r['category']} ({where}): {r['received']} (expected {r['expected']:.1f})")
    lines.append("hot words:")
    lines.extend(f"  {w['word']}: {w['count']} (previous {w['previous']:.1f})" for w in report["hot_words"])
    return "\n".join(lines)
