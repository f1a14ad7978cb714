"""Entry script (``streamlit run dashboard/app.py``): page config, shared sidebar, navigation.

It only frames and routes: the language and projection switches and the
global filters are drawn here, once, so their state survives a page switch;
each page reads the filter and lays out its figures. A page's failure is
shown as one short localized message, never a traceback (which is logged).
"""

from __future__ import annotations

import logging
from pathlib import Path

# Imported here, first and in this order, before any page: when several
# sessions' first runs import numpy, pandas and plotly at once in different
# orders, Python breaks the import deadlock by handing one of them a
# half-initialised module (seen in benchmarks/load_test.py as error boxes).
import numpy  # noqa: F401
import pandas  # noqa: F401
import streamlit as st

from dashboard import data_access, filters_ui, gate, theme
from data.db import DatabaseUnavailable
from services import access
from text.i18n import t

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"

# Every page of the app: (file in pages/, title key in i18n, icon, default).
# Adding a page is one line here (and its title in text/i18n.py).
PAGES = (
    ("overview.py", "page.overview", ":material/dashboard:", True),
    ("map.py", "page.map", ":material/map:", False),
    ("audit.py", "page.audit", ":material/policy:", False),
    ("data_import.py", "page.data_import", ":material/upload_file:", False),
)
# Pages only some roles are shown (file -> action in services/access.py); the page checks again.
PAGE_PERMISSIONS = {"audit.py": "view_audit", "data_import.py": "import"}
# The only page a visitor who has not logged in is served (issue 5).
LOGIN_PAGE = ("login.py", "page.login", ":material/login:")

log = logging.getLogger("dashboard.app")


def _navigation(projection: bool, role: str):
    pages = [
        st.Page(PAGES_DIR / file, title=t(title_key), icon=icon, default=default)
        for file, title_key, icon, default in PAGES
        if file not in PAGE_PERMISSIONS or access.can(role, PAGE_PERMISSIONS[file])
    ]
    # Projection mode: no sidebar at all, so no navigation in it either.
    return st.navigation(pages, position="hidden" if projection else "sidebar")


def _login_navigation():
    file, title_key, icon = LOGIN_PAGE
    return st.navigation([st.Page(PAGES_DIR / file, title=t(title_key), icon=icon, default=True)], position="hidden")


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
