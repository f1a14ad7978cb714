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
from dashboard.cli import CommandError, add_db_argument, parse_month
from queries.filters import Scope

# Only light modules above: Chromium's start-up (seconds; the longest step) begins as soon as the
# arguments are read, and the command's own libraries (SQLAlchemy, Polars, python-docx…) are imported
# while it starts (README, "Monthly review").


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
    url = resolve_database_url(args.db)
    township_id = _township(url, args.township) if args.township else None
    with PngSession(basic=True) as session:
        from data.db import make_engine, migrate

        if township_id is not None:
            # A township's review is what its officer sees: their township, no complaints about officials.
            flt = replace(flt, scope=Scope(township_id=township_id, see_accusations=False))
        engine = make_engine(url)
        try:
            migrate(engine)
            written = _write(engine, flt, args, session)
        finally:
            engine.dispose()
    for path in written:
        print(path)
    return 0


def _township(url: str, name: str) -> int:
    """The township named, checked before Chromium is started (a wrong name is one line, at once)."""
    from data.db import make_engine, migrate
    from queries.names import AmbiguousName, UnknownName, resolve_name

    engine = make_engine(url)
    try:
        migrate(engine)
        return resolve_name(engine, "township", name)
    except (UnknownName, AmbiguousName) as exc:
        raise CommandError(f"--township: {exc}") from None
    finally:
        engine.dispose()


def _write(engine, flt, args, session: PngSession) -> tuple[Path, Path]:
    from dashboard.review_docs import write_review
    from data import audit
    from data.db import is_demo
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
    return written
