"""The browser's half of a log-in session: a cookie that holds the session token and nothing else.

Issue 14. A Streamlit session lives in one websocket, so a reload, a second
tab or a bookmark used to start without the log-in. Now the browser keeps the
token of the server-side session (:mod:`services.auth`: 30 minutes idle,
8 hours in all) in a cookie that scripts cannot read:

- ``HttpOnly``, ``SameSite=Strict``, ``Secure`` when the page was served over
  HTTPS, ``Path`` the app's base path, ``Max-Age`` the session's longest life.
  Its value is the random token; the server stores only its SHA-256.
- The entry script reads it from the cookies of the page load
  (``st.context.cookies``), on every rerun, and checks the session on the
  server as before.
- Only an HTTP response can set an HttpOnly cookie, and the script answers
  over the websocket. So a successful log-in in the form issues a one-time
  **grant** here (random, single use, 60 seconds, bound to the client's
  address, stored only as a hash), and the browser is sent to
  ``/auth/session?code=…`` (dashboard/front_door.py), which redeems it, starts
  the session, sets the cookie and redirects to the page the visitor had asked
  for. The grant is not the token: the token never appears in a URL, a log or
  anything a script in the page can read.

Grants live in this process's memory. That suits the deployment the README
describes (one process, or several behind a load balancer with sticky
sessions, which a Streamlit websocket needs anyway); a grant redeemed by
another process is refused and the visitor logs in again.

The demo's automatic log-in is here too (no Streamlit in this module): the
front door uses it to give a demo visitor a cookie with the first page load,
the entry script when a page arrives without one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, select

from config.settings import Settings, load_settings
from data import audit, db
from data.models import ROLE_VALUES, Township
from services import auth

log = logging.getLogger("dashboard.sessions")

# The session token (HttpOnly). Its value is the token and nothing else.
COOKIE_NAME = "dashboard_session"
# Set by log-out: "1" means no automatic log-in (demo, proxy header) in this
# browser until the visitor asks for it or logs in, or log-out would undo itself
# on the next page load. Not secret.
MANUAL_COOKIE_NAME = "dashboard_manual_login"

# Routes of the front door (dashboard/front_door.py), below the app's base path.
SESSION_ROUTE = "auth/session"  # redeems a grant, sets the cookie
LOGOUT_ROUTE = "auth/logout"  # clears the cookie, ends the session it names
AUTOMATIC_ROUTE = "auth/automatic"  # lifts the log-out's "no automatic log-in"

GRANT_TTL_SECONDS = 60
# Grants are few (one per log-in); the cap only bounds memory against a flood.
MAX_GRANTS = 10_000

DEMO_LOGIN_ENV = "DASHBOARD_DEMO_LOGIN"
# Demo accounts are named after their role; they have a random password nobody knows.
DEMO_USER_PREFIX = "demo-"


def engine() -> Engine:
    """The process's shared engine for the configured database (the pages' data_access shares it)."""
    from config.settings import resolve_database_url

    return db.shared_engine(resolve_database_url())


# --- the cookie ------------------------------------------------------------------


def base_path(configured: str | None) -> str:
    """The app's base URL path as "/" or "/prefix/" (Streamlit's ``server.baseUrlPath``)."""
    inner = (configured or "").strip("/")
    return f"/{inner}/" if inner else "/"


def cookie_max_age(settings: Settings | None = None) -> int:
    """Seconds the browser keeps the cookie: the session's absolute limit, after which the server refuses it anyway."""
    settings = settings or load_settings()
    return int(settings.session_max_hours * 3600)


# --- where to go after the log-in --------------------------------------------------

# A path of this app (no scheme, no host, no "//", no backslash, no dot segment)
# and a query of plain URL-encoded text.
_SAFE_PATH = re.compile(r"^(/[A-Za-z0-9_\-]*)+$")
_SAFE_QUERY = re.compile(r"^[A-Za-z0-9_\-.,~%=&+]*$")


def safe_next(url: str | None, base: str = "/") -> str:
    """``url`` if it is a path inside this app (so a redirect cannot leave the site), else the app's root."""
    if not url or len(url) > 2000 or not url.startswith(base):
        return base
    path, _, query = url.partition("?")
    if _SAFE_PATH.match(path) and "//" not in path and _SAFE_QUERY.match(query):
        return url
    return base


# --- one-time grants -----------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """What a redeemed code stands for: who logged in, from where, and where they were going."""

    user_id: int
    username: str
    next_url: str
    client_addr: str | None
    expires_at: float  # time.monotonic()


_grants: dict[str, Grant] = {}
_grants_lock = threading.Lock()


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _drop_expired(now: float) -> None:
    for key in [key for key, grant in _grants.items() if grant.expires_at <= now]:
        del _grants[key]


def issue_grant(user: auth.UserInfo, next_url: str, client_addr: str | None, now: float | None = None) -> str:
    """A one-time code for ``user`` (after a successful log-in); only its hash is kept."""
    now = time.monotonic() if now is None else now
    code = secrets.token_urlsafe(32)
    grant = Grant(user.id, user.username, next_url, client_addr, now + GRANT_TTL_SECONDS)
    with _grants_lock:
        _drop_expired(now)
        if len(_grants) >= MAX_GRANTS:
            _grants.pop(next(iter(_grants)))  # the oldest: dicts keep insertion order
        _grants[_digest(code)] = grant
    return code


def redeem_grant(code: str | None, client_addr: str | None, now: float | None = None) -> Grant | None:
    """The grant for ``code``, once: a second use, a late one or one from another address gets None."""
    if not code or len(code) > 200:
        return None
    now = time.monotonic() if now is None else now
    with _grants_lock:
        grant = _grants.pop(_digest(code), None)  # popped whatever follows: single use
        _drop_expired(now)
    if grant is None or grant.expires_at <= now:
        return None
    if grant.client_addr != client_addr:
        log.warning("a log-in grant for %s was presented from another address: refused", grant.username)
        return None
    return grant


def start_granted_session(engine: Engine, grant: Grant) -> str | None:
    """Open the server-side session a grant stands for; None if the account was disabled meanwhile."""
    user = auth.get_user(engine, grant.username)
    if user is None or user.disabled or user.id != grant.user_id:
        return None
    return auth.start_session(engine, user)


# --- the demo's automatic log-in -------------------------------------------------------


def demo_login_role(engine: Engine, settings: Settings | None = None) -> str | None:
    """The role ``DASHBOARD_DEMO_LOGIN`` asks for, if it may be honoured here, else None.

    ``1`` means ``office``; a role name means that role. It is refused in
    production (with a log line) and honoured only on a demo database (built
    by ``python -m dashboard demo``), so that it can never open real data.
    """
    value = (os.environ.get(DEMO_LOGIN_ENV) or "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return None
    settings = settings or load_settings()
    if settings.production:
        log.error("%s is set but production is on: refused", DEMO_LOGIN_ENV)
        return None
    role = "office" if value in ("1", "true", "yes", "on") else value
    if role not in ROLE_VALUES:
        log.error("%s=%r is not a role: refused", DEMO_LOGIN_ENV, value)
        return None
    if not db.is_demo(engine):
        log.error("%s is set but the database is not a demo database: refused", DEMO_LOGIN_ENV)
        return None
    return role


def demo_user(engine: Engine, role: str, client_addr: str | None) -> auth.UserInfo | None:
    """Log in the demo account of ``role`` (created on first use, audited as a log-in)."""
    username = f"{DEMO_USER_PREFIX}{role}"
    user = auth.get_user(engine, username)
    if user is None:
        township_id = None
        if role == "township":
            with engine.connect() as conn:
                township_id = conn.execute(select(Township.id).order_by(Township.id).limit(1)).scalar_one_or_none()
        # A password nobody knows: the account exists only for the automatic log-in.
        password = secrets.token_urlsafe(24) + "aA1!"
        try:
            user = auth.create_user(
                engine, username, password, role, township_id, actor=DEMO_LOGIN_ENV, client_addr=client_addr
            )
        except auth.UserAdminError as exc:  # created by another session in the meantime, or no township
            log.warning("demo account %s: %s", username, exc)
            user = auth.get_user(engine, username)
    if user is None or user.disabled:
        return None
    audit.record(engine, username=username, action="login", object=DEMO_LOGIN_ENV, client_addr=client_addr)
    return user
