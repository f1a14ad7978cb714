"""The benchmark behind ``python -m dashboard bench`` (issue 6): every page's server time, against a floor.

What it does, for a demo database of N cases (built with ``python -m dashboard
demo`` in a child process, or reused when its case count matches):

1. For every data page of the app (the overview, the map, and the others an
   office account sees), in a fresh child process, Streamlit's AppTest runs
   the real entry script signed in as an office account and times each
   rerun: *cold* (the first load of a fresh process: empty caches, modules
   imported on first use), *warm* (the same view again), and *after a filter
   change* (another month, or a township: a cache miss for every figure).
   It records the process's peak memory (ru_maxrss; psutil's RSS at the end)
   and times every call into ``queries/`` (and every SQL statement) per phase.
   AppTest would compile the scripts again on every run, which a server
   does not: the worker shares one script cache across runs, as a server does.
2. The floor, in another child process: the aggregates those pages need,
   computed (a) by the engine as the pages call it (the monthly summary),
   (b) by the engine's raw SQL over ``cases`` on the same database, and
   (c) by Polars over the same rows held in memory (loaded once; the load is
   timed apart). The Polars version is written here for the comparison only
   (it is not used by any page) and is checked against the engine's numbers.

The result is a Markdown report, printed and written under ``var/bench/``,
which the README's "Performance" section quotes. Timings are medians of the
repeats; the machine's load average is printed beside them, because the
machine is shared. Nothing here asserts a time: tests only check that it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP = PROJECT_ROOT / "dashboard" / "app.py"
BENCH_DIR = PROJECT_ROOT / "var" / "bench"
BENCH_USER = "bench-office"
DEFAULT_CASES = 100_000
DEFAULT_REPEATS = 5
# Pages an office account is served that show figures (the import page is a form).
# Targets of issue 6 (ms, MB).
COLD_TARGET_MS = 2000
CHANGE_TARGET_MS = {100_000: 100, 1_000_000: 300}
MEMORY_TARGET_MB = 1024
FLOOR_FACTOR = 3


# --- the database ----------------------------------------------------------------------


def default_url(cases: int) -> str:
    return f"sqlite:///{BENCH_DIR / f'demo-{cases}.sqlite'}"


def _ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist (a benchmark's own)."""
    from data.db import make_engine

    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("postgresql") or not parsed.database:
        return
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).first()
            if exists is None:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def _case_count(engine: Engine) -> tuple[int, bool] | None:
    """(cases, is_demo) of the database, or None when it has no schema yet."""
    from data.db import is_demo
    from data.models import Case

    if not inspect(engine).has_table("cases"):
        return None
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(Case.__table__)).scalar_one()
    return count, is_demo(engine)


@dataclass
class DatabaseInfo:
    url: str
    dialect: str
    cases: int
    built_seconds: float | None  # None: reused
    summary_seconds: float | None  # None: the summary was already current
    words_seconds: float | None = None  # None: the words of hot words were already current
    summary_rows: dict[str, int] = field(default_factory=dict)


def ensure_database(url: str, cases: int, say: Callable[[str], None]) -> DatabaseInfo:
    """Reuse the database if it holds exactly ``cases`` demo cases, else build it with the demo command."""
    from dashboard.cli import CommandError
    from data.db import make_engine, migrate
    from queries.summary import current_stamp, refresh_summary

    _ensure_postgres_database(url)
    engine = make_engine(url)
    try:
        found = _case_count(engine)
        built = None
        if found is None or found[0] != cases:
            if found is not None and found[0] > 0 and not found[1]:
                raise CommandError(
                    f"{engine.url.render_as_string(hide_password=True)} holds {found[0]} real (imported) cases; "
                    "benchmark on an empty or demo database"
                )
            say(f"bench: building a demo database of {cases:,} cases (python -m dashboard demo) ...")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "dashboard", "demo", "--cases", str(cases), "--db", url, "--quiet"],
                check=True, cwd=PROJECT_ROOT,
            )
            built = time.perf_counter() - started
        else:
            say(f"bench: reusing {engine.url.render_as_string(hide_password=True)} ({cases:,} demo cases)")
        migrate(engine)
        from config.settings import load_settings

        rules = load_settings().deadlines
        summary_seconds = None
        with engine.connect() as conn:
            current = current_stamp(conn, rules)
        if current is None:
            say("bench: the monthly summary is missing or stale: rebuilding it ...")
            started = time.perf_counter()
            with engine.begin() as conn:
                refresh_summary(conn, rules)
            summary_seconds = time.perf_counter() - started
        words_seconds = None
        from queries import case_words, hot_words

        with engine.connect() as conn:
            words_current = hot_words.stored_words_current(conn)
        if not words_current:
            say("bench: the words of hot words are missing or stale: cutting them ...")
            started = time.perf_counter()
            with engine.begin() as conn:
                case_words.refresh(conn)
            words_seconds = time.perf_counter() - started
        with engine.connect() as conn:
            rows = {
                name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()  # noqa: S608 - fixed names
                for name in ("summary_events", "summary_cohorts", "summary_states", "case_words", "word_counts")
            }
        return DatabaseInfo(url=url, dialect=engine.dialect.name, cases=cases, built_seconds=built,
                            summary_seconds=summary_seconds, words_seconds=words_seconds, summary_rows=rows)
    finally:
        engine.dispose()


# --- instrumentation (in the child processes) ---------------------------------------------


QUERY_MODULES = ("queries.metrics", "queries.reference", "queries.areas", "queries.hotspots", "queries.choropleth",
                 "queries.report", "queries.receptions", "queries.trends", "queries.rising", "queries.hot_words",
                 "queries.outcomes", "data.audit")
# Helpers in those modules that are not queries.
NOT_QUERIES = ("audit.utcnow", "audit.record")


class Recorder:
    """Times every call into the query modules and every SQL statement, tagged with the current phase."""

    def __init__(self) -> None:
        self.phase = "setup"
        self.calls: list[tuple[str, str, int, float]] = []  # phase, function, depth, seconds
        self.statements: dict[str, list[float]] = {}
        self._depth = 0
        self._started: dict[int, float] = {}

    def install(self) -> None:
        import importlib
        import inspect as pyinspect

        from sqlalchemy import event
        from sqlalchemy.engine import Engine as EngineClass

        for module_name in QUERY_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            short = module_name.split(".")[-1]
            for name, fn in list(vars(module).items()):
                if name.startswith("_") or not pyinspect.isfunction(fn) or fn.__module__ != module_name:
                    continue
                if f"{short}.{name}" in NOT_QUERIES:
                    continue
                setattr(module, name, self._wrap(fn, f"{short}.{name}"))

        @event.listens_for(EngineClass, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            self._started[id(cursor)] = time.perf_counter()

        @event.listens_for(EngineClass, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            started = self._started.pop(id(cursor), None)
            if started is not None:
                self.statements.setdefault(self.phase, []).append(time.perf_counter() - started)

    def _wrap(self, fn, label: str):
        import functools

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            depth = self._depth
            self._depth += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
                self.calls.append((self.phase, label, depth, time.perf_counter() - started))

        return timed


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _sign_in(at, url: str) -> None:
    from dashboard import gate
    from data.db import make_engine
    from services import auth

    engine = make_engine(url)
    try:
        user = auth.get_user(engine, BENCH_USER)
        if user is None:
            import secrets

            user = auth.create_user(engine, BENCH_USER, secrets.token_urlsafe(16) + "aA1!", "office", None,
                                    actor="bench")
        at.session_state[gate.TOKEN_KEY] = auth.start_session(engine, user)
    finally:
        engine.dispose()


def _months_back(value: str, k: int) -> str:
    year, month = map(int, value.split("-"))
    index = year * 12 + month - 1 - k
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _share_script_cache() -> None:
    """Compile each script once per process, as a server does.

    A Streamlit server keeps one ScriptCache for its lifetime; AppTest makes a
    new one for every run, so it would re-read, rewrite (magic) and compile
    the entry script and the page on every rerun — tens of milliseconds that
    no real rerun pays. Every ScriptCache here shares one dictionary.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared: dict = {}
    original_init = ScriptCache.__init__

    def init(self) -> None:
        original_init(self)
        self._cache = shared

    ScriptCache.__init__ = init


def _open_with(page: str) -> dict[str, str]:
    """Session state a page is timed with, set before its first run.

    The receptions page runs only its open tab; its calendar follows a month
    of its own, and the sidebar's filter drives the leaders' records. So it is
    timed with the records tab open: a filter change there is a cache miss for
    every figure the filter reaches (the other tabs are timed as clicks).
    """
    from text.i18n import translate

    if page == "receptions.py":
        return {RECEPTIONS_TAB_KEY: translate("receptions.tab.records", "zh")}
    return {}


RECEPTIONS_TAB_KEY = "w.receptions.tab"
# What a timed "click" is on each page that has one, for the report.
CLICKS = {
    "map.py": ("a click on an area (its panel: 13-month trend, categories, overdue and backlog lists)", "areas"),
    "receptions.py": ("opening a tab (only the open tab runs; its figures' caches empty on first opening)", "tabs"),
}


def split_view(page: str) -> tuple[str, str | None]:
    """"trends.py#rising" -> ("trends.py", "rising"); "map.py" -> ("map.py", None)."""
    file, _, view = page.partition("#")
    return file, view or None


def page_worker(page: str, url: str, repeats: int) -> dict:
    """Run one page in AppTest: cold, warm and filter-change reruns; return timings and memory.

    ``page`` may name one part of a page computed only when opened ("trends.py#rising", see
    ``PageSpec.bench_views``): that part is opened before the first run, so every phase times it.
    """
    os.environ["DASHBOARD_DB_URL"] = url
    os.environ.pop("DASHBOARD_DEMO_LOGIN", None)
    recorder = Recorder()
    recorder.install()
    _share_script_cache()
    from streamlit.testing.v1 import AppTest

    def run(at, phase: str) -> float:
        recorder.phase = phase
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        if problems:
            raise RuntimeError(f"{page} ({phase}): {problems[0]}")
        return elapsed

    # The Streamlit runtime's own start (component discovery) and the entry
    # script's imports, paid once per server process: a visitor's first
    # request, which the log-in gate answers with the log-in page.
    login = AppTest.from_file(str(APP), default_timeout=600)
    start = run(login, "start")
    at = AppTest.from_file(str(APP), default_timeout=600)
    _sign_in(at, url)
    file, view = split_view(page)
    for key, value in _open_with(file).items():
        at.session_state[key] = value
    if view is not None:
        from dashboard.page_registry import PAGE_BY_NAME

        at.session_state[PAGE_BY_NAME[file.removesuffix(".py")].view_key] = view
    if file != "overview.py":
        at.switch_page(str(PROJECT_ROOT / "pages" / file))
    cold = run(at, "cold")
    warm = [run(at, "warm") for _ in range(repeats)]
    # A running server whose caches were emptied (an import bumps the data
    # version): every figure is queried again, nothing is imported.
    import streamlit as st

    cold_caches = []
    for _ in range(repeats):
        st.cache_data.clear()
        cold_caches.append(run(at, "cold caches"))
    changes: list[tuple[str, float]] = []
    month_widget = [w for w in at.selectbox if w.key == "w.flt.month"]
    if month_widget:
        current = month_widget[0].value
        for k in range(1, repeats + 1):
            at.selectbox(key="w.flt.month").select(_months_back(current, k))
            changes.append((f"month -{k}", run(at, "change")))
        at.selectbox(key="w.flt.month").select(current)
        run(at, "setup")
    township_widget = [w for w in at.multiselect if w.key == "w.flt.township"]
    if township_widget:
        from data.db import make_engine
        from queries.reference import townships

        engine = make_engine(url)
        ids = townships(engine)["id"].to_list()[:repeats]
        engine.dispose()
        for township_id in ids:
            at.multiselect(key="w.flt.township").set_value([township_id])
            changes.append((f"township {township_id}", run(at, "change")))
        at.multiselect(key="w.flt.township").set_value([])
        run(at, "setup")
    # The map's click on an area (AppTest cannot click in the map's iframe; the
    # panel's area picker sets the same state): the click panel's figures and lists.
    clicks: list[tuple[str, float]] = []
    area_widget = [w for w in at.selectbox if w.key == "w.map.area"]
    if area_widget:
        for index in range(min(repeats, len(area_widget[0].options))):
            widget = at.selectbox(key="w.map.area").select_index(index)
            clicks.append((f"area {widget.options[index]}", run(at, "click")))
    if page == "receptions.py":
        opened = at.session_state[RECEPTIONS_TAB_KEY]
        for tab in [tab.label for tab in at.tabs if tab.label != opened] + [opened]:
            at.session_state[RECEPTIONS_TAB_KEY] = tab
            clicks.append((f"tab {tab}", run(at, "click")))
    return {
        "page": page,
        "start_ms": start * 1000,
        "cold_ms": cold * 1000,
        "cold_caches_ms": [x * 1000 for x in cold_caches],
        "warm_ms": [x * 1000 for x in warm],
        "changes": [(label, x * 1000) for label, x in changes],
        "clicks": [(label, x * 1000) for label, x in clicks],
        "peak_rss_mb": peak_rss_mb(),
        "rss_mb": rss_mb(),
        "calls": recorder.calls,
        "statements": {phase: [x * 1000 for x in v] for phase, v in recorder.statements.items()},
    }


# --- the floor -----------------------------------------------------------------------------


CASE_COLUMNS = (
    "received_on", "accepted_on", "first_meeting_on", "feedback_on", "concluded_on", "channel", "is_first_time",
    "is_repeat", "township_id", "park_id", "category_id", "unit_id", "headcount", "extension_granted", "outcome",
    "satisfaction_office", "satisfaction_unit", "accuses_official",
)


def load_cases(engine: Engine):
    """Every case's metric columns as a Polars frame (what an in-memory engine would hold)."""
    import polars as pl

    from data.models import Case

    c = Case.__table__.c
    frame = pl.read_database(select(*(c[name] for name in CASE_COLUMNS)), connection=engine)
    dates = ("received_on", "accepted_on", "first_meeting_on", "feedback_on", "concluded_on")
    # SQLite hands dates back as ISO text.
    return frame.with_columns(
        pl.col(name).cast(pl.String).str.to_date() if frame.schema[name] == pl.String else pl.col(name)
        for name in dates
    ).with_columns(pl.col(name).cast(pl.Boolean) for name in
                   ("is_first_time", "is_repeat", "extension_granted", "accuses_official"))


def polars_counts(cases, periods: Sequence[tuple[date, date]], rules, group_by: str | None = None):
    """The engine's counts for each period, computed by Polars over every case in memory.

    A second implementation for the floor only (METRICS.md read again, as
    queries/metrics.py does); :func:`floor_worker` checks it against the engine.
    """
    import polars as pl

    from data.models import IN_PERSON_CHANNELS, SATISFIED_VALUES

    col = pl.col
    received = col("received_on")
    concluded = col("concluded_on")
    acceptance = pl.coalesce(col("accepted_on"), received + pl.duration(days=rules.acceptance_days))
    due = acceptance + pl.when(col("extension_granted")).then(
        pl.duration(days=rules.conclusion_days + rules.extension_days)).otherwise(pl.duration(days=rules.conclusion_days))
    due_21 = received + pl.duration(days=rules.first_conclusion_days)
    met = (
        (col("first_meeting_on") <= received + pl.duration(days=rules.first_meeting_days))
        & (col("feedback_on") <= received + pl.duration(days=rules.feedback_days))
        & (concluded <= due_21)
    ).fill_null(False)
    first = col("is_first_time")
    in_person = col("channel").is_in(list(IN_PERSON_CHANNELS))
    resolved = (col("outcome") == "resolved").fill_null(False)
    frame = cases.with_columns(due.alias("_due"), due_21.alias("_due_21"), met.alias("_met"))
    out = []
    for idx, (start, end) in enumerate(periods):
        s, e = pl.lit(start), pl.lit(end)

        def within(expr, s=s, e=e):
            return (expr >= s) & (expr <= e)

        rec = within(received)
        con = within(concluded).fill_null(False)
        due_in = within(col("_due"))
        due21_in = within(col("_due_21")) & first
        base = rec & (concluded <= e).fill_null(False)
        open_end = (received <= e) & (concluded.is_null() | (concluded > e))
        flags = {
            "received": rec,
            "first_time": rec & first,
            "group_visits": rec & (col("channel") == "visit") & (col("headcount") >= 5),
            "repeat": rec & col("is_repeat"),
            "concluded": con,
            "rated_office": con & col("satisfaction_office").is_not_null(),
            "satisfied_office": con & col("satisfaction_office").is_in(list(SATISFIED_VALUES)).fill_null(False),
            "rated_unit": con & col("satisfaction_unit").is_not_null(),
            "satisfied_unit": con & col("satisfaction_unit").is_in(list(SATISFIED_VALUES)).fill_null(False),
            "due_in_period": due_in,
            "on_time": due_in & (concluded <= col("_due")).fill_null(False),
            "due_21_in_period": due21_in,
            "met_3_7_21": due21_in & col("_met"),
            "resolution_base": base,
            "resolved": base & resolved,
            "first_time_resolution_base": base & first,
            "first_time_resolved": base & first & resolved,
            "first_letter_resolution_base": base & first & ~in_person,
            "first_letter_resolved": base & first & resolved & ~in_person,
            "first_visit_resolution_base": base & first & in_person,
            "first_visit_resolved": base & first & resolved & in_person,
            "overdue_open": open_end & (col("_due") < e),
            "backlog": open_end & (received < e - pl.duration(days=rules.backlog_days)),
        }
        sums = [flag.fill_null(False).sum().cast(pl.Int64).alias(name) for name, flag in flags.items()]
        if group_by is None:
            out.append(frame.select(sums).with_columns(pl.lit(idx, pl.Int64).alias("idx")))
        else:
            out.append(frame.group_by(col(group_by).alias("group_key")).agg(sums)
                       .with_columns(pl.lit(idx, pl.Int64).alias("idx")))
    return pl.concat(out)


def polars_breakdown(cases, start: date, end: date, column: str):
    import polars as pl

    return (cases.filter(pl.col("received_on").is_between(start, end), pl.col(column).is_not_null())
            .group_by(column).len("received"))


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(max(repeats, 1)):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def floor_worker(url: str, repeats: int) -> dict:
    """Time the pages' aggregates three ways: the engine (summary), raw SQL, Polars in memory."""
    import polars as pl

    from config.settings import load_settings
    from data.db import make_engine
    from queries import metrics, reference
    from queries.filters import CaseFilter, add_months

    rules = load_settings().deadlines
    engine = make_engine(url)
    first, last = reference.data_period(engine)
    month = add_months(last, -1)  # the overview's default: the last complete month
    flt = CaseFilter.for_month(month.year, month.month)
    trend_months = [(add_months(month, -k), add_months(month, -k, last_day=True)) for k in range(12, -1, -1)]
    changed = [(f.start, f.end) for f in (flt, flt.previous_period(), flt.year_earlier())]

    started = time.perf_counter()
    rss_before = rss_mb()
    cases = load_cases(engine)
    load_seconds = time.perf_counter() - started
    frame_mb = cases.estimated_size() / 2**20

    def engine_counts(periods, source, group_by=None):
        return metrics._period_counts(engine, flt, periods, rules, group_by, source=source)

    aggregates = {
        "headline + 环比 + 同比 (3 periods)": (
            lambda: metrics.headline_change(engine, flt, rules),
            lambda: metrics.headline_change(engine, flt, rules, source="raw"),
            lambda: polars_counts(cases, changed, rules),
            lambda: (engine_counts(changed, "auto"), polars_counts(cases, changed, rules)),
        ),
        "13-month trend": (
            lambda: metrics.monthly_trend(engine, flt, 13, rules),
            lambda: metrics.monthly_trend(engine, flt, 13, rules, source="raw"),
            lambda: polars_counts(cases, trend_months, rules),
            lambda: (engine_counts(trend_months, "auto"), polars_counts(cases, trend_months, rules)),
        ),
        "per-township figures, 3 periods (map)": (
            lambda: [metrics.area_figures(engine, f, "township", rules) for f in
                     (flt, flt.previous_period(), flt.year_earlier())],
            lambda: [metrics.area_figures(engine, f, "township", rules, source="raw") for f in
                     (flt, flt.previous_period(), flt.year_earlier())],
            lambda: polars_counts(cases, changed, rules, group_by="township_id"),
            None,
        ),
        "received by township": (
            lambda: metrics.breakdown(engine, flt, "township"),
            lambda: metrics.breakdown(engine, flt, "township", source="raw"),
            lambda: polars_breakdown(cases, flt.start, flt.end, "township_id"),
            None,
        ),
    }
    rows = []
    for name, (summary_fn, raw_fn, polars_fn, check) in aggregates.items():
        agrees = None
        if check is not None:
            engine_frame, polars_frame = check()
            agrees = engine_frame.select(metrics.MEASURES).equals(
                polars_frame.sort("idx").select(metrics.MEASURES))
        rows.append({
            "aggregate": name,
            "engine_ms": _median_ms(summary_fn, repeats),
            "raw_sql_ms": _median_ms(raw_fn, max(1, min(repeats, 3))),
            "polars_ms": _median_ms(polars_fn, repeats),
            "polars_agrees": agrees,
        })
    engine.dispose()
    del pl
    return {
        "month": flt.start.isoformat(),
        "load_seconds": load_seconds,
        "frame_mb": frame_mb,
        "rss_growth_mb": rss_mb() - rss_before,
        "rows": rows,
    }


# --- the report ------------------------------------------------------------------------------


def _child(args: list[str]) -> dict:
    """Run a worker in a fresh interpreter (so its memory and cold start are its own)."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.pages", *args], check=False, cwd=PROJECT_ROOT,
        capture_output=True, text=True,
    )
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise RuntimeError("benchmark worker failed: " + " | ".join(tail))
    return json.loads(completed.stdout.strip().splitlines()[-1])


def app_pages(only: Sequence[str] | None = None) -> list[str]:
    """The page files of the app's page registry that the benchmark times, each lazily computed part apart.

    A page with ``bench_views`` is timed once as it opens and once per view
    ("trends.py", "trends.py#rates", ...). ``only`` keeps the pages named
    (a file name takes all its views; "trends.py#rising" just that one).
    """
    from dashboard.page_registry import PAGES

    names = []
    for page in PAGES:
        if page.bench:
            names += [page.file, *(f"{page.file}#{view}" for view in page.bench_views)]
    if only is None:
        return names
    known = {split_view(name)[0] for name in names}
    return ([name for name in names if name in only or split_view(name)[0] in only]
            + [name for name in only if split_view(name)[0] not in known])


def _load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _label(page: str) -> str:
    """"trends.py#rising" -> "trends (tab rising)"."""
    file, view = split_view(page)
    return file.removesuffix(".py") + (f" (tab {view})" if view else "")


def _verdict(value: float, target: float) -> str:
    return "met" if value < target else f"missed by {value - target:,.0f}"


def _ms(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def render(info: DatabaseInfo, pages: list[dict], floor: dict | None, repeats: int, loads: tuple[str, str]) -> str:
    change_target = CHANGE_TARGET_MS.get(info.cases)
    shown = make_url(info.url).render_as_string(hide_password=True)
    lines = [
        f"## Benchmark: {info.cases:,} cases on {info.dialect}",
        "",
        f"- database: `{shown}`; "
        + (f"built by `python -m dashboard demo` in {info.built_seconds:.0f} s" if info.built_seconds is not None
           else "reused")
        + (f"; summary rebuilt in {info.summary_seconds:.1f} s" if info.summary_seconds is not None else "")
        + (f"; words cut in {info.words_seconds:.1f} s" if info.words_seconds is not None else "")
        + "; summary rows: " + ", ".join(f"{k} {v:,}" for k, v in info.summary_rows.items()),
        f"- machine: {os.cpu_count()} cores ({_cpu_model()}), Python {platform.python_version()}; "
        f"load average (1/5/15 min) {loads[0]} at the start, {loads[1]} at the end",
        f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; medians of {repeats} reruns; server time = AppTest `run()` "
        "of the real entry script, signed in as an office account",
        "",
        "| page | first load, fresh process (ms) | cold caches (ms) | warm rerun (ms) "
        "| after a filter change, median / slowest (ms) | peak memory (MB) | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for p in pages:
        change = [ms for _, ms in p["changes"]]
        change_med = statistics.median(change) if change else float("nan")
        cold_caches = statistics.median(p["cold_caches_ms"])
        verdicts = [f"first load {_verdict(p['cold_ms'], COLD_TARGET_MS)}",
                    f"cold caches {_verdict(cold_caches, COLD_TARGET_MS)}"]
        if change_target and change:
            verdicts.append(f"change {_verdict(change_med, change_target)}")
        verdicts.append(f"memory {_verdict(p['peak_rss_mb'], MEMORY_TARGET_MB)}")
        lines.append(
            f"| {_label(p['page'])} | {_ms(p['cold_ms'])} | {_ms(cold_caches)} "
            f"| {_ms(statistics.median(p['warm_ms']))} "
            f"| {_ms(change_med)} / {_ms(max(change) if change else float('nan'))} | {p['peak_rss_mb']:.0f} "
            f"| {'; '.join(verdicts)} |"
        )
    for p in pages:
        clicks = [ms for _, ms in p.get("clicks", [])]
        if clicks:
            what, units = CLICKS.get(p["page"], ("a click", "clicks"))
            lines += ["", f"{_label(p['page'])}: {what}, median {_ms(statistics.median(clicks))} ms, "
                          f"slowest {_ms(max(clicks))} ms over {len(clicks)} {units}: "
                          + ", ".join(f"{label} {_ms(ms)}" for label, ms in p["clicks"]) + "."]
    starts = [p["start_ms"] for p in pages] or [float("nan")]
    lines += [
        "",
        f"Server start (Streamlit runtime and the entry script's imports; once per process, answered with the "
        f"log-in page): {_ms(statistics.median(starts))} ms. *First load* is the page's first run in that process "
        "(the page's own libraries imported, every cache empty); *cold caches* is a running server after an import "
        "emptied the caches (every figure queried again).",
    ]
    if change_target is None:
        lines.append("")
        lines.append("(filter-change targets of issue 6: < 100 ms at 100,000 cases, < 300 ms at 1,000,000)")
    lines += ["", "Calls into `queries/` per page (outermost calls, on cache misses; those under 1 ms left out):", "",
              "| page | phase | function | calls | median (ms) | slowest (ms) |",
              "| --- | --- | --- | ---: | ---: | ---: |"]
    for p in pages:
        grouped: dict[tuple[str, str], list[float]] = {}
        for phase, label, depth, seconds in p["calls"]:
            if depth == 0 and phase in ("cold caches", "change", "click"):
                grouped.setdefault((phase, label), []).append(seconds * 1000)
        for (phase, label), times in sorted(grouped.items()):
            if max(times) < 1:
                continue  # reference lists and the like: noise in the table
            lines.append(f"| {_label(p['page'])} | {phase} | `{label}` | {len(times)} "
                         f"| {_ms(statistics.median(times))} | {_ms(max(times))} |")
        sql = p["statements"].get("change", [])
        if sql and p["changes"]:
            lines.append(f"| {_label(p['page'])} | change | (SQL statements per filter change) "
                         f"| {len(sql) / len(p['changes']):.0f} | {_ms(statistics.median(sql))} | {_ms(max(sql))} |")
    if floor is not None:
        lines += [
            "",
            f"The floor, for the month {floor['month'][:7]}: the same aggregates by the engine as the pages call it "
            "(monthly summary), by the engine's raw SQL over `cases`, and by Polars over every case held in memory "
            f"(loading them took {floor['load_seconds']:.1f} s and {floor['frame_mb']:.0f} MB).",
            "",
            "| aggregate | engine (ms) | raw SQL (ms) | Polars in memory (ms) | engine ÷ floor | Polars = engine |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in floor["rows"]:
            best = min(row["raw_sql_ms"], row["polars_ms"])
            ratio = row["engine_ms"] / best if best else float("inf")
            verdict = "" if ratio <= FLOOR_FACTOR else f" (over {FLOOR_FACTOR}×)"
            agrees = {None: "—", True: "yes", False: "NO"}[row["polars_agrees"]]
            lines.append(f"| {row['aggregate']} | {_ms(row['engine_ms'])} | {_ms(row['raw_sql_ms'])} "
                         f"| {_ms(row['polars_ms'])} | {ratio:.2f}{verdict} | {agrees} |")
    return "\n".join(lines) + "\n"


def run_benchmark(
    cases: int = DEFAULT_CASES,
    url: str | None = None,
    repeats: int = DEFAULT_REPEATS,
    pages: Sequence[str] | None = None,
    floor: bool = True,
    out_dir: Path = BENCH_DIR,
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> tuple[str, Path]:
    """Build or reuse the database, measure every page and the floor; returns (Markdown, file written)."""
    url = url or default_url(cases)
    start_load = _load_average()
    info = ensure_database(url, cases, say)
    results = []
    for page in app_pages(pages):
        say(f"bench: page {page} ...")
        results.append(_child(["page", page, "--db", url, "--repeats", str(repeats)]))
    floor_result = None
    if floor:
        say("bench: the floor (raw SQL, Polars in memory) ...")
        floor_result = _child(["floor", "--db", url, "--repeats", str(repeats)])
    report = render(info, results, floor_result, repeats, (start_load, _load_average()))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bench-{info.dialect}-{cases}.md"
    path.write_text(report, encoding="utf-8")
    (out_dir / f"bench-{info.dialect}-{cases}.json").write_text(
        json.dumps({"pages": results, "floor": floor_result, "cases": cases, "dialect": info.dialect}, default=str),
        encoding="utf-8",
    )
    return report, path


def _worker_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages")
    parser.add_argument("what", choices=("page", "floor"))
    parser.add_argument("page", nargs="?")
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)  # Streamlit's "no runtime" warnings under AppTest
    if args.what == "page":
        result = page_worker(args.page, args.db, args.repeats)
    else:
        result = floor_worker(args.db, args.repeats)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
