"""Time in the browser: from navigation until the overview's KPI tiles and the map are drawn (issue 6).

    .venv/bin/python benchmarks/browser_time.py [--cases 1000000] [--db URL] [--repeats 5]

Starts the dashboard as ``python -m dashboard serve`` does (the ASGI app of
dashboard/asgi.py, headless, loopback) on a demo database (built or reused as
``python -m dashboard bench`` does), logs in with the demo's automatic log-in
(its cookie comes with the first page), and in Debian's headless Chromium
(1920×1080) times:

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
    frame = page.wait_for_selector(FRAME, timeout=TIMEOUT_MS).content_frame()
    frame.wait_for_selector("path.leaflet-interactive", timeout=TIMEOUT_MS)


def timed_visit(url: str, ready) -> tuple[float, float, list[str]]:
    """Seconds from navigation until ``ready(page)``: in a fresh browser, then again in it (assets cached).

    Also the URLs the page requested.
    """
    with chromium_page(1920, 1080) as page:
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
    args = parser.parse_args(argv)

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
            first, _, urls = timed_visit(target, ready)
            outside += external_urls(urls)
            fresh, cached = [], []
            for _ in range(args.repeats):
                a, b, urls = timed_visit(target, ready)
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
        f"Headless Chromium 1920×1080, fresh profile per visit, server on loopback; load average "
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
