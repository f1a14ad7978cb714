"""The log-in gate of the entry script: who is signed in, the log-in form, log-out.

The rules live in :mod:`services.auth` (no Streamlit there); the browser's
cookie and the one-time grants in :mod:`dashboard.sessions`; the HTTP routes
that set and clear the cookie in :mod:`dashboard.front_door`. This module
connects them to a Streamlit session:

- The browser holds the session token in an HttpOnly cookie (issue 14); the
  entry script reads it from the page load's cookies on every rerun and the
  server checks the idle and absolute expiry as before. A reload, a second
  tab or a bookmark therefore stays signed in until the session ends.
- A successful log-in in the form issues a one-time grant and sends the
  browser to ``/auth/session``, which sets the cookie and returns to the page
  (and filters) the visitor had asked for.
- The entry script calls :func:`current_user` before it runs any page; with no
  user it draws the log-in form whatever page the URL names, so no page,
  figure or name is served to a visitor who has not logged in.
- Optional ways in, each off by default: a trusted reverse proxy's header
  (``trusted_user_header``) and, for the demo only, ``DASHBOARD_DEMO_LOGIN``.
  A session they open without a cookie (the proxy's, one in AppTest) is kept
  in ``st.session_state`` for this websocket only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode

import streamlit as st
from sqlalchemy.exc import DBAPIError

from config.settings import load_settings
from dashboard import data_access, sessions
from dashboard.filters_ui import LANGUAGE_KEY
from data import audit
from data.db import DatabaseUnavailable
from services import auth
from text.i18n import DEFAULT_LANGUAGE, t
from text.markup import markdown_text

# A session opened in this websocket without a cookie (the proxy header, AppTest's sign_in):
# secret, kept in server memory only, never shown, never in the URL.
TOKEN_KEY = "auth.token"
USER_KEY = "auth.user"  # this run's signed-in auth.UserInfo, set by current_user() only
NOTICE_KEY = "auth.notice"  # why the last session ended (idle, expired, logged_out), for the form
# Set by log-out in this websocket (the browser gets the manual-log-in cookie
# from /auth/logout): no automatic log-in, or log-out would undo itself at once.
NO_AUTO_LOGIN_KEY = "auth.no_auto_login"
# The notices the log-in form may be asked for in its URL (after /auth/logout).
NOTICE_PARAM = "notice"
NOTICES = ("idle", "expired", "logged_out")
DEMO_LOGIN_ENV = sessions.DEMO_LOGIN_ENV

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


def request_cookies() -> Mapping[str, str]:
    """The cookies the browser sent with this page load (the websocket's handshake); empty outside a browser."""
    try:
        # AppTest hands back mock objects: only real strings count.
        return {k: v for k, v in st.context.cookies.items() if isinstance(k, str) and isinstance(v, str)}
    except Exception:
        return {}


def base_path() -> str:
    """The app's root URL path ("/" unless ``server.baseUrlPath`` says otherwise)."""
    return sessions.base_path(st.get_option("server.baseUrlPath"))


def redirect(url: str) -> None:
    """Send the browser to ``url`` (a path of this app) once this run's messages arrive.

    Streamlit has no public call for this. ``st.login`` and ``st.logout`` send
    the browser to their HTTP routes with this very message (``auth_redirect``,
    on which the frontend sets ``window.location.href``); the front door's
    routes need the same, for the same reason: only an HTTP response can set
    an HttpOnly cookie.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    msg = ForwardMsg()
    msg.auth_redirect.url = url
    ctx.enqueue(msg)


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


def _check(token: str, settings) -> auth.UserInfo | None:
    check = auth.check_session(_engine(), token, settings=settings, client_addr=client_addr())
    if check.user is None and check.reason in ("idle", "expired"):
        st.session_state[NOTICE_KEY] = check.reason
    return check.user


def _proxy_user_header() -> str | None:
    header = load_settings().trusted_user_header
    if not header:
        return None
    try:
        return st.context.headers.get(header) or None
    except Exception:
        return None


def automatic_login_allowed(cookies: Mapping[str, str] | None = None) -> bool:
    """False after a log-out in this browser, until the visitor asks for the automatic log-in again."""
    cookies = request_cookies() if cookies is None else cookies
    return not st.session_state.get(NO_AUTO_LOGIN_KEY) and not cookies.get(sessions.MANUAL_COOKIE_NAME)


def _current_user() -> auth.UserInfo | None:
    settings = load_settings()
    cookies = request_cookies()
    user = None
    token = st.session_state.get(TOKEN_KEY)
    if token:
        user = _check(token, settings)
        if user is None:
            st.session_state.pop(TOKEN_KEY, None)
    cookie_token = cookies.get(sessions.COOKIE_NAME)
    if user is None and cookie_token:
        user = _check(cookie_token, settings)
    automatic = automatic_login_allowed(cookies)
    if user is None and automatic and settings.trusted_user_header:
        header = st.context.headers.get(settings.trusted_user_header)
        found = auth.user_from_trusted_header(_engine(), header, settings, client_addr=client_addr())
        user = _start(found) if found else None
    # The demo's automatic log-in normally arrives as a cookie with the page
    # (dashboard/front_door.py). A page load without any session cookie (AppTest,
    # a page not served by the front door) is logged in here, for this websocket.
    # A stale cookie is not: that tab's browser was logged out elsewhere.
    if user is None and automatic and cookie_token is None:
        role = sessions.demo_login_role(_engine(), settings)
        found = sessions.demo_user(_engine(), role, client_addr()) if role else None
        user = _start(found) if found else None
    st.session_state[USER_KEY] = user
    return user


def demo_login_role(settings=None) -> str | None:
    """The role ``DASHBOARD_DEMO_LOGIN`` asks for, if it may be honoured here (see :mod:`dashboard.sessions`)."""
    return sessions.demo_login_role(_engine(), settings)


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


def render_login_form(next_url: str | None = None, now: datetime | None = None) -> None:
    """The log-in form and nothing else; after the log-in the browser goes to ``next_url`` (default: the root)."""
    # The app's layout is wide; a log-in form reads better in a narrow middle column.
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        _login_form(sessions.safe_next(next_url, base_path()), now)


def _take_notice() -> str | None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    asked = st.query_params.get(NOTICE_PARAM)
    if asked is not None:
        del st.query_params[NOTICE_PARAM]
        notice = notice or (asked if asked in NOTICES else None)
    return notice


def _login_form(next_url: str, now: datetime | None) -> None:
    st.title(t("app.title"))
    notice = _take_notice()
    if notice in ("idle", "expired", "logged_out"):
        st.info(t(f"login.notice.{notice}"))
    # clear_on_submit: the password does not stay in the session state after the run.
    with st.form("auth.login_form", clear_on_submit=True, enter_to_submit=True):
        st.subheader(t("login.heading"))
        username = st.text_input(t("login.username"), autocomplete="username")
        password = st.text_input(t("login.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if not automatic_login_allowed():
        # After a log-out the automatic ways in wait to be asked for (the cookie lasts until the browser closes).
        if _proxy_user_header():
            st.button(t("login.sso_again"), key="w.auth.sso_again", on_click=_allow_auto_login, args=(next_url,))
        elif demo_login_role() is not None:
            st.button(t("login.demo_again"), key="w.auth.demo_again", on_click=_allow_auto_login, args=(next_url,))
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
    # The session itself is opened by /auth/session, which can set the cookie.
    code = sessions.issue_grant(result.user, next_url, client_addr())
    st.session_state.pop(NO_AUTO_LOGIN_KEY, None)
    redirect(f"{base_path()}{sessions.SESSION_ROUTE}?{urlencode({'code': code})}")
    st.info(t("login.redirecting"), icon=":material/login:")


def current_token() -> str | None:
    """The token of this run's session: this websocket's own, else the cookie's."""
    return st.session_state.get(TOKEN_KEY) or request_cookies().get(sessions.COOKIE_NAME)


def logout() -> None:
    """End the session on the server, forget everything of it but the language, clear the cookie (a callback)."""
    auth.end_session(_engine(), current_token(), client_addr=client_addr())
    lang = st.session_state.get(LANGUAGE_KEY)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if lang:
        st.session_state[LANGUAGE_KEY] = lang
    st.session_state[NOTICE_KEY] = "logged_out"
    st.session_state[NO_AUTO_LOGIN_KEY] = True
    # Other tabs of this browser hold the same (now ended) session: their next
    # click shows the log-in form. /auth/logout clears the cookie itself.
    query = {"lang": lang} if lang and lang != DEFAULT_LANGUAGE else {}
    redirect(f"{base_path()}{sessions.LOGOUT_ROUTE}" + (f"?{urlencode(query)}" if query else ""))


def _allow_auto_login(next_url: str) -> None:
    st.session_state.pop(NO_AUTO_LOGIN_KEY, None)
    redirect(f"{base_path()}{sessions.AUTOMATIC_ROUTE}?{urlencode({'next': next_url})}")


def render_account(user: auth.UserInfo, projection: bool) -> None:
    """Who is signed in, and the log-out button: in the sidebar, or at the foot of the projection screen."""
    if projection:
        st.button(t("account.logout"), key="w.auth.logout", on_click=logout, type="tertiary",
                  icon=":material/logout:")
        return
    with st.sidebar:
        st.caption(t("account.signed_in_as", username=markdown_text(user.username), role=t(f"role.{user.role}")))
        st.button(t("account.logout"), key="w.auth.logout", on_click=logout, icon=":material/logout:")
