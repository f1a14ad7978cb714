"""Time the outcome measures (queries/outcomes.py), the map's click panel and the report's filters on a demo county.

Prints figures and asserts nothing. Builds (or reuses) a demo database of N
cases, makes sure its monthly summary is current, then times each call for the
last whole month and a month further back (median of R runs, ms), the same
figures with the summary ignored (``source="raw"``), the map's click panel
(queries.areas.area_panel) for five townships, the summary rebuild and the
part of it the open cases at each month's end take, their rows, and the rows
the owner leader dimension adds to the summary.

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
from data.models import SUMMARY_DIMENSIONS, SUMMARY_STEP_DIMENSIONS, summary_open_cases, summary_steps  # noqa: E402
from queries import areas, metrics, outcomes, report, summary  # noqa: E402
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
        stamp = current_stamp(conn, rules)
        conn.rollback()
        # The open cases' and the steps' parts of the rebuild, each timed alone and rolled back.
        last = summary.number_of_month(stamp["data_through"])
        first = last - summary.OPEN_CASE_MONTHS + 1
        parts = {
            summary_open_cases: (list(summary.OPEN_CASE_COLUMNS), summary._open_cases_select(rules, first, last)),
            summary_steps: (["month_number", "step", "days", *SUMMARY_STEP_DIMENSIONS, "taken"],
                            summary._steps_select(first)),
        }
        part_seconds, part_rows = {}, {}
        for table, (columns, statement) in parts.items():
            with conn.begin() as transaction:
                conn.execute(table.delete())
                started = time.perf_counter()
                conn.execute(table.insert().from_select(columns, statement))
                part_seconds[table.name] = time.perf_counter() - started
                transaction.rollback()
            part_rows[table.name] = conn.execute(select(func.count()).select_from(table)).scalar()
            conn.rollback()
        open_rows, open_seconds = part_rows["summary_open_cases"], part_seconds["summary_open_cases"]
        months = conn.execute(select(func.count(summary_open_cases.c.month_number.distinct()))).scalar()
    print(f"  summary_open_cases: {open_rows:,} rows over {months} month ends, {open_seconds:.1f} s of the rebuild")
    print(f"  summary_steps: {part_rows['summary_steps']:,} rows, {part_seconds['summary_steps']:.1f} s of the rebuild")
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
    back = month.with_period(add_months(month.start, -20), add_months(month.start, -20, last_day=True))
    calls = {
        "pipeline (step counts, open cases)": lambda f: outcomes.pipeline(engine, f, rules=rules),
        "pipeline, raw SQL": lambda f: outcomes.pipeline(engine, f, rules=rules, source="raw"),
        "deadline_lists (open cases)": lambda f: outcomes.deadline_lists(engine, f, rules),
        "deadline_lists, raw SQL": lambda f: outcomes.deadline_lists(engine, f, rules, source="raw"),
        "deadline_rates (engine)": lambda f: outcomes.deadline_rates(engine, f, rules),
        "backlog_by leader (summary + open cases)": lambda f: outcomes.backlog_by(engine, f, rules, "leader"),
        "backlog_by leader, raw SQL": lambda f: outcomes.backlog_by(engine, f, rules, "leader", source="raw"),
        "backlog_age_bands by leader (open cases)": lambda f: outcomes.backlog_age_bands(engine, f, rules),
        "backlog_age_bands, raw SQL": lambda f: outcomes.backlog_age_bands(engine, f, rules, source="raw"),
        "backlog_trend 12 months (summary)": lambda f: outcomes.backlog_trend(engine, f, rules),
        "outcome_rates (engine)": lambda f: outcomes.outcome_rates(engine, f, rules),
        "resolution_levels (raw)": lambda f: outcomes.resolution_levels(engine, f),
        "league_table unit (summary)": lambda f: outcomes.league_table(engine, f, rules, "unit"),
        "league_table leader (summary)": lambda f: outcomes.league_table(engine, f, rules, "leader"),
        "league_table township (summary)": lambda f: outcomes.league_table(engine, f, rules, "township"),
        "league_table leader, raw SQL": lambda f: outcomes.league_table(engine, f, rules, "leader", source="raw"),
        "headline, leader filter (summary)": lambda f: metrics.headline(engine, leader_month, rules),
        "headline, leader filter, raw SQL": lambda f: metrics.headline(engine, leader_month, rules, source="raw"),
        "month_report, leader filter": lambda f: report.month_report(engine, leader_month, rules),
        "month_report_rows --by unit": lambda f: report.month_report_rows(engine, f, "unit", rules),
        "month_report_rows --by leader": lambda f: report.month_report_rows(engine, f, "leader", rules),
    }
    print(f"{args.cases:,} cases, {engine.dialect.name}, median of {args.repeats} (ms), "
          f"month {month.start:%Y-%m} / {back.start:%Y-%m}:")
    for name, call in calls.items():
        timings = []
        for f in (month, back):
            ms, result = timed(lambda f=f, call=call: call(f), args.repeats)
            timings.append(ms)
        size = getattr(result, "height", None)
        print(f"  {name:<52} {timings[0]:9.1f} {timings[1]:9.1f}" + (f"   ({size} rows)" if size is not None else ""))
    # The map's click on an area: its panel (13-month trend, categories, overdue and backlog lists,
    # leaders), the median over five townships of each one's median.
    for f in (month, back):
        for what in ("the click panel (area_panel)", "its two case lists (open cases)", "its two case lists, raw SQL"):
            per_area = []
            for township_id in range(1, 6):
                narrowed = areas.area_filter(f, "township", township_id)

                def click(f=f, narrowed=narrowed, township_id=township_id, what=what):
                    if what.startswith("the click panel"):
                        return areas.area_panel(engine, f, "township", township_id, rules)
                    source = "raw" if what.endswith("raw SQL") else "auto"
                    return [metrics.open_case_list(engine, narrowed, which, rules, source=source)
                            for which in ("overdue", "backlog")]

                per_area.append(timed(click, args.repeats)[0])
            print(f"  map, {what}, {f.start:%Y-%m}: median over 5 townships {statistics.median(per_area):.1f} "
                  f"(slowest {max(per_area):.1f})")
    one_case = outcomes.deadline_cases(engine, month, rules, "overdue", limit=1)["case_number"][0]
    ms, _ = timed(lambda: outcomes.case_detail(engine, month, one_case, rules), args.repeats)
    print(f"  {'case_detail':<52} {ms:9.1f}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
