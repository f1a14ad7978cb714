"""Settings an administrator may change, read once from the environment or a TOML file.

Order: environment variables (``DASHBOARD_*``) win over the TOML file named by
``DASHBOARD_CONFIG`` (default ``dashboard.toml`` in the project root, if
present), which wins over the defaults below. Nothing here imports Streamlit.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The embedded default database (git-ignored var/).
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "dashboard.sqlite"


@dataclass(frozen=True)
class DeadlineRules:
    """Both rule sets of DOMAIN.md, in calendar days."""

    # 信访工作条例 (2022), arts. 24, 36: decide on acceptance within 15 days of
    # receipt, conclude within 60 days of acceptance, one extension of <= 30.
    acceptance_days: int = 15
    conclusion_days: int = 60
    extension_days: int = 30
    review_days: int = 30
    # 兴国 first-petition rule: meet in 3, feed back in 7, conclude in 21.
    first_meeting_days: int = 3
    feedback_days: int = 7
    first_conclusion_days: int = 21
    # 积案: open and received more than this many days before the period's end.
    backlog_days: int = 90


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None
    deadlines: DeadlineRules = field(default_factory=DeadlineRules)
    # Base map tiles: off by default (an intranet has no internet). An
    # administrator may set an intranet tile server or 天地图 with a key.
    tile_url: str | None = None
    tile_attribution: str = ""
    # Reception on the 15th falls on a weekend or holiday: "next_working_day"
    # or "previous_working_day".
    reception_day_rule: str = "next_working_day"
    production: bool = False
    secret: str | None = None
    # A float so that a test can make it seconds (DASHBOARD_SESSION_IDLE_MINUTES=0.1).
    session_idle_minutes: float = 30.0
    session_max_hours: int = 8
    lockout_attempts: int = 5
    lockout_window_minutes: int = 5
    lockout_minutes: int = 15
    trusted_user_header: str | None = None
    # League tables (排名) of the outcomes page: a rate whose denominator is
    # under this many cases is shown greyed and not ranked (a unit with one
    # case due is not "100% on time, first of twenty").
    league_min_denominator: int = 10


def _coerce(value: str, default):
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    config_path = Path(os.environ.get("DASHBOARD_CONFIG", PROJECT_ROOT / "dashboard.toml"))
    file_values: dict = {}
    if config_path.is_file():
        file_values = tomllib.loads(config_path.read_text(encoding="utf-8"))
    deadline_values = {**file_values.pop("deadlines", {})}
    top_values = dict(file_values)
    for f in fields(DeadlineRules):
        env = os.environ.get(f"DASHBOARD_DEADLINE_{f.name.upper()}")
        if env is not None:
            deadline_values[f.name] = int(env)
    defaults = Settings()
    for f in fields(Settings):
        if f.name == "deadlines":
            continue
        env = os.environ.get(f"DASHBOARD_{f.name.upper()}")
        if env is not None:
            top_values[f.name] = _coerce(env, getattr(defaults, f.name) if getattr(defaults, f.name) is not None else "")
    return Settings(deadlines=DeadlineRules(**deadline_values), **top_values)


def resolve_database_url(url: str | None = None) -> str:
    """The database URL: the argument, else ``DASHBOARD_DB_URL``, else ``db_url`` in
    dashboard.toml, else the default SQLite file."""
    return url or os.environ.get("DASHBOARD_DB_URL") or load_settings().db_url or f"sqlite:///{DEFAULT_SQLITE_PATH}"
