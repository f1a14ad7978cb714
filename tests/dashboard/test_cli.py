"""The command line's shared pieces: ``--month`` parsing and errors as one line with their exit codes."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.cli import CommandError, main, parse_month


def test_a_month_is_its_calendar_month():
    flt = parse_month(" 2024-02 ")
    assert (flt.start, flt.end) == (date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-2", "24-02", "2024/02", ""])
def test_anything_else_is_a_command_error(text):
    with pytest.raises(CommandError, match="--month must be YYYY-MM"):
        parse_month(text)


def test_an_unusable_database_is_one_line_and_exit_2(capsys, tmp_path):
    # DatabaseUnavailable is recognised without the CLI importing data.db up front.
    assert main(["report", "--month", "2026-10", "--db", "no-such-scheme:///x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: not a database URL") and len(err.strip().splitlines()) == 1


def test_any_other_failure_is_one_line_and_exit_1(capsys, monkeypatch):
    from dashboard.commands import report

    def broken(args):
        raise ValueError("something\nelse")

    monkeypatch.setattr(report, "run", broken)
    assert main(["report", "--month", "2026-10"]) == 1
    assert capsys.readouterr().err == "error: ValueError: something\n"
