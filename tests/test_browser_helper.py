"""Self-test of tests/browser.py, without the dashboard: a static page and a one-line Streamlit script."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app


def test_external_urls_keeps_only_what_leaves_the_machine():
    urls = [
        "http://127.0.0.1:8501/",
        "ws://localhost:8501/_stcore/stream",
        "http://[::1]:8080/x.js",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8501/1234",
        "about:blank",
        "https://cdn.example.org/leaflet.js",
        "http://10.1.2.3/tiles/1/2/3.png",
    ]
    assert external_urls(urls) == ["https://cdn.example.org/leaflet.js", "http://10.1.2.3/tiles/1/2/3.png"]


@pytest.fixture
def static_site(tmp_path):
    """A page with a script and an image, served by http.server on a free port."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><script src="app.js"></script></head>'
        '<body><p id="p">static page</p><img src="dot.gif"></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "app.js").write_text("document.title = 'loaded';", encoding="utf-8")
    # 1x1 transparent GIF.
    (tmp_path / "dot.gif").write_bytes(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.browser
def test_chromium_page_loads_a_page_and_records_its_requests(static_site):
    with chromium_page(width=1280, height=720) as page:
        page.goto(f"{static_site}/index.html")
        page.wait_for_load_state("load")
        assert page.title() == "loaded"
        assert page.evaluate("[window.innerWidth, window.innerHeight]") == [1280, 720]
        urls = requested_urls(page)
    assert f"{static_site}/index.html" in urls
    assert f"{static_site}/app.js" in urls
    assert f"{static_site}/dot.gif" in urls
    assert external_urls(urls) == []


@pytest.mark.browser
@pytest.mark.slow
def test_running_app_serves_a_script_with_the_repository_config(tmp_path):
    script = tmp_path / "tiny_app.py"
    script.write_text(
        "import os\nimport streamlit as st\nst.write('db=' + os.environ['DASHBOARD_DB_URL'])\n",
        encoding="utf-8",
    )
    # .streamlit/config.toml (read from the repository root) turns static serving on.
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "probe.js").write_text("window.probe = 1;", encoding="utf-8")

    with running_app("sqlite:////nowhere/x.sqlite", script=script) as base, chromium_page() as page:
        with urllib.request.urlopen(f"{base}/app/static/probe.js", timeout=10) as response:
            assert response.read() == b"window.probe = 1;"
        page.goto(base)
        page.get_by_text("db=sqlite:////nowhere/x.sqlite").wait_for(timeout=30_000)
        assert any(url.startswith("ws://127.0.0.1") for url in requested_urls(page))
        assert external_urls(requested_urls(page)) == []

    with pytest.raises(urllib.error.URLError):  # the server is gone
        urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
