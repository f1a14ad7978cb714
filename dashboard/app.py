"""Entry script (``streamlit run dashboard/app.py``): page config, shared sidebar, navigation.

It only frames and routes: the language and projection switches and the
global filters are drawn here, once, so their state survives a page switch;
each page reads the filter and lays out its figures. A page's failure is
shown as one short localized message, never a traceback (which is logged).
"""

from __future__ import annotations

import logging
from dataclasses import replace

# Imported here, first and in this order, before any page: when several
# sessions' first runs import numpy, pandas and plotly at once in different
# orders, Python breaks the import deadlock by handing one of them a
# half-initialised module (seen in benchmarks/load_test.py as error boxes).
import numpy  # noqa: F401
import pandas  # noqa: F401
import streamlit as st

from dashboard import data_access, filters_ui, gate, theme
from dashboard.page_registry import LOGIN_PAGE, PageSpec, pages_for
from data.db import DatabaseUnavailable
from services import access
from text.i18n import t

log = logging.getLogger("dashboard.app")


def _st_page(spec: PageSpec):
    return st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.name, default=spec.default)


def _navigation(projection: bool, role: str):
    pages = [_st_page(spec) for spec in pages_for(role)]
    # Projection mode: no sidebar at all, so no navigation in it either.
    return st.navigation(pages, position="hidden" if projection else "sidebar")


def _login_navigation():
    return st.navigation([_st_page(replace(LOGIN_PAGE, default=True))], position="hidden")


def main() -> None:
    gate.check_configuration()  # production without a proper secret: nothing is served
    filters_ui.init_state()
    database_down = False
    try:
        # The log-in gate runs before any page is registered: without a user the
        # navigation holds the log-in page alone, whatever URL was asked for.
        user = gate.current_user()
    except DatabaseUnavailable:
        user, database_down = None, True
    if user is not None and user.role == "projection":
        st.session_state[filters_ui.PROJECTION_KEY] = True  # the wall screen is always in projection mode
    projection = filters_ui.projection_mode()
    st.set_page_config(
        page_title=t("app.title"),
        # An emoji favicon is an inline SVG. A Material icon here, or a page's Material
        # icon when this is unset, would make the browser fetch it from fonts.gstatic.com.
        page_icon="📊",
        layout="wide",
        initial_sidebar_state="collapsed" if projection else "expanded",
        # No links to streamlit.io in the menu: the intranet cannot reach them.
        menu_items={"Get help": None, "Report a bug": None, "About": None},
    )
    theme.apply(projection)
    if user is None:
        login = _login_navigation()
        try:
            if database_down:
                raise DatabaseUnavailable("the session could not be checked")
            data_access.data_state()  # a database that is down is said at once, not after the password
            login.run()
        except DatabaseUnavailable as exc:
            log.warning("database unavailable: %s", exc)
            st.error(t("error.db_unavailable"), icon=":material/cloud_off:")
        return
    page = _navigation(projection, user.role)
    if user.role != "projection":
        filters_ui.render_display_controls()
    try:
        state = data_access.data_state()
        filters_ui.build_and_render_filters(access.scope_for(user))
        if state.is_demo:
            st.warning(t("app.demo_banner"), icon=":material/science:")
        page.run()
    except DatabaseUnavailable as exc:
        log.warning("database unavailable: %s", exc)
        st.error(t("error.db_unavailable"), icon=":material/cloud_off:")
    except Exception:
        log.exception("page %r failed", page.title)
        st.error(t("error.unexpected"), icon=":material/error:")
    gate.render_account(user, projection)
    filters_ui.write_url()


main()
