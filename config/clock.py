"""The county's clock: every date in the product is a local calendar date in Beijing time.

METRICS.md: "All dates are local calendar dates (Asia/Shanghai)", whatever
zone the server runs in. This is the one place that names the zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCAL_TZ_NAME = "Asia/Shanghai"
try:
    LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)
except ZoneInfoNotFoundError:  # a bare container without tzdata
    # China has kept UTC+8 all year since 1991, so a fixed offset gives the same dates.
    LOCAL_TZ = timezone(timedelta(hours=8), LOCAL_TZ_NAME)


def local_now() -> datetime:
    """Now, as an aware datetime in Beijing time."""
    return datetime.now(LOCAL_TZ)


def local_today() -> date:
    """Today's date in Beijing time (not the server's zone)."""
    return local_now().date()
