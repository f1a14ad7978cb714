"""Signing a user into a test: the hook for AppTests (and browser tests) behind the log-in gate.

AppTest::

    from auth_helpers import sign_in

    at = AppTest.from_file(APP)
    sign_in(at, db_url)                      # an office account; or role="township", township_id=3
    at.run()

The user is created on first use (a random password nobody needs), a real
server-side session is started, and its token is put where the gate looks
for it (``st.session_state["auth.token"]``). Browser tests on a demo database
can instead start the app with ``env={"DASHBOARD_DEMO_LOGIN": "1"}`` (README,
"Accounts and roles").
"""

from __future__ import annotations

import secrets

from dashboard import gate
from data.db import make_engine
from services import auth

TEST_PASSWORD_SUFFIX = "aA1!"


def ensure_user(engine, role: str = "office", township_id: int | None = None, username: str | None = None):
    """The account ``username`` (default ``test-<role>``), created if missing."""
    username = username or f"test-{role}" + (f"-{township_id}" if township_id is not None else "")
    user = auth.get_user(engine, username)
    if user is None:
        password = secrets.token_urlsafe(16) + TEST_PASSWORD_SUFFIX
        user = auth.create_user(engine, username, password, role, township_id, actor="test")
    return user


def sign_in(at, db_url: str, role: str = "office", township_id: int | None = None, username: str | None = None):
    """Log a user into the AppTest ``at`` (before ``at.run()``); returns the auth.UserInfo."""
    engine = make_engine(db_url)
    try:
        user = ensure_user(engine, role, township_id, username)
        at.session_state[gate.TOKEN_KEY] = auth.start_session(engine, user)
    finally:
        engine.dispose()
    return user
