"""The personal-data panel under a case list: masked by default, one deliberate click to reveal, logged.

A page that lists cases calls :func:`render_reveal` with the case numbers it
shows, or :func:`render_reveal_case` for the one case it details. The panel is drawn only for a role that may reveal
(``access.can(role, "reveal_personal_data")``) and never in projection mode.
Revealed values live only in this run's output: not in the session state,
not in a cache, not in the URL.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data_access, filters_ui, gate
from services import access, personal_data
from text.i18n import DASH, t
from text.markup import markdown_text

FIELDS = ("name", "id_number", "phone", "address")


def may_reveal() -> bool:
    user = gate.signed_in_user()
    return (
        user is not None
        and not filters_ui.projection_mode()
        and user.role != "projection"
        and access.can(user.role, "reveal_personal_data")
    )


def _show(record: personal_data.PetitionerRecord) -> None:
    if all(getattr(record, name) is None for name in FIELDS):
        st.caption(t("reveal.none"))
        return
    rows = [(t(f"reveal.field.{name}"), markdown_text(getattr(record, name)) or DASH) for name in FIELDS]
    # st.table draws its cells as Markdown: a petitioner's address from a file is escaped to stay text.
    st.table({t("reveal.field"): [r[0] for r in rows], t("reveal.value"): [r[1] for r in rows]})


def render_reveal(case_numbers: list[str], key: str) -> None:
    """Pick one of ``case_numbers``, see it masked, and reveal it with a logged click."""
    if not case_numbers or not may_reveal():
        return
    with st.expander(t("reveal.heading"), icon=":material/badge:"):
        number = st.selectbox(t("reveal.case"), case_numbers, index=None, key=f"w.reveal.{key}.case")
        if number is None:
            return
        _masked_then_reveal(number, key)


def render_reveal_case(case_number: str, key: str) -> None:
    """The same panel for one case already chosen (a case's detail): masked, then a logged click."""
    if not case_number or not may_reveal():
        return
    with st.expander(t("reveal.heading_case", case=case_number), icon=":material/badge:"):
        _masked_then_reveal(case_number, key)


def _masked_then_reveal(number: str, key: str) -> None:
    user = gate.signed_in_user()
    engine = data_access.engine()
    scope = access.scope_for(user)
    case_id = personal_data.case_id_for_number(engine, number, scope)
    masked = personal_data.masked_petitioner(engine, case_id, scope) if case_id is not None else None
    if masked is None:
        st.warning(t("reveal.denied"))
        return
    st.caption(t("reveal.masked"))
    _show(masked)
    if st.button(t("reveal.button"), key=f"w.reveal.{key}.go", icon=":material/visibility:"):
        try:
            record = personal_data.reveal_petitioner(engine, user, case_id, gate.client_addr())
        except access.AccessDenied:
            st.error(t("reveal.denied"))
            return
        st.success(t("reveal.logged"))
        _show(record)
