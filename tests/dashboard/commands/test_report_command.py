"""``python -m dashboard report``: JSON on stdout, one clear line and a non-zero exit on error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hand_county import build_hand_county

from config.settings import PROJECT_ROOT
from dashboard.cli import main


def test_report_json_for_hand_county(sqlite_engine, capsys):
    build_hand_county(sqlite_engine)
    assert main(["report", "--month", "2026-03", "--db", str(sqlite_engine.url)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["received"] == 5 and report["overdue_open"] == 2
    assert report["first_time_resolution_rate"] == pytest.approx(0.5)


def test_report_table_shows_percentages_and_dash(sqlite_engine, capsys):
    build_hand_county(sqlite_engine)
    assert main(["report", "--month", "2026-03", "--format", "table", "--db", str(sqlite_engine.url)]) == 0
    out = capsys.readouterr().out
    assert "resolution_rate: 50.0%" in out
    assert "on_time_rate_3_7_21: 33.3%" in out
    assert "satisfaction_rate_office: 66.7%" in out


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-3-1", ""])
def test_bad_month_is_one_line_and_nonzero(month, tmp_path, capsys):
    code = main(["report", "--month", month, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("error: --month") and err.count("\n") == 1


def test_unreachable_database_is_one_line_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "report", "--month", "2026-03",
         "--db", "postgresql://nobody@127.0.0.1:1/none"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: cannot reach the database") and result.stderr.count("\n") == 1
