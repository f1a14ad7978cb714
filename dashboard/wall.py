"""The wall screen: a compact page switcher and a playlist for projection mode (issue 14).

Projection mode hides the sidebar, and with it the menu: the wall-screen
account saw the overview and nothing else. Grafana's kiosk mode and playlists
are the model:

- A row of small buttons at the top of the screen: one per page the role may
  open (keys 1–9), previous and next (← and →, and PageUp/PageDown, which a
  presenter's remote sends), play/pause of the playlist (P), and the way out
  of projection mode for roles that have one.
- The **playlist** shows its pages one after another, each for N seconds.
  It is part of the URL (``?playlist=overview,map&every=60``), so the wall
  screen's browser can start it from a bookmark and a reload keeps it; ▶
  plays every page the role may open, and the ⚙ menu chooses pages and time.

Nothing here shows data, let alone personal data: page titles only. The pages
themselves decide what projection mode may show.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from dashboard import filters_ui
from dashboard.page_registry import PageSpec
from text.i18n import t

NEXT_TICK_KEY = "ui.playlist_next_at"  # time.monotonic() after which the playlist moves on
INTERVAL_CHOICES = (10, 15, 30, 60, 120, 300, 600)
PAGES_WIDGET = "w.wall.playlist_pages"
EVERY_WIDGET = "w.wall.playlist_every"

# The remote's keys: a visible button answers the arrow, a twin hidden by CSS
# (dashboard/theme.py) answers PageUp/PageDown; Streamlit gives a button one shortcut.
PREVIOUS_KEYS = ("Left", "PageUp")
NEXT_KEYS = ("Right", "PageDown")


def playlist(names: Sequence[str], allowed: Sequence[PageSpec]) -> list[PageSpec]:
    """The pages of the playlist ``names`` that the role may open, in the playlist's order."""
    by_name = {spec.name: spec for spec in allowed}
    return [by_name[name] for name in names if name in by_name]


def following(pages: Sequence[PageSpec], current: PageSpec, step: int) -> PageSpec:
    """The page ``step`` places after ``current`` in ``pages``, going round; the first if current is not there."""
    if current not in pages:
        return pages[0] if step > 0 else pages[-1]
    return pages[(list(pages).index(current) + step) % len(pages)]


def _switch(st_pages: dict[str, object], target: PageSpec) -> None:
    # Keep the view (filters, projection, playlist) in the URL of the next page.
    st.switch_page(st_pages[target.name], query_params=filters_ui.to_query(filters_ui.current_state()))


def _play(widget_pages: str, widget_every: str, everything: tuple[str, ...]) -> None:
    """Play the pages chosen in the ⚙ menu (all of them when none is chosen yet), each for the chosen time."""
    st.session_state[filters_ui.INTERVAL_KEY] = st.session_state.get(
        widget_every, st.session_state.get(filters_ui.INTERVAL_KEY, filters_ui.DEFAULT_INTERVAL))
    st.session_state[filters_ui.PLAYLIST_KEY] = tuple(st.session_state.get(widget_pages) or everything)


def _stop() -> None:
    st.session_state[filters_ui.PLAYLIST_KEY] = ()


def render_switcher(allowed: Sequence[PageSpec], current: PageSpec, st_pages: dict[str, object],
                    exit_button: bool) -> None:
    """The switcher row; switches page when a button (or its key) was pressed. ``st_pages``: name -> st.Page."""
    chosen = playlist(st.session_state.get(filters_ui.PLAYLIST_KEY, ()), allowed)
    playing = bool(chosen)
    target: PageSpec | None = None
    with st.container(horizontal=True, horizontal_alignment="right", gap="small", key="wall_switcher"):
        for number, spec in enumerate(allowed, start=1):
            if st.button(t(spec.title_key), key=f"w.wall.page.{spec.name}", icon=spec.icon,
                         type="primary" if spec == current else "tertiary",
                         shortcut=str(number) if number <= 9 else None):
                target = spec
        if len(allowed) > 1:
            steps = ((PREVIOUS_KEYS, -1, "previous", ":material/chevron_left:"),
                     (NEXT_KEYS, 1, "next", ":material/chevron_right:"))
            for (visible, _), step, name, icon in steps:
                # A page that turns its own slides with ← and → (the review's briefing) keeps those keys;
                # PageUp and PageDown still switch pages there.
                arrow = None if current.owns_arrow_keys else visible
                if st.button(t(f"wall.{name}"), key=f"w.wall.{name}", icon=icon, type="tertiary", shortcut=arrow):
                    target = following(chosen or allowed, current, step)
            # Hidden by CSS, wrapper and all (only their keys count): dashboard/theme.py.
            with st.container(key="wall_keys", width="content"):
                for (_, twin), step, name, _ in steps:
                    if st.button(t(f"wall.{name}"), key=f"w.wall.{name}.twin", type="tertiary", shortcut=twin):
                        target = following(chosen or allowed, current, step)
            play_args = (PAGES_WIDGET, EVERY_WIDGET, tuple(spec.name for spec in allowed))
            if playing:
                st.button(t("wall.pause"), key="w.wall.pause", icon=":material/pause:", type="tertiary",
                          shortcut="P", on_click=_stop)
            else:
                st.button(t("wall.play"), key="w.wall.play", icon=":material/play_arrow:", type="tertiary",
                          shortcut="P", on_click=_play, args=play_args)
            _playlist_menu(allowed, chosen, play_args)
        if exit_button:
            filters_ui.render_exit_projection()
    if target is not None and target != current:
        _switch(st_pages, target)
    if playing:
        _run_playlist(chosen, current, st_pages)


def _playlist_menu(allowed: Sequence[PageSpec], chosen: list[PageSpec], play_args: tuple) -> None:
    with st.popover(t("wall.playlist"), icon=":material/settings:", type="tertiary"):
        names = [spec.name for spec in allowed]
        titles = {spec.name: t(spec.title_key) for spec in allowed}
        # Seeded once from the playlist; Streamlit keeps the visitor's choice from then on.
        st.session_state.setdefault(PAGES_WIDGET, [spec.name for spec in chosen] or names)
        st.multiselect(t("wall.playlist.pages"), names, format_func=titles.get, key=PAGES_WIDGET)
        every = st.session_state.get(filters_ui.INTERVAL_KEY, filters_ui.DEFAULT_INTERVAL)
        st.session_state.setdefault(EVERY_WIDGET, every)
        st.selectbox(t("wall.playlist.every"), sorted({*INTERVAL_CHOICES, every}),
                     format_func=lambda s: t("wall.seconds", n=s), key=EVERY_WIDGET)
        st.button(t("wall.playlist.start"), key="w.wall.playlist_start", icon=":material/play_arrow:",
                  on_click=_play, args=play_args)


def _run_playlist(chosen: list[PageSpec], current: PageSpec, st_pages: dict[str, object]) -> None:
    """Move to the playlist's next page every N seconds: a fragment that reruns alone until it is time."""
    seconds = st.session_state.get(filters_ui.INTERVAL_KEY, filters_ui.DEFAULT_INTERVAL)
    st.session_state[NEXT_TICK_KEY] = time.monotonic() + seconds - 0.5  # a tick may come a little early

    def tick() -> None:
        if time.monotonic() >= st.session_state.get(NEXT_TICK_KEY, float("inf")) and chosen:
            _switch(st_pages, following(chosen, current, 1))

    st.fragment(tick, run_every=seconds)()
