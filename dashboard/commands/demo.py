"""``demo [--cases N] [--seed S] [--today YYYY-MM-DD] [--db URL]``: (re)build the fictional county 示范县."""

from __future__ import annotations

import sys
from datetime import date

from config.settings import load_settings, resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data.db import make_engine
from data.reception_calendar import RECEPTION_DAY_RULES
from services.demo import DEFAULT_SEED, RealDataPresent, build_demo


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="replace the database's contents with the fictional demo county 示范县 (演示数据)",
        description=(
            "Wipes townships, parks, units, categories, leaders, reception data, dispatch items, "
            "cases and petitioners, then builds the demo county. Default: about 4,000 cases a year "
            "over the 36 months up to today."
        ),
    )
    parser.add_argument("--cases", type=int, default=None, metavar="N", help="number of cases (default ~12,000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=f"random seed: the same seed builds the same county (default {DEFAULT_SEED})")
    parser.add_argument("--today", default=None, metavar="YYYY-MM-DD",
                        help="build as if today were this date (default: today in Asia/Shanghai)")
    parser.add_argument("--force", action="store_true",
                        help="replace the database's contents even if it holds real (imported) cases")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_db_argument(parser)
    parser.set_defaults(func=run)


class _Progress:
    """One line per stage and per 10% on stderr; rewritten in place on a terminal."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.last: tuple[str, int] | None = None

    def __call__(self, stage: str, fraction: float) -> None:
        step = (stage, int(fraction * 10))
        if step == self.last:
            return
        self.last = step
        line = f"demo: {stage} {fraction:4.0%}"
        if self.tty:
            end = "\n" if fraction >= 1.0 else ""
            self.stream.write(f"\r{line:<40}{end}")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def run(args) -> int:
    if args.cases is not None and args.cases < 0:
        raise CommandError(f"--cases must be 0 or more, not {args.cases}")
    if args.seed < 0:
        raise CommandError(f"--seed must be 0 or more, not {args.seed}")
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise CommandError(f"--today must be a date as YYYY-MM-DD, not {args.today!r}") from None
    settings = load_settings()
    rule = settings.reception_day_rule
    if rule not in RECEPTION_DAY_RULES:
        raise CommandError(f"reception_day_rule must be one of {', '.join(RECEPTION_DAY_RULES)}, not {rule!r}")
    engine = make_engine(resolve_database_url(args.db))
    try:
        summary = build_demo(
            engine,
            cases=args.cases,
            seed=args.seed,
            today=today,
            reception_day_rule=rule,
            progress=None if args.quiet else _Progress(),
            replace_real_data=args.force,
            rules=settings.deadlines,
        )
    except RealDataPresent as exc:
        raise CommandError(f"{exc}; add --force to replace them with the demo county") from None
    finally:
        engine.dispose()
    print(
        f"示范县 demo data (演示数据), seed {summary.seed}: {summary.cases:,} cases from "
        f"{summary.first_day} to {summary.last_day}, {summary.townships} townships, {summary.parks} parks, "
        f"{summary.units} units, {summary.leaders} leaders, {summary.sessions} reception sessions, "
        f"{summary.dispatch_items} dispatch items in {summary.seconds:.1f} s"
    )
    return 0
