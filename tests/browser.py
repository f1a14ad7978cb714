"""Helpers for the real-browser tests (a helper module, not a test file).

``running_app`` starts the Streamlit app in a subprocess on a free port and
yields its base URL; ``chromium_page`` yields a Playwright page in Debian's
headless Chromium and records every URL the page requests, so that the
offline test can check that nothing leaves the machine::

    from browser import chromium_page, external_urls, requested_urls, running_app

    @pytest.mark.browser
    def test_overview(tmp_path):
        with running_app(db_url) as base, chromium_page() as page:
            page.goto(base)
            ...
            assert external_urls(requested_urls(page)) == []

Test files import it as ``browser`` (pytest's ``pythonpath`` includes tests/).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
# The app as `python -m dashboard serve` runs it: the ASGI app (front door + entry script).
APP_SCRIPT = REPO_ROOT / "dashboard" / "asgi.py"
CHROMIUM = "/usr/bin/chromium"
# As root on these machines Chromium needs these (shared/PITFALLS.md); without
# the background-networking ones it tries to reach Google's hosts at start.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Page -> every URL it requested (including its iframes' requests and websockets).
_REQUESTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop the server and anything it started (it leads its own process group)."""
    if proc.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running_app(
    db_url: str | None,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    script: Path | str = APP_SCRIPT,
    startup_timeout: float = 90,
) -> Iterator[str]:
    """Run ``streamlit run <script>`` headless with ``DASHBOARD_DB_URL=db_url``; yield its base URL.

    The working directory is the repository root, so .streamlit/config.toml
    applies (static serving, error details hidden). ``env`` adds to or
    overrides the environment; ``script`` is for testing this helper only.
    Raises RuntimeError with the end of the server's output if it does not
    become healthy within ``startup_timeout`` seconds. The whole process group
    is stopped on exit.
    """
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    full_env = dict(os.environ)
    if db_url is not None:
        full_env["DASHBOARD_DB_URL"] = db_url
    full_env.update(env or {})
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        # Nothing edits the sources during a test: no watcher threads.
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + startup_timeout
            while not _healthy(base_url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    tail = "".join(log.readlines()[-30:])
                    state = f"exited with {proc.returncode}" if proc.poll() is not None else "timed out"
                    raise RuntimeError(f"streamlit {state} before {base_url} was healthy:\n{tail}")
                time.sleep(0.2)
            yield base_url
        finally:
            _stop_group(proc)


@contextmanager
def chromium_page(width: int = 1920, height: int = 1080) -> Iterator:
    """A Playwright page in Debian's headless Chromium with a fresh profile.

    Every URL the page requests, its iframes' included, is recorded from the
    start: read them with :func:`requested_urls`.
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=list(CHROMIUM_ARGS),
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            urls: list[str] = []
            # Context-level: catches requests from every frame of the page.
            context.on("request", lambda request: urls.append(request.url))
            page = context.pages[0] if context.pages else context.new_page()
            page.on("websocket", lambda ws: urls.append(ws.url))
            _REQUESTS[page] = urls
            yield page
        finally:
            context.close()


def requested_urls(page) -> list[str]:
    """The URLs ``page`` (from :func:`chromium_page`) has requested so far, in order."""
    return list(_REQUESTS[page])


def external_urls(urls: Iterable[str]) -> list[str]:
    """The URLs that would leave this machine (not loopback, not data:/blob:/about:)."""
    outside = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
            continue
        if parts.hostname not in LOCAL_HOSTS:
            outside.append(url)
    return outside
