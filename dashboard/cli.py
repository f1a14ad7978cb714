"""``python -m dashboard …``: every subcommand lives in dashboard/commands/<name>.py.

Each command module exposes ``register(subparsers)``, which adds its parser and
sets ``func`` to a callable taking the parsed arguments and returning an exit
code. Errors a user can cause are raised as :class:`CommandError` and printed
as one line; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from data.db import DatabaseUnavailable

COMMAND_MODULES = ("demo", "report", "serve", "users", "geo", "cases", "bench", "trends")


class CommandError(Exception):
    """A user-facing error: printed as one line, exit code 2."""


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="database URL (else $DASHBOARD_DB_URL, else var/dashboard.sqlite)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="信访态势 petition dashboard")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"dashboard.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CommandError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise is "one clear line, no traceback"
        print(f"error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
