"""Time the outcome measures (queries/outcomes.py) and the report's filters on a demo county.

Prints figures and asserts nothing. Builds (or reuses) a demo database of N
cases, makes sure its monthly summary is current, then times each call for the
last whole month (median of R runs, ms), the same figures with the summary
ignored (``source="raw"``), the summary rebuild, and the rows the owner leader
dimension adds to the summary.

    .venv/bin/python benchmarks/bench_outcomes.py                       # 100,000 cases, SQLite
    .venv/bin/python benchmarks/bench_outcomes.py --db postgresql://…   # an existing demo database
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from sqlalchemy import func, select  # noqa: E402

from config.settings import DeadlineRules  # noqa: E402
from data.db import bump_data_version, make_engine, migrate  # noqa: E402
from data.models import SUMMARY_DIMENSIONS  # noqa: E402
from queries import metrics, outcomes, report  # noqa: E402
from queries.filters import CaseFilter, add_months  # noqa: E402
from queries.summary import GRAINS, current_stamp, refresh_summary  # noqa: E402


def timed(call, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="a database URL (default: var/bench/outcomes-N.sqlite)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--today", default="2026-11-28")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{PROJECT_ROOT / 'var' / 'bench' / f'outcomes-{args.cases}.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(metrics.cases)).scalar()
    if n != args.cases:
        print(f"building a demo county of {args.cases:,} cases in {url} …", flush=True)
        subprocess.run([sys.executable, "-m", "dashboard", "demo", "--cases", str(args.cases), "--db", url,
                        "--today", args.today, "--quiet"], cwd=PROJECT_ROOT, check=True)
    rules = DeadlineRules()
    with engine.connect() as conn:
        stamp = current_stamp(conn, rules)
    started = time.perf_counter()
    with engine.begin() as conn:
        bump_data_version(conn)
        refresh_summary(conn, rules)
    rebuild = time.perf_counter() - started
    print(f"summary rebuild: {rebuild:.1f} s (was current before: {stamp is not None})")
    with engine.connect() as conn:
        for fine, _, keys, _ in GRAINS.values():
            rows = conn.execute(select(func.count()).select_from(fine)).scalar()
            # The rows the same table would have without the owner leader dimension.
            others = [fine.c[k] for k in (*keys, *SUMMARY_DIMENSIONS) if k != "owner_leader_id"]
            without = conn.execute(select(func.count()).select_from(select(*others).distinct().subquery())).scalar()
            print(f"  {fine.name}: {rows:,} rows; {without:,} without the owner leader (+{rows / without - 1:.0%})")

    today = CaseFilter.for_month(int(args.today[:4]), int(args.today[5:7]))
    month = today.with_period(add_months(today.start, -1), add_months(today.start, -1, last_day=True))
    leader_month = CaseFilter.for_month(month.start.year, month.start.month, leader_ids=(1,))
    calls = {
        "pipeline (raw SQL; SQLite percentiles in Polars)": lambda: outcomes.pipeline(engine, month),
        "deadline_lists (both lists and their counts)": lambda: outcomes.deadline_lists(engine, month, rules),
        "deadline_rates (engine)": lambda: outcomes.deadline_rates(engine, month, rules),
        "backlog_by leader (summary + raw flows)": lambda: outcomes.backlog_by(engine, month, rules, "leader"),
        "backlog_age_bands by leader (raw)": lambda: outcomes.backlog_age_bands(engine, month, rules),
        "backlog_trend 12 months (summary)": lambda: outcomes.backlog_trend(engine, month, rules),
        "outcome_rates (engine)": lambda: outcomes.outcome_rates(engine, month, rules),
        "resolution_levels (raw)": lambda: outcomes.resolution_levels(engine, month),
        "league_table unit (summary)": lambda: outcomes.league_table(engine, month, rules, "unit"),
        "league_table leader (summary)": lambda: outcomes.league_table(engine, month, rules, "leader"),
        "league_table township (summary)": lambda: outcomes.league_table(engine, month, rules, "township"),
        "league_table leader, raw SQL": lambda: outcomes.league_table(engine, month, rules, "leader", source="raw"),
        "headline, leader filter (summary)": lambda: metrics.headline(engine, leader_month, rules),
        "headline, leader filter, raw SQL": lambda: metrics.headline(engine, leader_month, rules, source="raw"),
        "month_report, leader filter": lambda: report.month_report(engine, leader_month, rules),
        "month_report_rows --by unit": lambda: report.month_report_rows(engine, month, "unit", rules),
        "month_report_rows --by leader": lambda: report.month_report_rows(engine, month, "leader", rules),
    }
    print(f"{args.cases:,} cases, {engine.dialect.name}, month {month.start:%Y-%m}, median of {args.repeats} (ms):")
    for name, call in calls.items():
        ms, result = timed(call, args.repeats)
        size = getattr(result, "height", None)
        print(f"  {name:<52} {ms:9.1f}" + (f"   ({size} rows)" if size is not None else ""))
    one_case = outcomes.deadline_cases(engine, month, rules, "overdue", limit=1)["case_number"][0]
    ms, _ = timed(lambda: outcomes.case_detail(engine, month, one_case, rules), args.repeats)
    print(f"  {'case_detail':<52} {ms:9.1f}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
