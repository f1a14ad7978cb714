"""``python -m dashboard bench``: argument errors are one line and a non-zero exit."""

from __future__ import annotations

from dashboard.cli import main


def test_rejects_a_nonsense_case_count(capsys):
    assert main(["bench", "--cases", "0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --cases must be at least 1"


def test_rejects_nonsense_repeats(capsys):
    assert main(["bench", "--cases", "10", "--repeats", "0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --repeats must be at least 1"
