"""Time in the browser: from navigation until the overview's KPI tiles and the map are drawn (issue 6).

    .venv/bin/python benchmarks/browser_time.py [--cases 1000000] [--db URL] [--repeats 5]

Starts the dashboard as ``python -m dashboard serve`` does (the ASGI app of
dashboard/asgi.py, headless, loopback) on a demo database (built or reused as
``python -m dashboard bench`` does), logs in with the demo's automatic log-in
(its cookie comes with the first page), and in Debian's headless Chromium
(1920×1080), once each new browser has finished starting (as a person types
the address into a browser already open; ``--no-settle`` navigates at once), times:

* the overview: navigation until all six KPI tiles show a value and the
  13-month trend's bars are drawn;
* the map: navigation until the Leaflet polygons are drawn in the map's iframe;
* the overview after a filter change (another month, by URL).

The first navigation of each page hits a freshly started server (the page's
libraries not yet imported, every cache empty); the repeats after it are new
browsers on a warm server (fresh profile: Streamlit's scripts downloaded
again), each followed by a second navigation in the same browser (its cache
warm, as for someone who opened the dashboard before). Medians. Prints a
Markdown table and writes it to var/bench/browser-<dialect>-<N>.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the browser helpers (tests/browser.py)

from browser import chromium_page, external_urls, requested_urls, running_app  # noqa: E402

from benchmarks.pages import BENCH_DIR, default_url, ensure_database  # noqa: E402
from data.db import make_engine  # noqa: E402
from queries import reference  # noqa: E402
from queries.filters import add_months  # noqa: E402

TILES = '[data-testid="stMetricValue"]'
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 180_000


def overview_drawn(page) -> None:
    page.wait_for_function(
        f"""() => {{
            const tiles = [...document.querySelectorAll('{TILES}')];
            return tiles.length >= 6 && tiles.every(t => t.innerText.trim().length > 0);
        }}""",
        timeout=TIMEOUT_MS,
    )
    # The 13-month trend: inline SVG (dashboard/charts/svg.py), drawn with the page.
    page.wait_for_function("document.querySelectorAll('svg[data-chart=\"trend\"] rect').length >= 13",
                           timeout=TIMEOUT_MS)


def tiles_drawn(page) -> None:
    page.wait_for_function(
        f"[...document.querySelectorAll('{TILES}')].filter(t => t.innerText.trim()).length >= 6",
        timeout=TIMEOUT_MS,
    )


def map_drawn(page) -> None:
    # Polled in the page itself, on each animation frame, as the overview's tiles are: the component's
    # iframe is same-origin. Finding the frame and then waiting in it through Playwright (a frame handle,
    # a script injected into the new frame, round trips to this process) saw the polygons 0.3-0.5 s after
    # they were drawn on a busy machine (a MutationObserver in the page timed both, December 2026).
    page.wait_for_function(
        f"""() => {{
            const frame = document.querySelector('{FRAME}');
            const doc = frame && frame.contentDocument;
            return Boolean(doc && doc.querySelector('path.leaflet-interactive'));
        }}""",
        timeout=TIMEOUT_MS,
    )


def _descendants_cpu_ticks() -> int:
    """CPU time (clock ticks) used so far by this process's descendants that are alive (the browser's processes)."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry))
        ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
    total, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total


def wait_until_browser_idle(page, quiet_ticks: int = 5, longest_s: float = 20) -> None:
    """Wait until the new browser has finished starting: under ``quiet_ticks`` of CPU in one second.

    A person starts the browser and then types the address; on this
    Chromium the start includes a second renderer for the browser's own
    omnibox popup (chrome://omnibox-popup.top-chrome), 1.5-4.6 s of CPU in
    traces. Navigating at once made the page share two cores with it, a cost
    no user's first visit has. Only this harness's own browser is counted,
    not other Chromiums on the machine.
    """
    page.wait_for_timeout(500)
    deadline = time.monotonic() + longest_s
    before = _descendants_cpu_ticks()
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        now = _descendants_cpu_ticks()
        if now - before < quiet_ticks:
            return
        before = now


def timed_visit(url: str, ready, settle: bool = True) -> tuple[float, float, list[str]]:
    """Seconds from navigation until ``ready(page)``: in a fresh browser, then again in it (assets cached).

    Also the URLs the page requested. ``settle``: navigate once the new
    browser has finished starting (:func:`wait_until_browser_idle`), not at once.
    """
    with chromium_page(1920, 1080) as page:
        if settle:
            wait_until_browser_idle(page)
        times = []
        for _ in range(2):
            started = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            ready(page)
            times.append(time.perf_counter() - started)
        return times[0], times[1], requested_urls(page)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default=None, help="database URL (default var/bench/demo-N.sqlite)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-settle", action="store_true",
                        help="navigate as soon as the browser is up (figures before 3 December 2026, issue 14)")
    args = parser.parse_args(argv)
    settle = not args.no_settle

    url = args.db or default_url(args.cases)
    info = ensure_database(url, args.cases, lambda line: print(line, file=sys.stderr))
    engine = make_engine(url)
    last = reference.data_period(engine)[1]
    engine.dispose()
    other = add_months(last, -3)
    other_month = f"{other.year:04d}-{other.month:02d}"

    rows: list[tuple[str, float, list[float], list[float]]] = []
    outside: list[str] = []
    load_before = os.getloadavg()
    with running_app(url, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base:
        plan = [
            ("overview: KPI tiles and trend drawn", f"{base}/", overview_drawn),
            ("map: polygons drawn", f"{base}/map", map_drawn),
            ("overview, another month (filter change by URL): KPI tiles", f"{base}/?month={other_month}",
             tiles_drawn),
        ]
        for label, target, ready in plan:
            first, _, urls = timed_visit(target, ready, settle)
            outside += external_urls(urls)
            fresh, cached = [], []
            for _ in range(args.repeats):
                a, b, urls = timed_visit(target, ready, settle)
                outside += external_urls(urls)
                fresh.append(a)
                cached.append(b)
            rows.append((label, first, fresh, cached))
            print(f"browser: {label}: first {first:.2f} s, then median {statistics.median(fresh):.2f} s "
                  f"(browser cache warm: {statistics.median(cached):.2f} s)", file=sys.stderr)
    load_after = os.getloadavg()

    lines = [
        f"## Browser time: {info.cases:,} cases on {info.dialect}",
        "",
        f"Headless Chromium 1920×1080, fresh profile per visit, navigated "
        f"{'once the browser had started (idle)' if settle else 'as soon as it was launched'}, server on loopback; "
        "load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after. First = the first visit to that page after the "
        f"server started (libraries imported and caches filled on that visit; the map's first visit follows the "
        f"overview's); then the median of {args.repeats} new browsers on the warm server, and of a second "
        "navigation in each (the browser's cache holding Streamlit's scripts, a new session on the server).",
        "",
        "| from navigation until | first visit (s) | warm server, new browser: median / slowest (s) "
        "| warm server, browser cache warm: median (s) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, first, fresh, cached in rows:
        lines.append(f"| {label} | {first:.2f} | {statistics.median(fresh):.2f} / {max(fresh):.2f} "
                     f"| {statistics.median(cached):.2f} |")
    lines += ["", f"Requests that left the machine: {len(outside)}."]
    report = "\n".join(lines) + "\n"
    print(report)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / f"browser-{info.dialect}-{info.cases}.md").write_text(report, encoding="utf-8")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
