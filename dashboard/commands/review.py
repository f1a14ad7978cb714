"""``review --month YYYY-MM --out DIR [--township NAME] [--lang zh|en]``: the month's review as Word and Excel files.

Writes ``DIR/review-YYYY-MM.docx`` (the report: summary, tables, charts,
dispatch lists, signature block) and ``DIR/review-YYYY-MM.xlsx`` (every
table behind it) and prints their paths, one a line. The figures are those
``report --month`` prints for the month (the same engine), formatted as on
the page. ``--township`` writes a township's review (as a township officer
sees it). Each file written is audited as an export.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from config.clock import local_today
from config.settings import load_settings, resolve_database_url
from dashboard.charts.export import PngSession
from dashboard.cli import CommandError, add_db_argument
from dashboard.commands.report import parse_month
from data.db import is_demo, make_engine, migrate
from queries.filters import Scope
from queries.names import AmbiguousName, UnknownName, resolve_name


def register(subparsers) -> None:
    parser = subparsers.add_parser("review", help="write one month's review (月度研判) as .docx and .xlsx")
    parser.add_argument("--month", required=True, help="the month reviewed, as YYYY-MM")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write review-YYYY-MM.docx/.xlsx into")
    parser.add_argument("--township", metavar="NAME", help="a township's review (its officer's scope)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    flt = parse_month(args.month)
    engine = make_engine(resolve_database_url(args.db))
    written: tuple[Path, Path] | None = None
    try:
        migrate(engine)
        if args.township:
            try:
                township_id = resolve_name(engine, "township", args.township)
            except (UnknownName, AmbiguousName) as exc:
                raise CommandError(f"--township: {exc}") from None
            # A township's review is what its officer sees: their township, no complaints about officials.
            flt = replace(flt, scope=Scope(township_id=township_id, see_accusations=False))
        # Chromium's start-up (seconds) is the longest step: it begins before the rest of the command's
        # libraries are imported and the figures queried, which it then overlaps (README, "Monthly review").
        with PngSession(basic=True) as session:
            from dashboard.review_docs import write_review
            from data import audit
            from services.writes import Actor

            actor = Actor.command_line()
            out = Path(args.out)
            try:
                written = write_review(engine, flt, load_settings().deadlines, out, today=local_today(),
                                       is_demo=is_demo(engine), lang=args.lang, session=session)
            except OSError as exc:
                audit.record(engine, username=actor.username, action="export", object=f"review:{args.month}",
                             outcome="failure")
                raise CommandError(f"cannot write into {out}: {exc.strerror or exc}") from exc
            for path in written:
                audit.record(engine, username=actor.username, action="export", object=f"review:{path.name}")
    finally:
        engine.dispose()
    for path in written:
        print(path)
    return 0
