"""登录 Log-in: the only page served to a visitor who has not logged in (dashboard/gate.py)."""

from __future__ import annotations

from dashboard import gate

gate.render_login_form()
