"""The benchmark's pieces: the in-memory Polars floor agrees with the engine, the report states every target.

No timing is asserted anywhere: the benchmark prints figures, tests check it runs and says the right things.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hand_county import MARCH, RULES, build_hand_county
from random_county import build_random_county

from benchmarks import pages as benchmark
from queries import metrics
from queries.filters import add_months

PERIODS = [(MARCH.start, MARCH.end), (date(2025, 12, 1), date(2026, 3, 31)), (date(2026, 3, 10), date(2026, 4, 20))]


@pytest.mark.parametrize("build", [build_hand_county, build_random_county])
def test_polars_floor_agrees_with_the_engine(engine, build):
    county = build(engine)
    cases = benchmark.load_cases(county)
    periods = PERIODS + [(add_months(date(2024, 1, 1), k), add_months(date(2024, 1, 1), k, last_day=True))
                         for k in range(30)]
    expected = metrics._period_counts(county, MARCH, periods, RULES, source="raw")
    got = benchmark.polars_counts(cases, periods, RULES).sort("idx").select("idx", *metrics.MEASURES)
    assert got.equals(expected.select("idx", *metrics.MEASURES))
    # Grouped by township, as the map needs it.
    grouped = benchmark.polars_counts(cases, periods[:1], RULES, group_by="township_id")
    raw = metrics._period_counts(county, MARCH, periods[:1], RULES, "township_id", source="raw")
    nonzero = pl.any_horizontal(pl.col(metrics.MEASURES) != 0)
    key = ["idx", "group_key"]
    assert grouped.filter(nonzero).select(*key, *metrics.MEASURES).sort(key, nulls_last=True).equals(
        raw.filter(nonzero).sort(key, nulls_last=True))


def test_polars_breakdown_by_hand(sqlite_engine):
    cases = benchmark.load_cases(build_hand_county(sqlite_engine))
    frame = benchmark.polars_breakdown(cases, MARCH.start, MARCH.end, "township_id")
    assert dict(frame.iter_rows()) == {1: 3, 2: 2}  # A B J, C D


def _page(name: str, cold: float, change: float, memory: float) -> dict:
    return {"page": name, "start_ms": 900.0, "cold_ms": cold, "cold_caches_ms": [300.0], "warm_ms": [50.0],
            "changes": [("month -1", change), ("township 1", change + 20)], "peak_rss_mb": memory, "rss_mb": memory,
            "calls": [("change", "metrics.headline_change", 0, 0.012), ("change", "summary.inner", 1, 0.010)],
            "statements": {"change": [1.0, 2.0, 3.0, 4.0]}}


def test_report_states_each_target_met_or_missed_by_how_much():
    info = benchmark.DatabaseInfo(url="sqlite:////tmp/x.sqlite", dialect="sqlite", cases=1_000_000,
                                  built_seconds=None, summary_seconds=2.5, summary_rows={"summary_events": 10})
    floor = {"month": "2026-10-01", "load_seconds": 2.0, "frame_mb": 90.0, "rss_growth_mb": 100.0, "rows": [
        {"aggregate": "13-month trend", "engine_ms": 60.0, "raw_sql_ms": 900.0, "polars_ms": 15.0,
         "polars_agrees": True},
    ]}
    report = benchmark.render(info, [_page("overview.py", 900, 120, 300), _page("map.py", 3400, 410, 1100)],
                              floor, 3, ("1.00", "2.00"))
    overview, map_row = [line for line in report.splitlines() if line.startswith(("| overview", "| map"))][:2]
    assert "first load met" in overview and "change met" in overview and "memory met" in overview
    assert "first load missed by 1,400" in map_row  # 3,400 against 2,000 ms
    assert "change missed by 120" in map_row  # median of 410 and 430 = 420, against 300 ms
    assert "memory missed by 76" in map_row  # 1,100 against 1,024 MB
    assert "| 13-month trend | 60 | 900 | 15 | 4.00 (over 3×) | yes |" in report
    assert "`metrics.headline_change`" in report and "summary.inner" not in report  # outermost calls only
    assert "summary rebuilt in 2.5 s" in report


def test_refuses_a_database_with_real_cases(sqlite_engine):
    from dashboard.cli import CommandError

    build_hand_county(sqlite_engine)  # imported cases: not a demo database
    with pytest.raises(CommandError, match="real"):
        benchmark.ensure_database(str(sqlite_engine.url), 99, say=lambda line: None)


@pytest.mark.slow
def test_small_benchmark_runs_end_to_end(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    report, path = benchmark.run_benchmark(cases=400, url=url, repeats=1, pages=["overview.py"], out_dir=tmp_path,
                                           say=lambda line: None)
    assert path.read_text(encoding="utf-8") == report
    assert "## Benchmark: 400 cases on sqlite" in report
    assert "| overview |" in report
    # The in-memory floor computed the same numbers as the engine.
    assert report.count("| yes |") == 2 and "| NO |" not in report
    # Run again: the database is reused, not rebuilt.
    again, _ = benchmark.run_benchmark(cases=400, url=url, repeats=1, pages=[], floor=False, out_dir=tmp_path,
                                       say=lambda line: None)
    assert "reused" in again


@pytest.mark.slow
def test_receptions_is_timed_with_its_records_open_and_each_tab_as_a_click(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    report, _ = benchmark.run_benchmark(cases=400, url=url, repeats=1, pages=["receptions.py"], floor=False,
                                        out_dir=tmp_path, say=lambda line: None)
    assert "| receptions |" in report
    # The sidebar's filter drives the records tab: its query is timed on every filter change.
    assert "| receptions | change | `receptions.leader_records` |" in report
    clicks = next(line for line in report.splitlines() if line.startswith("receptions: opening a tab"))
    for tab in ("月历", "安排列表", "下一步去哪里", "登记接访", "接访规则", "领导接访包案情况"):
        assert f"tab {tab} " in clicks


def test_a_page_of_lazy_tabs_is_timed_tab_by_tab():
    # The trends page computes only its open tab: each tab is a page of the report, opened before its first run.
    assert benchmark.app_pages(["trends.py"]) == ["trends.py", "trends.py#rates", "trends.py#rising",
                                                  "trends.py#hot_words"]
    assert benchmark.app_pages(["trends.py#rising", "overview.py"]) == ["overview.py", "trends.py#rising"]
    assert "trends.py#hot_words" in benchmark.app_pages() and "data_import.py" not in benchmark.app_pages()
    assert benchmark.split_view("trends.py#rising") == ("trends.py", "rising")
    info = benchmark.DatabaseInfo(url="sqlite:////tmp/x.sqlite", dialect="sqlite", cases=1_000_000,
                                  built_seconds=None, summary_seconds=None, summary_rows={})
    report = benchmark.render(info, [_page("trends.py#rising", 2500, 3000, 400)], None, 3, ("1", "2"))
    row = next(line for line in report.splitlines() if line.startswith("| trends"))
    assert row.startswith("| trends (tab rising) |") and "change missed by 2,710" in row
