"""``python -m dashboard …``: every subcommand lives in dashboard/commands/<name>.py.

Each command module exposes ``register(subparsers)``, which adds its parser and
sets ``func`` to a callable taking the parsed arguments and returning an exit
code. Errors a user can cause are raised as :class:`CommandError` and printed
as one line; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from queries.filters import CaseFilter

COMMAND_MODULES = ("demo", "report", "serve", "users", "geo", "cases", "bench", "receptions", "trends", "review")


class CommandError(Exception):
    """A user-facing error: printed as one line, exit code 2."""


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="database URL (else $DASHBOARD_DB_URL, else var/dashboard.sqlite)",
    )


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> CaseFilter:
    """``--month YYYY-MM`` as the filter of that calendar month; anything else is a :class:`CommandError`."""
    match = MONTH_PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"--month must be YYYY-MM with a month from 01 to 12, not {text!r}")
    return CaseFilter.for_month(int(match.group(1)), int(match.group(2)))


def _database_unavailable(exc: Exception) -> bool:
    # data.db (SQLAlchemy, the models) is not imported here: a command may start work before it needs it
    # (the review starts Chromium first). An exception of its class means the module is loaded.
    db = sys.modules.get("data.db")
    return db is not None and isinstance(exc, db.DatabaseUnavailable)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: only the named command's module is imported.

    Each command imports what it needs (GeoPandas for ``geo``, Argon2 for
    ``users``, …), so ``report`` does not pay for the others' libraries. With
    no known command (``--help``, a typo), every command is registered so the
    help lists them all.
    """
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="信访态势 petition dashboard")
    subparsers = parser.add_subparsers(dest="command", required=True)
    wanted = next((arg for arg in (argv or []) if not arg.startswith("-")), None)
    for name in (wanted,) if wanted in COMMAND_MODULES else COMMAND_MODULES:
        importlib.import_module(f"dashboard.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise is "one clear line, no traceback"
        if _database_unavailable(exc):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
