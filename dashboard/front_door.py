"""The front door: the HTTP side of the app, served in front of Streamlit by dashboard/asgi.py (``st.App``).

What the websocket cannot do, an HTTP response does (issue 14, issue 15):

Routes (below the app's base path):

- ``GET /auth/session?code=…`` redeems a one-time log-in grant
  (:mod:`dashboard.sessions`), starts the server-side session, sets the
  session cookie and redirects to the page the visitor had asked for.
- ``GET /auth/logout`` clears the cookie (ending the session it still names)
  and sets "no automatic log-in" for this browser, then shows the log-in form.
- ``GET /auth/automatic?next=…`` lifts that again (the form's "enter the demo").
- ``GET /`` and ``GET /<page>`` for every registered page serve Streamlit's
  own ``index.html`` with the page's language and title; on a demo database
  they also log a visitor without a session in (a cookie with the first
  response, so the first websocket already carries it).

Middleware (:class:`FrontDoor`), on every HTTP response:

- ``X-Frame-Options: SAMEORIGIN`` and ``Content-Security-Policy:
  frame-ancestors 'self'``: no foreign site may frame the app; Streamlit's own
  component iframes (the map) are same-origin and still work.
- ``/_stcore/metrics`` (Streamlit's internal metrics) answers 403 to anyone
  without a live session.
- A browser navigation to a path that is no page of the app is redirected to
  the app's root, so Streamlit's English "Page not found" dialog never shows.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from config.settings import load_settings
from dashboard import sessions, static_assets
from dashboard.page_registry import LOGIN_PAGE, PAGES
from services import auth
from text.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

log = logging.getLogger("dashboard.front_door")

PAGE_NAMES = frozenset(spec.name for spec in (*PAGES, LOGIN_PAGE))
# Where Streamlit serves its own frontend build (its BASE_ROUTE_STATIC).
STATIC_PREFIX = "static/"
# First path segments that belong to Streamlit or to the routes above, never to a page.
RESERVED_SEGMENTS = frozenset({"_stcore", "static", "media", "component", "app", "auth"})

SECURITY_HEADERS = (
    # Streamlit renders components (the Folium map) in same-origin iframes: SAMEORIGIN, not DENY.
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    # A link out of the app does not carry the page's URL (its filters) to another site.
    (b"referrer-policy", b"same-origin"),
)

def _streamlit_static_dir() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir())


def _configured_base() -> str:
    from streamlit import config

    return sessions.base_path(config.get_option("server.baseUrlPath"))


def normal_addr(host: str | None) -> str:
    """The client's address as the entry script records it ("local" for loopback, as Streamlit reports None)."""
    if not host or host in {"127.0.0.1", "::1"}:
        return "local"
    return host[:64]


def _client_addr(request: Request) -> str:
    return normal_addr(request.client.host if request.client else None)


def _secure(request: Request) -> bool:
    # Behind a TLS-terminating proxy, uvicorn takes the scheme from X-Forwarded-Proto
    # when the proxy's address is trusted (FORWARDED_ALLOW_IPS; loopback by default).
    return request.url.scheme == "https"


def _same_site_request(request: Request) -> bool:
    """False for a request another site started (a link or form elsewhere); browsers say so in Sec-Fetch-Site."""
    return request.headers.get("sec-fetch-site", "none") in {"same-origin", "none"}


def set_session_cookie(response: Response, request: Request, token: str, base: str) -> None:
    response.set_cookie(
        sessions.COOKIE_NAME, token, max_age=sessions.cookie_max_age(), path=base,
        secure=_secure(request), httponly=True, samesite="strict",
    )


def _delete_cookie(response: Response, request: Request, name: str, base: str) -> None:
    response.delete_cookie(name, path=base, secure=_secure(request), httponly=True, samesite="strict")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


# --- server start -----------------------------------------------------------------------------------

# Imported inside functions, so not found by reading the pages' imports. SciPy's distributions (1 s or more
# to import) are the rising issues' bands: a month that is not stored would otherwise make its first visitor
# wait for them (mapclassify happens to import them too; said here so as not to depend on that).
LAZY_IMPORTS = ("mapclassify", "shapely.ops", "scipy.stats")


def page_imports() -> list[str]:
    """The modules the entry script and the pages import (read from their source), numpy and pandas first."""
    import ast

    root = Path(__file__).resolve().parent.parent
    names: list[str] = ["numpy", "pandas"]
    for path in [root / "dashboard" / "app.py", *sorted((root / "pages").glob("*.py"))]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module != "__future__":
                # `from geo import maps` imports a module; `from text.i18n import t` a name (skipped at import).
                names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    # A Streamlit component (streamlit_folium, by convention streamlit_*) registers itself when
    # imported, and Streamlit records that only inside a script run: imported at start, the map's
    # iframe would find no component. Its own import is light once Folium is loaded.
    return [name for name in dict.fromkeys([*names, *LAZY_IMPORTS]) if not name.startswith("streamlit_")]


@asynccontextmanager
async def warm_start(_app):
    """Import the pages' libraries before the server takes its first visitor.

    The first visit after a start used to import Plotly, Folium, mapclassify
    (with SciPy) and geopandas itself: 1.5 s more for the map. Done here, before
    uvicorn accepts a connection, it happens once, in one thread (no two
    sessions importing in different orders) and no visitor waits for it.
    """
    import importlib
    import sys
    import time

    started = time.perf_counter()
    for name in page_imports():
        parent = name.rpartition(".")[0]
        if parent and name not in sys.modules and hasattr(sys.modules.get(parent), name.rpartition(".")[2]):
            continue  # a name imported from a module, not a module
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            pass  # the same: a function or constant, not a module
        except Exception:  # a page's import error shows on that page, as before
            log.exception("could not import %s at start", name)
    log.info("imported the pages' libraries in %.1f s", time.perf_counter() - started)
    # Streamlit's frontend files listed and compressed now, not in the first visitor's requests.
    static_assets.streamlit_assets().precompress()
    yield


# --- the page HTML -------------------------------------------------------------------------


def backend_base_script(page: str) -> str:
    """A script telling Streamlit's frontend where the server is when the page's URL ends in ``/<page>``.

    Without it, the frontend served at ``…/map`` first asks ``…/map/_stcore/health``
    (a 404: the server is at the app's root) and tries the root after a retry
    pause: 0.2 s before a new browser's websocket opened on every page but the
    overview (README, "Performance", Browser). ``window.__streamlit.BACKEND_BASE_URL``
    is Streamlit's own setting for this; it is taken from the address the
    browser shows, less the page's name, so a reverse proxy's path prefix stays
    in it. Any other address (a trailing slash) leaves the frontend to probe as
    before.
    """
    suffix = json.dumps(f"/{page}")
    return (
        "<script>(function () {"
        f"var p = location.pathname, s = {suffix};"
        "if (p.length >= s.length && p.slice(-s.length) === s) {"
        "window.__streamlit = Object.assign({}, window.__streamlit,"
        " {BACKEND_BASE_URL: location.origin + p.slice(0, p.length - s.length) + '/'});"
        "}})();</script>"
    )


@lru_cache(maxsize=32)
def page_html(lang: str, page: str | None = None) -> str:
    """Streamlit's index.html in ``lang`` (Chinese glyphs for Chinese text) with the app's title.

    ``page``: the page whose URL (``/<page>``) serves it, not the root.
    """
    # Hints to fetch the 4.7 MB Plotly chunk and the widgets' chunks with the
    # HTML (<link rel="modulepreload">) were tried and measured: no gain on a
    # busy 2-core machine, the map 0.4 s slower (README, "Performance").
    html = (_streamlit_static_dir() / "index.html").read_text(encoding="utf-8")
    html = html.replace('<html lang="en">', f'<html lang="{"zh-CN" if lang == "zh" else lang}">', 1)
    if page is not None:
        # Before Streamlit's module scripts, which are deferred and read the setting when they run.
        html = html.replace("<head>", "<head>\n    " + backend_base_script(page), 1)
    return html.replace("<title>Streamlit</title>", f"<title>{translate('app.title', lang)}</title>", 1)


def _automatic_login_token(request: Request) -> str | None:
    """A new session token for a demo visitor without a live session, or None (blocking: run in a thread)."""
    if request.cookies.get(sessions.MANUAL_COOKIE_NAME):
        return None
    engine = sessions.engine()
    settings = load_settings()
    role = sessions.demo_login_role(engine, settings)
    if role is None:
        return None
    token = request.cookies.get(sessions.COOKIE_NAME)
    addr = _client_addr(request)
    if token and auth.check_session(engine, token, settings=settings, client_addr=addr).user is not None:
        return None
    user = sessions.demo_user(engine, role, addr)
    return auth.start_session(engine, user) if user else None


async def serve_page(request: Request) -> Response:
    lang = request.query_params.get("lang")
    page = request.url.path.rstrip("/").rpartition("/")[2]
    response = HTMLResponse(page_html(lang if lang in LANGUAGES else DEFAULT_LANGUAGE,
                                      page if page in PAGE_NAMES else None))
    response.headers["Cache-Control"] = "no-cache"
    try:
        token = await run_in_threadpool(_automatic_login_token, request)
    except Exception:  # a database that is down: the entry script says so in the page
        log.exception("automatic log-in failed")
        token = None
    if token:
        set_session_cookie(response, request, token, _configured_base())
    return response


# --- /auth/… ----------------------------------------------------------------------------------


async def redeem(request: Request) -> Response:
    base = _configured_base()
    grant = sessions.redeem_grant(request.query_params.get("code"), _client_addr(request))
    token = None
    if grant is not None:
        token = await run_in_threadpool(sessions.start_granted_session, sessions.engine(), grant)
    if token is None:
        # Expired, used, forged or from elsewhere: the log-in form again, nothing said about why.
        return _no_store(RedirectResponse(base, status_code=303))
    response = _no_store(RedirectResponse(sessions.safe_next(grant.next_url, base), status_code=303))
    response.headers["Referrer-Policy"] = "no-referrer"  # the code is spent, but keep it out of Referer anyway
    set_session_cookie(response, request, token, base)
    _delete_cookie(response, request, sessions.MANUAL_COOKIE_NAME, base)
    return response


async def logout(request: Request) -> Response:
    base = _configured_base()
    query = {"notice": "logged_out"}
    if request.query_params.get("lang") in LANGUAGES:
        query["lang"] = request.query_params["lang"]
    response = _no_store(RedirectResponse(f"{base}?{urlencode(query)}", status_code=303))
    if not _same_site_request(request):
        return response
    token = request.cookies.get(sessions.COOKIE_NAME)
    if token:
        # Usually ended already by the entry script; then this finds nothing and records nothing.
        await run_in_threadpool(auth.end_session, sessions.engine(), token, None, _client_addr(request))
    _delete_cookie(response, request, sessions.COOKIE_NAME, base)
    response.set_cookie(
        sessions.MANUAL_COOKIE_NAME, "1", path=base, secure=_secure(request), httponly=True, samesite="strict"
    )
    return response


async def automatic(request: Request) -> Response:
    base = _configured_base()
    response = _no_store(RedirectResponse(sessions.safe_next(request.query_params.get("next"), base), status_code=303))
    if _same_site_request(request):
        _delete_cookie(response, request, sessions.MANUAL_COOKIE_NAME, base)
    return response


def routes(base: str | None = None) -> list[Route]:
    """The front door's routes, below ``base`` (default: Streamlit's ``server.baseUrlPath``)."""
    base = base or _configured_base()
    page_routes = [Route(base, serve_page, methods=["GET", "HEAD"])]
    page_routes += [Route(f"{base}{name}", serve_page, methods=["GET", "HEAD"]) for name in sorted(PAGE_NAMES)]
    return [
        Route(f"{base}{sessions.SESSION_ROUTE}", redeem, methods=["GET"]),
        Route(f"{base}{sessions.LOGOUT_ROUTE}", logout, methods=["GET"]),
        Route(f"{base}{sessions.AUTOMATIC_ROUTE}", automatic, methods=["GET"]),
        *page_routes,
    ]


# --- middleware ---------------------------------------------------------------------------------


def _signed_in(request: Request) -> bool:
    token = request.cookies.get(sessions.COOKIE_NAME)
    if not token:
        return False
    try:
        return auth.check_session(sessions.engine(), token, client_addr=_client_addr(request)).user is not None
    except Exception:
        log.exception("cannot check the session for %s", request.url.path)
        return False


class FrontDoor:
    """Pure ASGI middleware (websockets pass straight through): headers, the metrics guard, unknown pages."""

    def __init__(self, app, base: str | None = None):
        self.app = app
        self.base = base

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        base = self.base or _configured_base()
        relative = scope["path"][len(base):] if scope["path"].startswith(base) else None
        request = Request(scope)
        response = None
        if relative is not None and relative.rstrip("/") == "_stcore/metrics":
            if not await run_in_threadpool(_signed_in, request):
                response = PlainTextResponse("403 Forbidden", status_code=403)
        elif relative is not None and self._unknown_page(scope, relative):
            query = scope.get("query_string", b"").decode("latin-1")
            response = RedirectResponse(base + (f"?{query}" if query else ""), status_code=302)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if response is not None:
            await response(scope, receive, send_with_headers)
        elif (
            relative is not None and relative.startswith(STATIC_PREFIX)
            and await static_assets.streamlit_assets().respond(relative[len(STATIC_PREFIX):], scope, send_with_headers)
        ):
            return  # Streamlit's frontend files, from memory (dashboard/static_assets.py)
        else:
            await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _unknown_page(scope, relative: str) -> bool:
        """A browser navigation (not an asset, not an API call) to a path that is no page of the app."""
        if scope["method"] != "GET":
            return False
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        if headers.get(b"sec-fetch-dest", b"document") != b"document":
            return False
        parts = [part for part in relative.split("/") if part]
        if not parts or parts[0] in RESERVED_SEGMENTS or "." in parts[-1]:
            return False
        return not (len(parts) == 1 and parts[0] in PAGE_NAMES)
