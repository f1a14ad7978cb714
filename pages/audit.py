"""审计日志 Audit log: the office searches who did what, when and from where."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import polars as pl
import streamlit as st

from config.clock import LOCAL_TZ, LOCAL_TZ_NAME, local_today
from dashboard import data_access, gate
from data import audit
from services import access
from text.i18n import t

COLUMNS = ("at", "username", "action", "object", "outcome", "client_addr")


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ)


def render() -> None:
    user = gate.signed_in_user()
    # The navigation lists this page for the office only; the check here holds even if it did not.
    if user is None or not access.can(user.role, "view_audit"):
        st.error(t("access.denied"))
        return
    st.title(t("audit.heading"))
    st.caption(t("audit.caption"))
    today = local_today()
    since_col, until_col, user_col, action_col, limit_col = st.columns([2, 2, 2, 2, 1])
    since = since_col.date_input(t("audit.since"), today - timedelta(days=7), key="w.audit.since")
    until = until_col.date_input(t("audit.until"), today, key="w.audit.until")
    username = user_col.text_input(t("audit.username"), key="w.audit.username").strip()
    action = action_col.selectbox(
        t("audit.action"), (None, *audit.ACTIONS), key="w.audit.action",
        format_func=lambda a: t("filters.all") if a is None else t(f"audit.action.{a}"),
    )
    limit = limit_col.number_input(
        t("audit.limit"), min_value=10, max_value=audit.MAX_SEARCH_ROWS, value=500, step=100, key="w.audit.limit"
    )
    # The log is read live (not cached): it is the record of what just happened.
    entries = audit.search(
        data_access.engine(),
        since=_local_day_start(since),
        until=_local_day_start(until + timedelta(days=1)),
        username=username or None,
        action=action,
        limit=int(limit),
    )
    if entries.is_empty():
        st.info(t("audit.empty"))
        return
    st.caption(t("audit.count", count=entries.height))
    shown = entries.with_columns(
        pl.col("at").dt.replace_time_zone("UTC").dt.convert_time_zone(LOCAL_TZ_NAME).dt.strftime("%Y-%m-%d %H:%M:%S"),
        pl.col("action").replace_strict({a: t(f"audit.action.{a}") for a in audit.ACTIONS}, default=pl.col("action")),
        pl.col("outcome").replace_strict({o: t(f"audit.outcome.{o}") for o in audit.OUTCOMES}, default=pl.col("outcome")),
    ).select(COLUMNS)
    # st.dataframe renders every cell as text: nothing from the log is ever HTML.
    st.dataframe(
        shown.rename({name: t(f"audit.col.{name}") for name in COLUMNS}), hide_index=True, width="stretch"
    )


render()
