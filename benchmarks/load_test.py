"""Many users at once: concurrent Streamlit sessions clicking through pages, on loopback (issue 6).

    .venv/bin/python benchmarks/load_test.py [--cases 1000000] [--db URL] [--sessions 20] [--seconds 60]

Starts the dashboard (``streamlit run``, headless, 127.0.0.1 only) on a demo
database (built or reused as ``python -m dashboard bench`` does) with the
demo's automatic log-in, then opens ``--sessions`` websocket clients that
speak Streamlit's own protocol (the protobuf messages its browser client
sends): each loads the overview, then, until the time is up, does what a
leader in a meeting does — switches between the overview and the map, picks
another month, picks a township or clears it — with a pause of 0.5–2 s
between clicks. A click's time is from sending it until the server says the
script run finished (every element of the page sent), so it is server time
plus loopback, without any browser rendering (the browser's share is measured
by benchmarks/browser_time.py).

Reports each kind of click's median, 95th percentile and slowest time, the
slowest click overall, the errors (an exception or error box on a page, a
failed connection; none expected) and the server's peak memory. Prints a
Markdown table and writes it to var/bench/load-<dialect>-<N>.md. Exit code 1
if any error occurred.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the server helper (tests/browser.py)

import psutil  # noqa: E402
import websocket  # noqa: E402
from browser import running_app  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from benchmarks.pages import BENCH_DIR, default_url, ensure_database  # noqa: E402

MONTH_WIDGET = "w.flt.month"
TOWNSHIP_WIDGET = "w.flt.township"
PAGES = ("", "map")  # url_pathname of the overview and the map
CLICK_TIMEOUT = 120


@dataclass
class Results:
    clicks: list[tuple[str, float]] = field(default_factory=list)  # (kind, seconds)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def click(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.clicks.append((kind, seconds))

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Session:
    """One browser tab's worth of Streamlit protocol over a websocket."""

    def __init__(self, base: str) -> None:
        port = base.rsplit(":", 1)[1]
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], origin=base, timeout=CLICK_TIMEOUT
        )
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.widgets: dict[str, object] = {}  # user key -> the widget's element proto
        self.page = ""

    def close(self) -> None:
        self.ws.close()

    def rerun(self, page: str, month: str | None = None, townships: list[str] | None = None) -> tuple[float, list[str]]:
        """Ask for a run of ``page`` with these filter values; seconds until it finished, and any errors shown."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        if page in self.pages:
            state.page_script_hash = self.pages[page]
        if month is not None and MONTH_WIDGET in self.widgets:
            widget = WidgetState(id=self.widgets[MONTH_WIDGET].id, string_value=month)
            state.widget_states.widgets.append(widget)
        if townships is not None and TOWNSHIP_WIDGET in self.widgets:
            widget = WidgetState(id=self.widgets[TOWNSHIP_WIDGET].id)
            widget.string_array_value.data.extend(townships)
            state.widget_states.widgets.append(widget)
        started = time.perf_counter()
        self.ws.send_binary(message.SerializeToString())
        errors: list[str] = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "exception":
                    errors.append(f"exception: {element.exception.message[:200]}")
                elif element_type == "alert" and element.alert.format == Alert.ERROR:
                    errors.append(f"error box: {element.alert.body[:200]}")
                elif element_type in ("selectbox", "multiselect"):
                    proto = getattr(element, element_type)
                    key = proto.id.rsplit("-", 1)[-1]
                    self.widgets[key] = proto
            elif kind == "script_finished":
                self.page = page
                return time.perf_counter() - started, errors


def clicker(base: str, deadline: float, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    try:
        session = Session(base)
    except Exception as exc:  # a refused connection is an error the report must show
        results.error(f"connect: {type(exc).__name__}: {exc}")
        return
    try:
        seconds, errors = session.rerun("")
        results.click("open the overview", seconds)
        for e in errors:
            results.error(f"open the overview: {e}")
        month_options = list(session.widgets[MONTH_WIDGET].options)[:13] if MONTH_WIDGET in session.widgets else []
        township_options = list(session.widgets[TOWNSHIP_WIDGET].options) if TOWNSHIP_WIDGET in session.widgets \
            else []
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.5, 2.0))
            action = rng.choice(("switch page", "another month", "a township", "all townships"))
            page = session.page
            month = townships = None
            if action == "switch page":
                page = PAGES[1] if session.page == PAGES[0] else PAGES[0]
            elif action == "another month" and month_options:
                month = rng.choice(month_options)
            elif action == "a township" and township_options:
                townships = [rng.choice(township_options)]
            else:
                townships = []
            seconds, errors = session.rerun(page, month=month, townships=townships)
            kind = f"{action} ({'map' if page == 'map' else 'overview'})"
            results.click(kind, seconds)
            for e in errors:
                results.error(f"{kind} at {time.strftime('%H:%M:%S')}: {e}")
    except Exception as exc:
        results.error(f"session: {type(exc).__name__}: {exc}")
    finally:
        session.close()


def _server_processes() -> list[psutil.Process]:
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "streamlit" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


@contextmanager
def _servers(given: str | None, db_url: str, count: int):
    """Base URLs of the servers to load: the one given, or ``count`` started here."""
    if given:
        urls = [u.strip().rstrip("/") for u in given.split(",") if u.strip()]
        if any(urlsplit(u).hostname not in ("127.0.0.1", "localhost", "::1") for u in urls):
            raise SystemExit("the load test runs on loopback only")
        yield urls
        return
    with ExitStack() as stack:
        yield [stack.enter_context(running_app(db_url, env={"DASHBOARD_DEMO_LOGIN": "1"})) for _ in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default=None, help="database URL (default var/bench/demo-N.sqlite)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--servers", type=int, default=1,
                        help="server processes to start; sessions are spread over them, each staying on its "
                             "own (what a load balancer with sticky sessions does)")
    parser.add_argument("--url", default=None,
                        help="already running dashboards on loopback, comma-separated (started with "
                             "DASHBOARD_DEMO_LOGIN=1 on the same database), instead of starting them")
    args = parser.parse_args(argv)

    url = args.db or default_url(args.cases)
    info = ensure_database(url, args.cases, lambda line: print(line, file=sys.stderr))
    results = Results()
    peak_rss = 0.0
    load_before = os.getloadavg()
    with _servers(args.url, url, args.servers) as bases:
        n_servers = len(bases)
        servers = _server_processes()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=clicker, args=(bases[i % len(bases)], deadline, results, args.seed * 1000 + i),
                             daemon=True)
            for i in range(args.sessions)
        ]
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # people do not all press enter in the same millisecond
        while any(t.is_alive() for t in threads):
            try:
                peak_rss = max(peak_rss, max((p.memory_info().rss / 2**20 for p in servers), default=0.0))
            except psutil.Error:
                pass
            time.sleep(0.2)
            if time.monotonic() > deadline + CLICK_TIMEOUT:
                results.error("a session did not finish within the time allowed")
                break
    load_after = os.getloadavg()

    kinds: dict[str, list[float]] = {}
    for kind, seconds in results.clicks:
        kinds.setdefault(kind, []).append(seconds)
    everything = [s for _, s in results.clicks]
    lines = [
        f"## Load test: {args.sessions} sessions for {args.seconds:.0f} s on {n_servers} server process(es), "
        f"{info.cases:,} cases on {info.dialect}",
        "",
        f"Websocket clients speaking Streamlit's protocol on loopback, 0.5–2 s between clicks; "
        f"{'servers already running' if args.url else 'servers started here'}, sessions spread over them; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; peak memory of a server process "
        f"{peak_rss:,.0f} MB. Times are from the click until the server finished sending the page.",
        "",
        "| click | count | median (ms) | 95th percentile (ms) | slowest (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind in sorted(kinds):
        times = sorted(kinds[kind])
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        lines.append(f"| {kind} | {len(times)} | {statistics.median(times) * 1000:,.0f} | {p95 * 1000:,.0f} "
                     f"| {max(times) * 1000:,.0f} |")
    if everything:
        lines.append(f"| **every click** | {len(everything)} | {statistics.median(everything) * 1000:,.0f} "
                     f"| {sorted(everything)[int(0.95 * (len(everything) - 1))] * 1000:,.0f} "
                     f"| **{max(everything) * 1000:,.0f}** |")
    lines += ["", f"Errors: {len(results.errors)}" + (": " + "; ".join(sorted(set(results.errors))[:5])
                                                      if results.errors else " (none).")]
    report = "\n".join(lines) + "\n"
    print(report)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / f"load-{info.dialect}-{info.cases}-{n_servers}srv.md").write_text(report, encoding="utf-8")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
