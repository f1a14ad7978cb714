"""The front door's HTTP side (dashboard/front_door.py, dashboard/sessions.py), driven as plain ASGI calls.

The cookie's flags and content, the one-time grants, log-out, the guarded
metrics endpoint, the security headers, unknown pages, and the page HTML with
the demo's automatic log-in. The browser tests (tests/browser/test_sessions.py)
check the same in Chromium.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from dashboard import front_door, sessions
from data import audit
from data.db import bump_data_version, make_engine, migrate
from services import auth

PASSWORD = "Front-Door-Pass-7"
CLIENT = ("203.0.113.7", 50000)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    def cookies(self) -> dict[str, str]:
        """Set-Cookie headers by cookie name, whole (flags included)."""
        return {v.split("=", 1)[0]: v for k, v in self.headers if k == "set-cookie"}


def call(app, path: str, query: str = "", headers: dict | None = None, client=CLIENT, scheme="http") -> Answer:
    sent = asgi_messages(app, path, query=query, headers=headers, client=client, scheme=scheme)
    start = sent[0]
    return Answer(
        start["status"],
        [(k.decode().lower(), v.decode()) for k, v in start["headers"]],
        b"".join(m.get("body", b"") for m in sent[1:]),
    )


def asgi_messages(app, path: str, *, method: str = "GET", query: str = "", headers: dict | None = None,
                  client=CLIENT, scheme="http") -> list[dict]:
    """The ASGI messages ``app`` sends for one request."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": scheme,
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": client, "server": ("127.0.0.1", 8501),
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def cookie_header(**cookies: str) -> dict:
    return {"cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


async def _streamlit_stand_in(request):
    return PlainTextResponse(f"streamlit {request.url.path}")


@pytest.fixture
def app():
    """The front door around stand-ins for Streamlit's own routes."""
    stand_ins = [Route("/_stcore/metrics", _streamlit_stand_in), Route("/static/js/x.js", _streamlit_stand_in)]
    return Starlette(routes=front_door.routes("/") + stand_ins, middleware=[Middleware(front_door.FrontDoor, base="/")])


def _database(path, demo: bool) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            bump_data_version(conn, demo=demo)
        auth.create_user(engine, "clerk", PASSWORD, "office", actor="test")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = _database(tmp_path / "door.sqlite", demo=False)
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.delenv(sessions.DEMO_LOGIN_ENV, raising=False)
    return sessions.engine()


@pytest.fixture
def demo_engine(tmp_path, monkeypatch):
    url = _database(tmp_path / "demo.sqlite", demo=True)
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.setenv(sessions.DEMO_LOGIN_ENV, "1")
    return sessions.engine()


def clerk(engine) -> auth.UserInfo:
    return auth.get_user(engine, "clerk")


# --- /auth/session: the cookie --------------------------------------------------------------


def test_a_grant_buys_one_cookie_that_holds_only_the_token(app, engine):
    code = sessions.issue_grant(clerk(engine), "/map?month=2026-06&township=3", CLIENT[0])
    answer = call(app, "/auth/session", f"code={code}")
    assert answer.status == 303
    assert answer.header("location") == "/map?month=2026-06&township=3"
    assert answer.header("cache-control") == "no-store"
    set_cookie = answer.cookies()[sessions.COOKIE_NAME]
    parsed = SimpleCookie(set_cookie)[sessions.COOKIE_NAME]
    flags = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}
    assert flags == {"httponly", "max-age", "path", "samesite"}  # no Secure over plain HTTP
    assert parsed["samesite"].lower() == "strict" and parsed["path"] == "/" and parsed["max-age"] == "28800"
    token = parsed.value
    # The value is the token itself (43 URL-safe characters), not the grant's code, and it opens the session.
    assert len(token) == 43 and token != code
    assert auth.check_session(engine, token).user.username == "clerk"
    # The "no automatic log-in" of an earlier log-out is lifted.
    assert "Max-Age=0" in answer.cookies()[sessions.MANUAL_COOKIE_NAME]


def test_the_cookie_is_secure_over_https(app, engine):
    code = sessions.issue_grant(clerk(engine), "/", CLIENT[0])
    answer = call(app, "/auth/session", f"code={code}", scheme="https")
    assert "; Secure" in answer.cookies()[sessions.COOKIE_NAME]


@pytest.mark.parametrize("case", ["twice", "another address", "forged", "none"])
def test_a_spent_forged_or_stolen_code_buys_nothing(app, engine, case):
    code = sessions.issue_grant(clerk(engine), "/map", CLIENT[0])
    client = CLIENT
    if case == "twice":
        call(app, "/auth/session", f"code={code}")
    elif case == "another address":
        client = ("198.51.100.9", 1234)
    elif case == "forged":
        code = "x" * 43
    query = "" if case == "none" else f"code={code}"
    answer = call(app, "/auth/session", query, client=client)
    assert (answer.status, answer.header("location")) == (303, "/")
    assert sessions.COOKIE_NAME not in answer.cookies()


def test_a_grant_expires_after_a_minute(engine):
    code = sessions.issue_grant(clerk(engine), "/", "local", now=1000.0)
    assert sessions.redeem_grant(code, "local", now=1000.0 + sessions.GRANT_TTL_SECONDS) is None
    code = sessions.issue_grant(clerk(engine), "/", "local", now=1000.0)
    assert sessions.redeem_grant(code, "local", now=1000.0 + sessions.GRANT_TTL_SECONDS - 1).username == "clerk"


def test_a_grant_for_an_account_disabled_meanwhile_opens_no_session(app, engine):
    code = sessions.issue_grant(clerk(engine), "/", CLIENT[0])
    auth.set_disabled(engine, "clerk", actor="test")
    answer = call(app, "/auth/session", f"code={code}")
    assert sessions.COOKIE_NAME not in answer.cookies()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/map?month=2026-01..2026-06&township=3%2C5", "/map?month=2026-01..2026-06&township=3%2C5"),
        ("/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/map/../../etc", "/"),
        ("/map?x=<script>", "/"),
        ("map", "/"),
        (None, "/"),
        ("/" + "a" * 3000, "/"),
    ],
)
def test_safe_next_stays_inside_the_app(url, expected):
    assert sessions.safe_next(url) == expected


# --- /auth/logout and /auth/automatic ----------------------------------------------------------


def test_log_out_clears_the_cookie_and_ends_the_session(app, engine):
    token = auth.start_session(engine, clerk(engine))
    answer = call(app, "/auth/logout", "lang=en", headers=cookie_header(**{sessions.COOKIE_NAME: token}))
    assert answer.status == 303 and answer.header("location") == "/?notice=logged_out&lang=en"
    assert "Max-Age=0" in answer.cookies()[sessions.COOKIE_NAME]
    manual = answer.cookies()[sessions.MANUAL_COOKIE_NAME]
    assert manual.startswith(f"{sessions.MANUAL_COOKIE_NAME}=1;") and "HttpOnly" in manual
    assert auth.check_session(engine, token).user is None
    assert audit.search(engine, username="clerk", action="logout").height == 1


def test_another_site_cannot_log_the_visitor_out(app, engine):
    token = auth.start_session(engine, clerk(engine))
    headers = {**cookie_header(**{sessions.COOKIE_NAME: token}), "sec-fetch-site": "cross-site"}
    answer = call(app, "/auth/logout", headers=headers)
    assert answer.cookies() == {}
    assert auth.check_session(engine, token).user is not None


def test_automatic_lifts_the_manual_log_in_and_stays_inside_the_app(app, engine):
    answer = call(app, "/auth/automatic", "next=//evil.example/")
    assert answer.header("location") == "/"
    assert "Max-Age=0" in answer.cookies()[sessions.MANUAL_COOKIE_NAME]
    assert call(app, "/auth/automatic", "next=/map%3Fmonth%3D2026-01").header("location") == "/map?month=2026-01"


# --- the middleware -------------------------------------------------------------------------------


def test_metrics_answer_403_without_a_live_session(app, engine):
    assert call(app, "/_stcore/metrics").status == 403
    assert call(app, "/_stcore/metrics", headers=cookie_header(**{sessions.COOKIE_NAME: "forged"})).status == 403
    token = auth.start_session(engine, clerk(engine))
    answer = call(app, "/_stcore/metrics", headers=cookie_header(**{sessions.COOKIE_NAME: token}))
    assert (answer.status, answer.body) == (200, b"streamlit /_stcore/metrics")


@pytest.mark.parametrize("path", ["/", "/map", "/_stcore/metrics", "/auth/logout", "/static/js/x.js", "/nowhere"])
def test_every_answer_keeps_the_app_out_of_foreign_frames(app, engine, path):
    answer = call(app, path)
    assert answer.header("x-frame-options") == "SAMEORIGIN"
    assert answer.header("content-security-policy") == "frame-ancestors 'self'"


def test_a_navigation_to_no_page_goes_to_the_root_with_its_filters(app, engine):
    answer = call(app, "/no-such-page", "month=2026-01", headers={"sec-fetch-dest": "document"})
    assert (answer.status, answer.header("location")) == (302, "/?month=2026-01")
    assert call(app, "/map/extra", headers={"sec-fetch-dest": "document"}).header("location") == "/"
    # Pages, assets and scripts' requests pass.
    assert call(app, "/map", headers={"sec-fetch-dest": "document"}).status == 200
    assert call(app, "/static/js/x.js", headers={"sec-fetch-dest": "script"}).status == 200
    assert call(app, "/nowhere", headers={"sec-fetch-dest": "empty"}).status == 404


# --- the page HTML --------------------------------------------------------------------------------


def test_the_page_html_is_streamlits_in_the_visitors_language(app, engine):
    zh = call(app, "/map").body.decode()
    assert '<html lang="zh-CN">' in zh and "<title>信访态势</title>" in zh
    assert 'id="root"' in zh and "./static/js/index." in zh  # Streamlit's own page underneath
    en = call(app, "/", "lang=en").body.decode()
    assert '<html lang="en">' in en and "<title>Petition situation</title>" in en
    assert call(app, "/").header("cache-control") == "no-cache"


def test_a_pages_html_tells_the_frontend_where_the_server_is(app, engine):
    page = call(app, "/map").body.decode()
    script = front_door.backend_base_script("map")
    assert 'var p = location.pathname, s = "/map";' in script and "BACKEND_BASE_URL" in script
    # Before Streamlit's (deferred) module script, which reads the setting when it runs.
    assert script in page and page.index(script) < page.index('<script type="module"')
    # The root needs no hint (the frontend asks the root first); another page names itself.
    assert "BACKEND_BASE_URL" not in call(app, "/").body.decode()
    assert front_door.backend_base_script("outcomes") in call(app, "/outcomes").body.decode()


def test_a_demo_visitor_gets_a_session_cookie_with_the_first_page(app, demo_engine):
    first = call(app, "/")
    token = SimpleCookie(first.cookies()[sessions.COOKIE_NAME])[sessions.COOKIE_NAME].value
    assert auth.check_session(demo_engine, token).user.username == "demo-office"
    # With a live session, or after a log-out, no new one.
    assert call(app, "/map", headers=cookie_header(**{sessions.COOKIE_NAME: token})).cookies() == {}
    assert call(app, "/", headers=cookie_header(**{sessions.MANUAL_COOKIE_NAME: "1"})).cookies() == {}


def test_no_automatic_log_in_on_a_real_database(app, engine, monkeypatch):
    monkeypatch.setenv(sessions.DEMO_LOGIN_ENV, "1")
    assert call(app, "/").cookies() == {}


def test_the_pages_libraries_are_imported_at_start_but_no_component():
    names = front_door.page_imports()
    assert names[:2] == ["numpy", "pandas"]  # the entry script's order (see dashboard/app.py)
    # No page imports Plotly itself any more; the trends and review charts' modules bring it.
    assert {"dashboard.charts.trends", "polars", "geo.maps", "mapclassify", "dashboard.wall", "scipy.stats"} <= set(names)
    # A component imported outside a script run is never registered: the map's iframe would stay empty.
    assert not any(name.startswith("streamlit_") for name in names)
