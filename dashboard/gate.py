"""The log-in gate of the entry script: who is signed in, the log-in form, log-out.

The rules live in :mod:`services.auth` (no Streamlit there); this module
only connects them to a Streamlit session:

- The browser session keeps a random token in ``st.session_state`` (server
  memory, never the URL or a cookie); the server keeps its SHA-256 and checks
  the idle and absolute expiry on every rerun. A reload of the page starts a
  new Streamlit session, so it asks for the log-in again.
- The entry script calls :func:`current_user` before it builds the
  navigation; with no user, the only page it registers is the log-in page,
  so no page, figure or name is served to a visitor who has not logged in.
- Optional ways in, each off by default: a trusted reverse proxy's header
  (``trusted_user_header``) and, for the demo only, ``DASHBOARD_DEMO_LOGIN``.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime

import streamlit as st
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from config.settings import load_settings
from dashboard import data_access
from dashboard.filters_ui import LANGUAGE_KEY
from data import audit, db
from data.db import DatabaseUnavailable
from data.models import ROLE_VALUES, Township
from services import auth
from text.i18n import t
from text.markup import markdown_text

TOKEN_KEY = "auth.token"  # the session token (secret: never shown, never in the URL)
USER_KEY = "auth.user"  # this run's signed-in auth.UserInfo, set by current_user() only
NOTICE_KEY = "auth.notice"  # why the last session ended (idle, expired, logged_out), for the form
# Set by log-out: no automatic log-in (proxy header, demo) until the page is
# reloaded or the demo button is pressed, or log-out would undo itself at once.
NO_AUTO_LOGIN_KEY = "auth.no_auto_login"
DEMO_LOGIN_ENV = "DASHBOARD_DEMO_LOGIN"
# Demo accounts are named after their role; they have a random password nobody knows.
DEMO_USER_PREFIX = "demo-"

log = logging.getLogger("dashboard.gate")


def check_configuration() -> None:
    """Serve nothing but one message when the settings are unsafe for production (no or default secret)."""
    try:
        auth.require_production_secret(load_settings())
    except auth.InsecureConfiguration as exc:
        log.error("refusing to serve: %s", exc)
        st.error(t("error.insecure_configuration"), icon=":material/gpp_bad:")
        st.stop()


def client_addr() -> str:
    """The visitor's address, or "local" for loopback (Streamlit reports that as None)."""
    try:
        ip = st.context.ip_address
    except Exception:  # outside a browser session
        return "local"
    # AppTest hands back a mock object: only a real address string counts.
    return ip[:64] if isinstance(ip, str) and ip else "local"


def signed_in_user() -> auth.UserInfo | None:
    """The user :func:`current_user` let in on this run (for pages)."""
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, auth.UserInfo) else None


def _engine():
    return data_access.engine()


def _start(user: auth.UserInfo) -> auth.UserInfo:
    st.session_state[TOKEN_KEY] = auth.start_session(_engine(), user)
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state.pop(NO_AUTO_LOGIN_KEY, None)
    return user


def current_user() -> auth.UserInfo | None:
    """The signed-in user, after checking the session on the server; None shows the log-in form.

    Raises :class:`DatabaseUnavailable` when the database cannot be read.
    """
    try:
        return _current_user()
    except DBAPIError as exc:
        raise DatabaseUnavailable(f"cannot check the session: {type(exc).__name__}") from exc


def _current_user() -> auth.UserInfo | None:
    settings = load_settings()
    user = None
    token = st.session_state.get(TOKEN_KEY)
    if token:
        check = auth.check_session(_engine(), token, settings=settings, client_addr=client_addr())
        user = check.user
        if user is None:
            st.session_state.pop(TOKEN_KEY, None)
            st.session_state[NOTICE_KEY] = check.reason
    automatic = not st.session_state.get(NO_AUTO_LOGIN_KEY)
    if user is None and automatic and settings.trusted_user_header:
        header = st.context.headers.get(settings.trusted_user_header)
        found = auth.user_from_trusted_header(_engine(), header, settings, client_addr=client_addr())
        user = _start(found) if found else None
    if user is None and automatic:
        role = demo_login_role(settings)
        found = _demo_user(role) if role else None
        user = _start(found) if found else None
    st.session_state[USER_KEY] = user
    return user


# --- the demo's automatic log-in -------------------------------------------------


def demo_login_role(settings=None) -> str | None:
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
    if not db.is_demo(_engine()):
        log.error("%s is set but the database is not a demo database: refused", DEMO_LOGIN_ENV)
        return None
    return role


def _demo_user(role: str) -> auth.UserInfo | None:
    engine = _engine()
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
                engine, username, password, role, township_id, actor=DEMO_LOGIN_ENV, client_addr=client_addr()
            )
        except auth.UserAdminError as exc:  # created by another session in the meantime, or no township
            log.warning("demo account %s: %s", username, exc)
            user = auth.get_user(engine, username)
    if user is None or user.disabled:
        return None
    audit.record(engine, username=username, action="login", object=DEMO_LOGIN_ENV, client_addr=client_addr())
    return user


# --- the log-in form and log-out -------------------------------------------------


def _failure_message(result: auth.AuthResult) -> str:
    if result.reason == "locked":
        minutes = 1
        if result.retry_after is not None:
            minutes = max(1, int((result.retry_after - audit.utcnow()).total_seconds() // 60) + 1)
        return t("login.locked", minutes=minutes)
    if result.reason == "throttled":
        return t("login.throttled")
    # Unknown name, wrong password or a disabled account: the same words, so
    # that the form does not tell which names exist.
    return t("login.failed")


def render_login_form(now: datetime | None = None) -> None:
    """The log-in page: a form and nothing else (pages/login.py)."""
    # The app's layout is wide; a log-in form reads better in a narrow middle column.
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        _login_form(now)


def _login_form(now: datetime | None) -> None:
    st.title(t("app.title"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice in ("idle", "expired"):
        st.info(t(f"login.notice.{notice}"))
    elif notice == "logged_out":
        st.info(t("login.notice.logged_out"))
    # clear_on_submit: the password does not stay in the session state after the run.
    with st.form("auth.login_form", clear_on_submit=True, enter_to_submit=True):
        st.subheader(t("login.heading"))
        username = st.text_input(t("login.username"), autocomplete="username")
        password = st.text_input(t("login.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if st.session_state.get(NO_AUTO_LOGIN_KEY) and demo_login_role() is not None:
        st.button(t("login.demo_again"), key="w.auth.demo_again", on_click=_allow_auto_login)
    if not submitted:
        return
    if not username or not password:
        st.error(t("login.failed"))
        return
    try:
        result = auth.authenticate(_engine(), username, password, client_addr(), now=now)
    except DBAPIError as exc:
        raise DatabaseUnavailable(f"cannot check the password: {type(exc).__name__}") from exc
    if not result.ok:
        st.error(_failure_message(result))
        return
    _start(result.user)
    st.rerun()


def logout() -> None:
    """End the session on the server and forget everything of it but the language (a button callback)."""
    auth.end_session(_engine(), st.session_state.get(TOKEN_KEY), client_addr=client_addr())
    lang = st.session_state.get(LANGUAGE_KEY)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if lang:
        st.session_state[LANGUAGE_KEY] = lang
    st.session_state[NOTICE_KEY] = "logged_out"
    st.session_state[NO_AUTO_LOGIN_KEY] = True


def _allow_auto_login() -> None:
    st.session_state.pop(NO_AUTO_LOGIN_KEY, None)


def render_account(user: auth.UserInfo, projection: bool) -> None:
    """Who is signed in, and the log-out button: in the sidebar, or at the foot of the projection screen."""
    if projection:
        st.button(t("account.logout"), key="w.auth.logout", on_click=logout, type="tertiary",
                  icon=":material/logout:")
        return
    with st.sidebar:
        st.caption(t("account.signed_in_as", username=markdown_text(user.username), role=t(f"role.{user.role}")))
        st.button(t("account.logout"), key="w.auth.logout", on_click=logout, icon=":material/logout:")
