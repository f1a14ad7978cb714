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
    except (CommandError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise is "one clear line, no traceback"
        print(f"error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
