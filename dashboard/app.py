"""Entry script (``streamlit run dashboard/app.py``; served by dashboard/asgi.py): page config, gate, navigation.

It only frames and routes: the language and projection switches and the
global filters are drawn here, once, so their state survives a page switch;
each page reads the filter and lays out its figures. A page's failure is
shown as one short localized message, never a traceback (which is logged).

Every page is registered on every run, for everyone (hidden from the menu
where the role may not open it), so that any page's URL resolves — no English
"Page not found" — and a visitor without a session sees the log-in form on
the very URL they asked for, landing there after the log-in. What a role may
open is decided here, on every run, by the page's ``PageSpec.permission``,
whatever the navigation (menu, URL, browser history, a script's pushState).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

# Imported here, first and in this order, before any page: when several
# sessions' first runs import numpy, pandas and plotly at once in different
# orders, Python breaks the import deadlock by handing one of them a
# half-initialised module (seen in benchmarks/load_test.py as error boxes).
import numpy  # noqa: F401
import pandas  # noqa: F401
import streamlit as st

from dashboard import data_access, filters_ui, gate, theme, wall
from dashboard.page_registry import LOGIN_PAGE, PAGES, PageSpec, pages_for
from data.db import DatabaseUnavailable
from services import access
from text.i18n import current_language, t

log = logging.getLogger("dashboard.app")


def _st_page(spec: PageSpec, visible: bool):
    return st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.name, default=spec.default,
                   visibility="visible" if visible else "hidden")


def _navigation(role: str | None, projection: bool):
    """(the page the URL asks for, its PageSpec, every st.Page by name)."""
    st_pages = {spec.name: _st_page(spec, role is not None and spec.allowed(role)) for spec in PAGES}
    default = next(st_pages[spec.name] for spec in PAGES if spec.default)

    def signed_in_at_login() -> None:
        # /login for someone who is signed in already: the default page, with the view kept.
        st.switch_page(default, query_params=filters_ui.to_query(filters_ui.current_state()))

    st_pages[LOGIN_PAGE.name] = st.Page(signed_in_at_login, title=t(LOGIN_PAGE.title_key), icon=LOGIN_PAGE.icon,
                                        url_path=LOGIN_PAGE.name, visibility="hidden")
    # Projection mode and the log-in form have no sidebar, so no menu in it either.
    position = "hidden" if projection or role is None else "sidebar"
    page = st.navigation(list(st_pages.values()), position=position)
    spec = next(spec for spec in (*PAGES, LOGIN_PAGE) if st_pages[spec.name] is page)
    return page, spec, st_pages


def _requested_url(spec: PageSpec) -> str:
    """This page's URL with the view's parameters: where the log-in returns to."""
    path = "" if spec.default or spec == LOGIN_PAGE else spec.name
    params = {k: v for k, v in st.query_params.to_dict().items() if k in filters_ui.URL_PARAMS}
    return gate.base_path() + path + (f"?{urlencode(params)}" if params else "")


def main() -> None:
    gate.check_configuration()  # production without a proper secret: nothing is served
    filters_ui.init_state()
    database_down = False
    try:
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
    theme.apply(projection, current_language())
    page, spec, st_pages = _navigation(user.role if user else None, projection)
    if user is None:
        # Whatever page the URL names: the form, and after the log-in that very page.
        try:
            if database_down:
                raise DatabaseUnavailable("the session could not be checked")
            data_access.data_state()  # a database that is down is said at once, not after the password
            gate.render_login_form(_requested_url(spec))
        except DatabaseUnavailable as exc:
            log.warning("database unavailable: %s", exc)
            st.error(t("error.db_unavailable"), icon=":material/cloud_off:")
        return
    if projection:
        wall.render_switcher(pages_for(user.role), spec, st_pages, exit_button=user.role != "projection")
    else:
        filters_ui.render_display_controls()
    try:
        state = data_access.data_state()
        filters_ui.build_and_render_filters(access.scope_for(user))
        if state.is_demo:
            st.warning(t("app.demo_banner"), icon=":material/science:")
        if spec.allowed(user.role):
            page.run()
        else:
            # The menu never offers it; a typed URL, the browser's history or a
            # script's pushState can still ask for it. The page does not run.
            log.info("%s (role %s) may not open page %s: refused", user.username, user.role, spec.name)
            st.error(t("access.denied"), icon=":material/block:")
    except DatabaseUnavailable as exc:
        log.warning("database unavailable: %s", exc)
        st.error(t("error.db_unavailable"), icon=":material/cloud_off:")
    except Exception:
        log.exception("page %r failed", page.title)
        st.error(t("error.unexpected"), icon=":material/error:")
    gate.render_account(user, projection)
    filters_ui.write_url()


try:
    main()
except Exception:  # anything before the page (Streamlit's own stop and rerun are not Exceptions)
    log.exception("the entry script failed")
    st.error(t("error.unexpected"), icon=":material/error:")
