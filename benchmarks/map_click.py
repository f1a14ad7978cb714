"""Time the map page's click on an area and its filter change in AppTest, reading the database only.

``python -m dashboard bench`` migrates its database and signs its user in
(writes); this script does neither, so it can time a database nobody may
write, such as a shared 10,000,000-case PostgreSQL copy:

    PYTHONPATH=$PWD .venv/bin/python benchmarks/map_click.py --db URL --repeats 3 [--profile out.prof]

The signed-in user is an office account held in memory (no session row is
written). A "click" is the panel's area picker set to one area (AppTest cannot
click inside the map's iframe; the picker sets the same state), timed like the
bench's clicks: the page's server time, median over the areas. ``--changes``
also times month changes (the map's filter change).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--changes", action="store_true", help="also time month changes")
    parser.add_argument("--profile", help="write a cProfile of the clicks (or the changes) here")
    parser.add_argument("--profile-changes", action="store_true", help="profile the month changes, not the clicks")
    args = parser.parse_args()
    os.environ["DASHBOARD_DB_URL"] = args.db
    os.environ.pop("DASHBOARD_DEMO_LOGIN", None)

    from benchmarks.pages import APP, _months_back, _share_script_cache
    from dashboard import gate
    from services.auth import UserInfo

    _share_script_cache()
    office = UserInfo(id=0, username="map-click-bench", role="office", township_id=None)

    def current_user():
        import streamlit as st

        st.session_state[gate.USER_KEY] = office
        return office

    gate._current_user = current_user  # read-only: no session row, no user row
    from streamlit.testing.v1 import AppTest

    def run(at) -> float:
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        if problems:
            raise RuntimeError(problems[0])
        return elapsed * 1000

    at = AppTest.from_file(str(APP), default_timeout=900)
    at.switch_page(str(ROOT / "pages" / "map.py"))
    cold = run(at)
    warm = [run(at) for _ in range(args.repeats)]
    print(f"cold {cold:.0f} ms; warm {', '.join(f'{x:.0f}' for x in warm)} ms", flush=True)
    profiler = None
    profiling = {"on": False}
    if args.profile:
        import cProfile

        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        profiler = cProfile.Profile()
        original_run_script = ScriptRunner._run_script

        def run_script(self, rerun_data):
            # The script runs on a thread of its own: profile it there.
            if not profiling["on"]:
                return original_run_script(self, rerun_data)
            profiler.enable()
            try:
                return original_run_script(self, rerun_data)
            finally:
                profiler.disable()

        ScriptRunner._run_script = run_script
    if args.changes:
        current = at.selectbox(key="w.flt.month").value
        changes = []
        for k in range(1, args.repeats + 1):
            at.selectbox(key="w.flt.month").select(_months_back(current, k))
            profiling["on"] = args.profile_changes
            changes.append(run(at))
            profiling["on"] = False
        print(f"month changes {', '.join(f'{x:.0f}' for x in changes)} ms, median {statistics.median(changes):.0f}",
              flush=True)
        at.selectbox(key="w.flt.month").select(current)
        run(at)
    clicks = []
    options = at.selectbox(key="w.map.area").options
    for index in range(min(args.repeats, len(options))):
        at.selectbox(key="w.map.area").select_index(index)
        profiling["on"] = not args.profile_changes
        clicks.append(run(at))
        profiling["on"] = False
        # The click reran with the panel drawn: an area's panel was shown, not the prompt.
        assert at.session_state["map.selected"] is not None
    print(f"clicks {', '.join(f'{x:.0f}' for x in clicks)} ms, median {statistics.median(clicks):.0f} "
          f"(load {open('/proc/loadavg').read().split()[0]})", flush=True)
    if profiler:
        profiler.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
