"""Streamlit's own frontend files (``/static/…``), answered from memory and gzip-compressed once per process.

A new browser's first page asks for about 100 of these files (3 MB of
scripts, fonts and CSS) before it can open its websocket and again for the
widgets' chunks after it (README, "Performance", Browser). Streamlit serves
each through its whole middleware stack and Starlette's ``StaticFiles``: a
``stat`` and every 64 kB of the file read in a worker thread, each hop waiting
for the GIL that the script runs hold. Measured on this machine: 0.76 s to
fetch a first page's 102 files over six connections, the browser idle
meanwhile. And it sends them uncompressed on purpose (its
``SelectiveGZipMiddleware`` would compress them again on every request).

Here the files are hashed, immutable build output: each is read once, and
compressed once (in a worker thread: zlib releases the GIL) for every client
that accepts gzip, then answered in one message. Only names found in
Streamlit's build directory when the process started are answered, by exact
match, so a request path never reaches the file system; anything else (a
``Range`` request, a name not found, a client without gzip for a file not yet
read) goes on to Streamlit's own handler as before. The headers are those
Streamlit sends (type, ``Cache-Control: public, immutable``, ETag and
Last-Modified computed as Starlette does), plus ``Content-Encoding`` and
``Vary``.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

from starlette.concurrency import run_in_threadpool

# Text that compresses (scripts, styles, source maps, SVG); fonts (woff2) and images are compressed already.
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".map", ".json", ".svg", ".txt"})
# Streamlit's own value for its hashed bundles (starlette_server_config.STATIC_ASSET_CACHE_MAX_AGE_SECONDS).
IMMUTABLE = b"public, immutable, max-age=31536000"
# zlib's default trade-off; each file is compressed once per process, so the level hardly matters for CPU.
GZIP_LEVEL = 6


@dataclass
class Asset:
    path: Path
    headers: list[tuple[bytes, bytes]]
    compressible: bool
    etag: bytes
    body: bytes | None = None
    gzipped: bytes | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self) -> bytes:
        if self.body is None:
            self.body = self.path.read_bytes()
        return self.body

    def compress(self) -> bytes:
        with self.lock:  # two first visitors at once compress a file once
            if self.gzipped is None:
                # mtime=0: the same bytes in every process behind a load balancer.
                self.gzipped = gzip.compress(self.read(), compresslevel=GZIP_LEVEL, mtime=0)
            return self.gzipped


def _asset(path: Path) -> Asset:
    stat = path.stat()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/"):  # as Starlette's responses say it
        content_type += "; charset=utf-8"
    # As Starlette's FileResponse computes them, so a validator stays the same whichever handler answered.
    etag = f'"{hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False).hexdigest()}"'
    compressible = path.suffix in COMPRESSIBLE
    headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"cache-control", IMMUTABLE),
        (b"last-modified", formatdate(stat.st_mtime, usegmt=True).encode("latin-1")),
        (b"etag", etag.encode("latin-1")),
    ]
    if compressible:
        headers.append((b"vary", b"Accept-Encoding"))
    return Asset(path, headers, compressible, etag.encode("latin-1"))


class StaticAssets:
    """The files under ``root`` by their path relative to it (``js/index.abc123.js``)."""

    def __init__(self, root: Path):
        self.assets = {
            path.relative_to(root).as_posix(): _asset(path)
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()
        }

    def precompress(self) -> int:
        """Compress every script and style now (at server start); returns the bytes read.

        Source maps are left to the first request: a browser asks for them only
        with its developer tools open, and they are most of the bytes.
        """
        total = 0
        for asset in self.assets.values():
            if asset.compressible and asset.path.suffix != ".map":
                total += len(asset.read())
                asset.compress()
                asset.body = None  # only a client without gzip needs it: read again then
        return total

    async def respond(self, name: str, scope, send) -> bool:
        """Answer a GET or HEAD for ``name``; False (nothing sent) when Streamlit's handler should."""
        asset = self.assets.get(name)
        if asset is None or scope["method"] not in {"GET", "HEAD"}:
            return False
        headers = {key.lower(): value for key, value in scope.get("headers", [])}
        if b"range" in headers:
            return False
        accepts_gzip = b"gzip" in headers.get(b"accept-encoding", b"").lower()
        if asset.etag in headers.get(b"if-none-match", b""):
            await send({"type": "http.response.start", "status": 304, "headers": asset.headers})
            await send({"type": "http.response.body", "body": b""})
            return True
        if asset.compressible and accepts_gzip:
            body = asset.gzipped or await run_in_threadpool(asset.compress)
            extra = [(b"content-encoding", b"gzip")]
        else:
            body = asset.body if asset.body is not None else await run_in_threadpool(asset.read)
            extra = []
        response_headers = [*asset.headers, *extra, (b"content-length", str(len(body)).encode("latin-1"))]
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        return True


_lock = threading.Lock()
_streamlit_assets: StaticAssets | None = None


def streamlit_assets() -> StaticAssets:
    """Streamlit's hashed build files (``<static dir>/static``), listed once per process."""
    global _streamlit_assets
    with _lock:
        if _streamlit_assets is None:
            from streamlit import file_util

            _streamlit_assets = StaticAssets(Path(file_util.get_static_dir()) / "static")
        return _streamlit_assets
