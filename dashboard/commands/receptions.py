"""``receptions plan --year YYYY [--month M] [--format json|xlsx|ics] [--out FILE]``: the leaders' reception plan.

The plan is :func:`queries.receptions.plan_sessions` for the year (or one
month of it), for the whole county: the rules' sessions with the stored
adjustments and records laid over them. JSON (a list of sessions sorted by
date) goes to standard output unless ``--out`` names a file; the Excel sheet
(接访安排表) and the iCalendar file need ``--out``. A file written is audited
as an export.
"""

from __future__ import annotations

import json
from pathlib import Path

from config.settings import resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data import audit
from data.db import make_engine, migrate
from queries.reception_exports import plan_ics, plan_json, plan_xlsx, schedule_title
from queries.receptions import plan_sessions, year_or_month
from services.writes import Actor

FORMATS = ("json", "xlsx", "ics")


def register(subparsers) -> None:
    parser = subparsers.add_parser("receptions", help="the leaders' reception schedule (领导接访)")
    actions = parser.add_subparsers(dest="action", required=True)
    plan = actions.add_parser("plan", help="the planned sessions of a year or a month, as JSON, xlsx or ics")
    plan.add_argument("--year", type=int, required=True, help="the year, e.g. 2026")
    plan.add_argument("--month", type=int, default=None, help="one month of the year, 1-12")
    plan.add_argument("--format", choices=FORMATS, default="json")
    plan.add_argument("--out", default=None, help="file to write (needed for xlsx and ics)")
    add_db_argument(plan)
    plan.set_defaults(func=run_plan)


def run_plan(args) -> int:
    if not 1900 <= args.year <= 2999:
        raise CommandError(f"--year must be a four-digit year, not {args.year}")
    if args.month is not None and not 1 <= args.month <= 12:
        raise CommandError(f"--month must be from 1 to 12, not {args.month}")
    if args.format != "json" and not args.out:
        raise CommandError(f"--format {args.format} writes a file: give it with --out FILE")
    start, end = year_or_month(args.year, args.month)
    engine = make_engine(resolve_database_url(args.db))
    try:
        migrate(engine)
        plan = plan_sessions(engine, start, end)
        if args.format == "json":
            content = (json.dumps(plan_json(plan), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        elif args.format == "xlsx":
            content = plan_xlsx(plan, schedule_title(args.year, args.month))
        else:
            content = plan_ics(plan)
        if not args.out:
            print(content.decode("utf-8"), end="")
            return 0
        out = Path(args.out)
        try:
            out.write_bytes(content)
        except OSError as exc:
            audit.record(engine, username=Actor.command_line().username, action="export", object=f"receptions:{out.name}",
                         outcome="failure")
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc
        audit.record(engine, username=Actor.command_line().username, action="export", object=f"receptions:{out.name}")
    finally:
        engine.dispose()
    print(f"{plan.height} sessions written to {out}")
    return 0
