"""Time ``python -m dashboard demo --cases N`` on SQLite and, when a server is given, on PostgreSQL.

Prints figures and asserts nothing (issue 2: the 2-minute budget for a million
cases is checked by reading this output, not by a timed test).

    .venv/bin/python benchmarks/bench_demo.py                 # 1,000,000 cases, SQLite
    .venv/bin/python benchmarks/bench_demo.py --cases 20000   # a quick run
    .venv/bin/python benchmarks/bench_demo.py --pg postgresql://postgres@127.0.0.1:54329/postgres

The PostgreSQL URL (``--pg``, else ``DASHBOARD_TEST_PG_URL``) is an admin URL:
the benchmark creates a scratch database on that server and drops it after.
Each database is built twice: once empty ("fresh") and once over the first
build ("rebuild", which pays for wiping a million rows too). Each run is a
separate process, as a user would run it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))


def run_demo(url: str, cases: int, seed: int) -> float:
    command = [sys.executable, "-m", "dashboard", "demo", "--cases", str(cases), "--seed", str(seed),
               "--db", url, "--quiet"]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"demo failed on {url}: {completed.stderr.strip() or completed.stdout.strip()}")
    return seconds


def report(label: str, cases: int, seconds: float) -> None:
    print(f"{label:<24} {cases:>10,} cases  {seconds:7.1f} s  {cases / seconds:>10,.0f} cases/s", flush=True)


def bench_sqlite(cases: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_demo_", dir=PROJECT_ROOT / "var") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        report("sqlite fresh", cases, run_demo(url, cases, seed))
        report("sqlite rebuild", cases, run_demo(url, cases, seed))


def bench_postgres(admin_url: str, cases: int, seed: int) -> None:
    from sqlalchemy import text

    from data.db import make_engine

    name = f"bench_demo_{uuid.uuid4().hex[:10]}"
    base = admin_url.rpartition("/")[0]
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = f"{base}/{name}"
        report("postgresql fresh", cases, run_demo(url, cases, seed))
        report("postgresql rebuild", cases, run_demo(url, cases, seed))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", default=os.environ.get("DASHBOARD_TEST_PG_URL"),
                        help="PostgreSQL admin URL (default $DASHBOARD_TEST_PG_URL); omit to skip PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    args = parser.parse_args(argv)
    (PROJECT_ROOT / "var").mkdir(exist_ok=True)
    print(f"demo --cases {args.cases:,} (seed {args.seed}) on {os.cpu_count()} CPU(s)", flush=True)
    if not args.no_sqlite:
        bench_sqlite(args.cases, args.seed)
    if args.pg:
        bench_postgres(args.pg, args.cases, args.seed)
    else:
        print("postgresql               skipped (no --pg and no DASHBOARD_TEST_PG_URL)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
