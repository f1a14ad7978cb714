"""``python -m dashboard trends``: the JSON shape on the seasonal county, and one clear line for an unknown township."""

from __future__ import annotations

import json

import pytest
from trends_county import build_seasonal_county

from dashboard.cli import main


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    from conftest import fresh_sqlite_engine

    engines = fresh_sqlite_engine(tmp_path_factory.mktemp("trends_cli"))
    engine = next(engines)
    build_seasonal_county(engine)
    url = str(engine.url)
    yield url
    engines.close()


def test_json_shape(db_url, capsys):
    assert main(["trends", "--month", "2026-02", "--format", "json", "--db", db_url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"month", "rising", "hot_words"} and report["month"] == "2026-02"
    # The planted rise (tests/trends_county.py), strongest first: 西山乡's own series, then the county's.
    assert [(r["category"], r["township"], r["park"]) for r in report["rising"]] == [
        ("征地拆迁", "西山乡", None), ("征地拆迁", None, None)]
    for row in report["rising"]:
        assert set(row) == {"category", "township", "park", "received", "expected"}
        assert isinstance(row["received"], int) and isinstance(row["expected"], float)
    assert report["rising"][0]["received"] == 33
    # The planted cases' summaries (征地补偿款未到位) are new this month; the festival's were there in January.
    words = {w["word"]: w for w in report["hot_words"]}
    assert words["补偿款"] == {"word": "补偿款", "count": 33, "previous": 0.0}
    for word in report["hot_words"]:
        assert set(word) == {"word", "count", "previous"} and isinstance(word["count"], int)
    rises = [w["count"] - w["previous"] for w in report["hot_words"]]
    assert rises == sorted(rises, reverse=True)


def test_township_filter(db_url, capsys):
    assert main(["trends", "--month", "2026-02", "--township", "东岭镇", "--db", db_url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rising"] == []  # the rise is in 西山乡; 东岭镇's peak is the ordinary one
    assert "补偿款" not in {w["word"] for w in report["hot_words"]}


def test_unknown_township_is_one_line_and_nonzero(db_url, capsys):
    code = main(["trends", "--month", "2026-02", "--township", "不存在镇", "--db", db_url])
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("error: --township") and err.count("\n") == 1


def test_bad_month_is_one_line_and_nonzero(db_url, capsys):
    assert main(["trends", "--month", "2026-13", "--db", db_url]) != 0
    assert capsys.readouterr().err.startswith("error: --month")
