"""``python -m dashboard users …``: accounts from the command line, passwords from standard input, all audited."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import insert, select

from dashboard import cli
from dashboard.commands import users
from data import audit
from data.models import Township, User
from services import auth

GOOD = "Correct-Horse-7"


@pytest.fixture
def db(sqlite_engine, monkeypatch):
    # Only this command: the others are tested in their own files.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("users",))
    with sqlite_engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 1, "name": "东岭镇", "code": "DL", "kind": "town"},
                                        {"id": 2, "name": "西山乡", "code": "XS", "kind": "township"}])
    return sqlite_engine


def run(db, monkeypatch, *argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["users", *argv, "--db", db.url.render_as_string(hide_password=False)])


def stored(db, name):
    with db.connect() as conn:
        return conn.execute(select(User).where(User.username == name)).first()


def test_users_is_a_registered_command():
    assert "users" in cli.COMMAND_MODULES


def test_add_reads_the_password_from_stdin_and_hashes_it(db, monkeypatch, capsys):
    assert run(db, monkeypatch, "add", "office1", "--role", "office", stdin=GOOD + "\n") == 0
    row = stored(db, "office1")
    assert row.role == "office" and row.township_id is None and not row.disabled
    assert row.password_hash.startswith("$argon2id$") and GOOD not in row.password_hash
    assert auth.authenticate(db, "office1", GOOD, None, now=datetime(2026, 3, 1)).ok
    assert GOOD not in capsys.readouterr().out


@pytest.mark.parametrize("township", ["西山乡", "XS"])
def test_add_township_officer_by_name_or_code(db, monkeypatch, township):
    assert run(db, monkeypatch, "add", "officer", "--role", "township", "--township", township, stdin=GOOD) == 0
    assert stored(db, "officer").township_id == 2


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("add", "x", "--role", "township"), GOOD, "needs --township"),
        (("add", "x", "--role", "office", "--township", "DL"), GOOD, "role township only"),
        (("add", "x", "--role", "township", "--township", "火星镇"), GOOD, "no township"),
        (("add", "x", "--role", "office"), "", "no password"),
        (("add", "x", "--role", "office"), "short\n", "12"),
        (("add", "x", "--role", "office"), "alllowercaseletters\n", "at least 3 of"),
        (("disable", "ghost"), "", "no user 'ghost'"),
        (("reset-password", "ghost"), GOOD, "no user 'ghost'"),
    ],
)
def test_errors_are_one_line_and_nonzero(db, monkeypatch, capsys, argv, stdin, message):
    assert run(db, monkeypatch, *argv, stdin=stdin) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("error: ")
    assert stored(db, "x") is None


def test_policy_error_is_in_chinese_and_english(db, monkeypatch, capsys):
    run(db, monkeypatch, "add", "x", "--role", "office", stdin="short\n")
    err = capsys.readouterr().err
    assert "密码至少需要 12 个字符" in err and "at least 12 characters" in err


def test_duplicate_is_refused(db, monkeypatch, capsys):
    run(db, monkeypatch, "add", "office1", "--role", "office", stdin=GOOD)
    assert run(db, monkeypatch, "add", "office1", "--role", "leader", stdin=GOOD) == 2
    assert "exists" in capsys.readouterr().err
    assert stored(db, "office1").role == "office"


def test_list_shows_accounts_and_no_hashes(db, monkeypatch, capsys):
    run(db, monkeypatch, "add", "office1", "--role", "office", stdin=GOOD)
    run(db, monkeypatch, "add", "officer", "--role", "township", "--township", "DL", stdin=GOOD)
    run(db, monkeypatch, "disable", "office1")
    capsys.readouterr()
    assert run(db, monkeypatch, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["username", "role", "township", "state"]
    assert lines[1].split() == ["office1", "office", "-", "disabled"]
    assert lines[2].split() == ["officer", "township", "东岭镇", "active"]
    assert "argon2" not in "\n".join(lines)


def test_disable_enable_and_reset_password(db, monkeypatch):
    run(db, monkeypatch, "add", "leader1", "--role", "leader", stdin=GOOD)
    token = auth.start_session(db, auth.get_user(db, "leader1"))
    assert run(db, monkeypatch, "disable", "leader1") == 0
    assert stored(db, "leader1").disabled
    assert auth.resume_session(db, token) is None  # disabling ends the session
    assert run(db, monkeypatch, "enable", "leader1") == 0
    assert not stored(db, "leader1").disabled
    assert run(db, monkeypatch, "reset-password", "leader1", stdin="Brand-New-Pass-9\n") == 0
    assert auth.authenticate(db, "leader1", "Brand-New-Pass-9", None).ok
    assert not auth.authenticate(db, "leader1", GOOD, None).ok


def test_unlock_lifts_a_lockout(db, monkeypatch):
    run(db, monkeypatch, "add", "leader1", "--role", "leader", stdin=GOOD)
    for _ in range(5):
        auth.authenticate(db, "leader1", "Wrong-Pass-123", "10.0.0.1")
    assert auth.authenticate(db, "leader1", GOOD, "10.0.0.1").reason == "locked"
    assert run(db, monkeypatch, "unlock", "leader1") == 0
    assert auth.authenticate(db, "leader1", GOOD, "10.0.0.1").ok


def test_every_change_is_audited_under_the_os_user(db, monkeypatch):
    monkeypatch.setattr(users.getpass, "getuser", lambda: "root")
    run(db, monkeypatch, "add", "officer", "--role", "township", "--township", "DL", stdin=GOOD)
    run(db, monkeypatch, "disable", "officer")
    run(db, monkeypatch, "enable", "officer")
    run(db, monkeypatch, "unlock", "officer")
    run(db, monkeypatch, "reset-password", "officer", stdin="Brand-New-Pass-9")
    run(db, monkeypatch, "list")
    rows = audit.search(db, action="user_admin").sort("id")
    assert rows["object"].to_list() == [
        "add officer role=township township_id=1",
        "disable officer",
        "enable officer",
        "unlock officer",
        "reset-password officer",
    ]
    assert set(rows["username"].to_list()) == {"cli:root"}
    assert not any("Brand-New" in (v or "") or GOOD in (v or "") for v in rows["object"].to_list())


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_terminal_asks_twice_without_echo(monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr(users.getpass, "getpass", lambda prompt: next(answers))
    assert users.read_password(FakeTerminal()) == GOOD


def test_terminal_refuses_two_different_passwords(monkeypatch):
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr(users.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(cli.CommandError, match="differ"):
        users.read_password(FakeTerminal())


def test_pipe_keeps_inner_spaces_and_drops_only_the_line_end():
    assert users.read_password(io.StringIO("  pass word 1A  \r\nignored\n")) == "  pass word 1A  "
