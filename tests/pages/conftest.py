"""What every page test needs: the app's path, a signed-in AppTest on a page, and a clean run.

A page test builds its database (a fixture of its own), then::

    def test_something(open_page, db_url):
        at = open_page(db_url, "map", role="township", township_id=3, month="2026-06")
        assert at.metric[0].value == ...

``open_page`` points the app at the database, signs a user in (tests/auth_helpers.py),
sets URL parameters and session state, switches to the page through the real
entry script and runs it, failing on any exception or error box. ``APP``,
``page_path`` and ``run_ok`` for tests that drive AppTest themselves are in
tests/page_helpers.py.
"""

from __future__ import annotations

import pytest
from auth_helpers import sign_in
from page_helpers import APP, page_path, run_ok
from streamlit.testing.v1 import AppTest


@pytest.fixture
def open_page(monkeypatch):
    """A function opening a page as a signed-in user; see the module docstring."""

    def open_(db_url: str, page: str | None, *, role: str = "office", township_id: int | None = None,
              state: dict | None = None, timeout: float = 60, errors_allowed: bool = False,
              run: bool = True, **query: str) -> AppTest:
        monkeypatch.setenv("DASHBOARD_DB_URL", db_url)
        monkeypatch.delenv("DASHBOARD_DEMO_LOGIN", raising=False)
        at = AppTest.from_file(APP, default_timeout=timeout)
        sign_in(at, db_url, role=role, township_id=township_id)
        for key, value in (state or {}).items():
            at.session_state[key] = value
        for key, value in query.items():
            at.query_params[key] = value
        if page is not None:
            at.switch_page(page_path(page))
        return run_ok(at, errors_allowed=errors_allowed) if run else at

    return open_
