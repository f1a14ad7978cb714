"""``users add|list|disable|enable|unlock|reset-password``: accounts, created by an administrator.

There is no self-registration. Passwords are read from standard input, never
from the command line (where ``ps`` and the shell history would show them):
typed twice without echo at a terminal, or one line from a pipe. Every change
is written to the audit log (action ``user_admin``) under the operating-system
user who ran the command.
"""

from __future__ import annotations

import getpass
import sys

from sqlalchemy import or_, select

from config.settings import resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data import audit
from data.db import make_engine, migrate
from data.models import ROLE_VALUES, Township
from services import auth
from services.writes import Actor


def register(subparsers) -> None:
    parser = subparsers.add_parser("users", help="manage log-in accounts")
    commands = parser.add_subparsers(dest="users_command", required=True)

    add = commands.add_parser("add", help="add an account; the password is read from standard input")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLE_VALUES)
    add.add_argument("--township", metavar="T", help="name or code of the township (role township only)")
    add.set_defaults(func=run_add)

    lister = commands.add_parser("list", help="list the accounts")
    lister.set_defaults(func=run_list)

    for name, func, text in (
        ("disable", run_disable, "disable an account and end its sessions"),
        ("enable", run_enable, "enable a disabled account"),
        ("unlock", run_unlock, "lift a lock-out before it ends by itself"),
        ("reset-password", run_reset_password, "set a new password (from standard input); lifts a lock-out"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("name")
        sub.set_defaults(func=func)

    for sub in commands.choices.values():
        add_db_argument(sub)




def read_password(stdin=None) -> str:
    """The new password: asked twice without echo at a terminal, else one line of standard input."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Password / 密码: ")
        second = getpass.getpass("Repeat / 再次输入: ")
        if first != second:
            raise CommandError("the two passwords differ / 两次输入的密码不一致")
        password = first
    else:
        password = stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("no password on standard input / 标准输入中没有密码")
    return password


def _engine(args):
    engine = make_engine(resolve_database_url(args.db))
    migrate(engine)
    return engine


def _township_id(engine, text: str) -> int:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Township.id, Township.name).where(or_(Township.name == text, Township.code == text))
        ).all()
    if not rows:
        raise CommandError(f"no township named or coded {text!r}")
    if len(rows) > 1:
        raise CommandError(f"{text!r} is the name of one township and the code of another: use the other form")
    return rows[0].id


def _admin_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except auth.PasswordPolicyError as exc:
        raise CommandError(str(exc)) from None
    except auth.UserAdminError as exc:
        raise CommandError(str(exc)) from None


def run_add(args) -> int:
    if args.role == "township" and not args.township:
        raise CommandError("role township needs --township NAME_OR_CODE")
    if args.role != "township" and args.township:
        raise CommandError("--township applies to role township only")
    engine = _engine(args)
    try:
        township_id = _township_id(engine, args.township) if args.township else None
        password = read_password()
        _admin_call(auth.create_user, engine, args.name, password, args.role, township_id, actor=Actor.command_line().username)
    finally:
        engine.dispose()
    print(f"added {args.name} ({args.role})")
    return 0


def run_list(args) -> int:
    engine = _engine(args)
    try:
        users = auth.list_users(engine)
    finally:
        engine.dispose()
    now = audit.utcnow()
    print(f"{'username':<24} {'role':<11} {'township':<16} state")
    for user in users:
        if user["disabled"]:
            state = "disabled"
        elif user["locked_until"] is not None and user["locked_until"] > now:
            state = f"locked until {user['locked_until']:%Y-%m-%d %H:%M} UTC"
        else:
            state = "active"
        print(f"{user['username']:<24} {user['role']:<11} {user['township'] or '-':<16} {state}")
    return 0


def _simple(args, fn, message: str, *extra) -> int:
    engine = _engine(args)
    try:
        _admin_call(fn, engine, args.name, *extra, actor=Actor.command_line().username)
    finally:
        engine.dispose()
    print(message.format(name=args.name))
    return 0


def run_disable(args) -> int:
    return _simple(args, auth.set_disabled, "disabled {name}; their sessions are ended", True)


def run_enable(args) -> int:
    return _simple(args, auth.set_disabled, "enabled {name}", False)


def run_unlock(args) -> int:
    return _simple(args, auth.unlock_user, "unlocked {name}")


def run_reset_password(args) -> int:
    engine = _engine(args)
    try:
        with engine.connect() as conn:
            if auth.get_user(conn, args.name) is None:
                raise CommandError(f"no user {args.name!r}")
        password = read_password()
        _admin_call(auth.reset_password, engine, args.name, password, actor=Actor.command_line().username)
    finally:
        engine.dispose()
    print(f"new password set for {args.name}; their sessions are ended")
    return 0
