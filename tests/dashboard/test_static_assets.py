"""Streamlit's frontend files answered from memory by the front door (dashboard/static_assets.py).

Driven as plain ASGI calls through the front door, with a stand-in for
Streamlit's own static handler behind it: what the front door does not answer
must reach the stand-in unchanged.
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route
from streamlit import file_util

from dashboard import front_door, static_assets
from tests.dashboard.test_front_door import asgi_messages, call

BUILD = Path(file_util.get_static_dir()) / "static"  # Streamlit's hashed build files, served at /static/


def _first(pattern: str) -> Path:
    return sorted(BUILD.glob(pattern))[0]


async def _stand_in(request):
    return PlainTextResponse(f"streamlit {request.url.path}")


@pytest.fixture
def app():
    return Starlette(routes=[Route("/{path:path}", _stand_in, methods=["GET", "HEAD", "POST"])],
                     middleware=[Middleware(front_door.FrontDoor, base="/")])


def raw_call(app, path: str, method: str, **headers: str) -> list[dict]:
    """The ASGI messages the app sends for one request (``call`` sends GETs only)."""
    return asgi_messages(app, path, method=method, headers=headers, client=("127.0.0.1", 5))


def test_a_script_comes_gzip_compressed_with_streamlits_headers(app):
    script = _first("js/index.*.js")
    answer = call(app, f"/static/js/{script.name}", headers={"accept-encoding": "gzip, deflate, br"})
    assert answer.status == 200
    assert answer.header("content-encoding") == "gzip"
    assert gzip.decompress(answer.body) == script.read_bytes()
    assert int(answer.header("content-length")) == len(answer.body) < script.stat().st_size / 2
    assert answer.header("vary") == "Accept-Encoding"
    assert answer.header("cache-control") == "public, immutable, max-age=31536000"
    # The validators Starlette's FileResponse (Streamlit's handler) gives the same file.
    reference = FileResponse(script, stat_result=script.stat())
    assert answer.header("etag") == reference.headers["etag"]
    assert answer.header("last-modified") == reference.headers["last-modified"]
    assert answer.header("content-type").split(";")[0] in {"text/javascript", "application/javascript"}
    # The front door's own headers still come with it.
    assert answer.header("x-frame-options") == "SAMEORIGIN"


def test_without_gzip_the_bytes_as_they_are(app):
    style = _first("css/*.css")
    answer = call(app, f"/static/css/{style.name}")
    assert answer.status == 200 and answer.header("content-encoding") is None
    assert answer.body == style.read_bytes()
    assert answer.header("content-length") == str(style.stat().st_size)
    assert answer.header("content-type") == "text/css; charset=utf-8"


def test_a_font_is_not_compressed_again(app):
    font = _first("media/*.woff2")
    answer = call(app, f"/static/media/{font.name}", headers={"accept-encoding": "gzip"})
    assert answer.status == 200 and answer.header("content-encoding") is None
    assert answer.body == font.read_bytes() and answer.header("vary") is None


def test_a_cached_copy_is_confirmed_without_a_body(app):
    script = _first("js/index.*.js")
    etag = FileResponse(script, stat_result=script.stat()).headers["etag"]
    answer = call(app, f"/static/js/{script.name}", headers={"if-none-match": etag, "accept-encoding": "gzip"})
    assert answer.status == 304 and answer.body == b""


def test_head_sends_the_headers_only(app):
    script = _first("js/index.*.js")
    sent = raw_call(app, f"/static/js/{script.name}", "HEAD", **{"accept-encoding": "gzip"})
    assert sent[0]["status"] == 200
    assert dict(sent[0]["headers"])[b"content-encoding"] == b"gzip"
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b""


@pytest.mark.parametrize("path", [
    "/static/js/no-such-file.js",          # not in the build
    "/static/js/../index.html",            # no file-system path is ever formed from the request
    "/static/../static/js/x.js",
    "/static//js/x.js",
    "/static/",
    "/app/static/vendor/leaflet/leaflet.js",  # the app's own static files: Streamlit's handler, as before
])
def test_anything_else_goes_on_to_streamlit(app, path):
    answer = call(app, path)
    assert answer.status == 200 and answer.body == f"streamlit {path}".encode()


def test_a_range_request_or_another_method_goes_on_to_streamlit(app):
    script = _first("js/index.*.js")
    path = f"/static/js/{script.name}"
    assert call(app, path, headers={"range": "bytes=0-9"}).body == f"streamlit {path}".encode()
    sent = raw_call(app, path, "POST")
    assert b"".join(m.get("body", b"") for m in sent[1:]) == f"streamlit {path}".encode()


def test_only_regular_files_of_the_directory_are_listed(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.1.js").write_text("let a = 1;\n" * 100)
    outside = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    outside.write_text("not served")
    (tmp_path / "js" / "link.js").symlink_to(outside)
    try:
        assets = static_assets.StaticAssets(tmp_path)
        assert list(assets.assets) == ["js/a.1.js"]
        assert gzip.decompress(assets.assets["js/a.1.js"].compress()) == ("let a = 1;\n" * 100).encode()
    finally:
        outside.unlink()


def test_precompress_at_start_compresses_scripts_and_styles_but_not_source_maps_or_fonts(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("console.log('a');" * 50)
    (tmp_path / "js" / "a.js.map").write_text('{"version": 3}' * 50)
    (tmp_path / "f.woff2").write_bytes(b"\x00font")
    assets = static_assets.StaticAssets(tmp_path)
    assert assets.precompress() == len("console.log('a');" * 50)
    script, source_map, font = assets.assets["js/a.js"], assets.assets["js/a.js.map"], assets.assets["f.woff2"]
    assert gzip.decompress(script.gzipped) == (tmp_path / "js" / "a.js").read_bytes()
    assert script.body is None  # not kept twice in memory; read again for a client without gzip
    assert source_map.gzipped is None and font.gzipped is None
    messages = raw_call_assets(assets, "js/a.js")
    assert dict(messages[0]["headers"])[b"content-encoding"] == b"gzip"
    assert gzip.decompress(messages[1]["body"]) == (tmp_path / "js" / "a.js").read_bytes()


def raw_call_assets(assets, name: str) -> list[dict]:
    scope = {"type": "http", "method": "GET", "headers": [(b"accept-encoding", b"gzip, br")]}
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    assert asyncio.run(assets.respond(name, scope, send)) is True
    return sent
