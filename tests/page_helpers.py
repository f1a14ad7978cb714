"""Plain helpers for page tests (the fixtures are in tests/pages/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.page_registry import PAGE_BY_NAME

ROOT = Path(__file__).resolve().parents[1]
# AppTest resolves a relative path against the test file: always absolute.
APP = str(ROOT / "dashboard" / "app.py")


def shown(markdown: str) -> str:
    """What a reader sees of Markdown escaped by text.markup: escapes resolved, word joiners (U+2060) invisible."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def page_path(name: str) -> str:
    """The absolute path of pages/<name>.py, checked against the registry."""
    return str(PAGE_BY_NAME[name].path)


def run_ok(at: AppTest, *, errors_allowed: bool = False) -> AppTest:
    """Run ``at`` and fail on an exception (and, unless allowed, on an error box)."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if not errors_allowed:
        assert not at.error, [e.value for e in at.error]
    return at
