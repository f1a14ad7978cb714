"""Entry script (``streamlit run dashboard/app.py``): page config, shared sidebar, navigation.

It only frames and routes: the language and projection switches and the
global filters are drawn here, once, so their state survives a page switch;
each page reads the filter and lays out its figures. A page's failure is
shown as one short localized message, never a traceback (which is logged).
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from dashboard import data_access, filters_ui, theme
from dashboard.i18n import t
from data.db import DatabaseUnavailable

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"

# Every page of the app: (file in pages/, title key in i18n, icon, default).
# Adding a page is one line here (and its title in dashboard/i18n.py).
PAGES = (
    ("overview.py", "page.overview", ":material/dashboard:", True),
)

log = logging.getLogger("dashboard.app")


def _navigation(projection: bool):
    pages = [
        st.Page(PAGES_DIR / file, title=t(title_key), icon=icon, default=default)
        for file, title_key, icon, default in PAGES
    ]
    # Projection mode: no sidebar at all, so no navigation in it either.
    return st.navigation(pages, position="hidden" if projection else "sidebar")


def main() -> None:
    filters_ui.init_state()
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
    page = _navigation(projection)
    filters_ui.render_display_controls()
    try:
        state = data_access.data_state()
        filters_ui.build_and_render_filters()
        if state.is_demo:
            st.warning(t("app.demo_banner"), icon=":material/science:")
        page.run()
    except DatabaseUnavailable as exc:
        log.warning("database unavailable: %s", exc)
        st.error(t("error.db_unavailable"), icon=":material/cloud_off:")
    except Exception:
        log.exception("page %r failed", page.title)
        st.error(t("error.unexpected"), icon=":material/error:")
    filters_ui.write_url()


main()
