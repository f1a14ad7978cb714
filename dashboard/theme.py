"""Look: the static CSS of projection mode and the Plotly layout of every chart.

The CSS here is written by hand and never formatted with data (the
replacements of Streamlit's own English words come from the translation
table): it is the only thing the app passes to ``st.html``. Selectors use Streamlit's
``data-testid`` attributes, which its own end-to-end tests rely on.
"""

from __future__ import annotations

from text.i18n import DEFAULT_LANGUAGE, translate

# Fonts already on the machine that shows the page: no web font is fetched
# (an intranet has no internet). Noto Sans CJK on Linux, YaHei on Windows, PingFang on macOS.
CJK_FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", "WenQuanYi Micro Hei", sans-serif'
)

# Chart colours: a blue for counts and an amber for rates, distinguishable by
# the common colour-vision deficiencies, and legible on white and on the dark projection background.
COUNT_COLOUR = "#2f6fb0"
RATE_COLOUR = "#e08a00"
PROJECTION_COUNT_COLOUR = "#5aa9ff"
PROJECTION_RATE_COLOUR = "#ffb020"
PROJECTION_BACKGROUND = "#0b1526"

_BASE_CSS = """
<style>
/* Tiles of one row share a height, so 环比/同比 lines line up. */
[data-testid="stMetric"] { height: 100%; }
[data-testid="stMetricValue"] { font-variant-numeric: tabular-nums; }
/* Less empty band above the first element (the header is only a thin toolbar here). */
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
</style>
"""

# Projection: a wall screen seen from the back of a meeting room. Dark background,
# near-white text, large type, and nothing but the figures: no header, toolbar,
# menu, sidebar or footer.
_PROJECTION_CSS = """
<style>
[data-testid="stHeader"],
[data-testid="stToolbar"],
[data-testid="stMainMenu"],
[data-testid="stDecoration"],
[data-testid="stStatusWidget"],
[data-testid="stAppDeployButton"],
[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"],
footer { display: none !important; }

.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stBottom"] > div {
  background: #0b1526 !important;
  color: #f4f7fb !important;
}
[data-testid="stMainBlockContainer"] {
  padding: 0.6rem 2.2rem 1rem 2.2rem !important;
  max-width: 100% !important;
}
.stApp h1, .stApp h2, .stApp h3,
[data-testid="stMarkdownContainer"] > p,
[data-testid="stWidgetLabel"] p { color: #f4f7fb !important; }
.stApp h1 { font-size: 2.4rem !important; padding-top: 0 !important; }
.stApp h2, .stApp h3 { font-size: 2rem !important; }
[data-testid="stMarkdown"] [data-testid="stMarkdownContainer"] > p { font-size: 1.3rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] > p {
  font-size: 1.35rem !important;
  color: #c9d6e8 !important;
}
[data-testid="stVerticalBlockBorderWrapper"], [data-testid="stLayoutWrapper"] > div {
  border-color: #5b7399 !important;
}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p {
  font-size: 1.45rem !important;
  color: #dbe6f5 !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {
  font-size: 4rem !important;
  font-weight: 700 !important;
  color: #ffffff !important;
  line-height: 1.15 !important;
}
/* Deltas and 同比 badges keep their light pill with green/red text: legible on the dark page. */
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div,
.stMarkdownBadge { font-size: 1.3rem !important; }
[data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { color: inherit !important; }
.stMarkdownBadge { background-color: #eef2f7 !important; }
[data-testid="stMetricDeltaDescription"] { font-size: 1.3rem !important; color: #c9d6e8 !important; }
/* Definitions are for the desk (hover), not for the wall. */
[data-testid="stTooltipIcon"], [data-testid="stTooltipHoverTarget"] svg { display: none !important; }
/* The demo notice stays unmistakable in dark mode. */
[data-testid="stAlert"] > div { background: #3d2e00 !important; }
[data-testid="stAlert"] p { font-size: 1.3rem !important; color: #ffd666 !important; }
/* Tables (the leaders' records on the receptions page): wall-sized type. */
[data-testid="stTable"] th, [data-testid="stTable"] td {
  font-size: 1.35rem !important;
  color: #f4f7fb !important;
  padding: 0.3rem 0.7rem !important;
}
/* Coloured Markdown (:green[…], :gray[…]) is tuned for a white page: lighter on the dark one. */
.stMarkdownColoredText { filter: brightness(2.2); }
/* Tabs, segmented controls and tables (the trends page) read from the back of the room. */
[data-testid="stTab"] p { font-size: 1.5rem !important; color: #dbe6f5 !important; }
[data-testid="stTab"][aria-selected="true"] p { color: #ffffff !important; font-weight: 700 !important; }
[data-testid="stButtonGroup"] button {
  background: #13233d !important;
  border-color: #5b7399 !important;
}
[data-testid="stButtonGroup"] button p { color: #dbe6f5 !important; font-size: 1.2rem !important; }
[data-testid="stButtonGroup"] button[aria-checked="true"] { background: #2f6fb0 !important; }
[data-testid="stButtonGroup"] button[aria-checked="true"] p { color: #ffffff !important; }
[data-testid="stTableStyledTable"] th, [data-testid="stTableStyledTable"] td {
  font-size: 1.35rem !important;
  color: #f4f7fb !important;
  border-color: #5b7399 !important;
}
[data-testid="stTableStyledTable"] [data-testid="stMarkdownContainer"] p { font-size: 1.35rem !important; }
/* Tables on the wall (st.table): large type, light on dark; a greyed row keeps its own muted colours. */
[data-testid="stTable"] table { font-size: 1.45rem; width: 100%; }
[data-testid="stTable"] th, [data-testid="stTable"] td {
  color: #f4f7fb; border-color: #3a4f70 !important; padding: 0.4rem 0.9rem;
}
[data-testid="stTable"] th { color: #c9d6e8; font-weight: 600; background: #13223a; }
/* Segmented controls (the league's grouping): light on dark, the chosen one in the accent colour. */
[data-testid="stButtonGroup"] button { background: #13223a !important; color: #f4f7fb !important;
  border-color: #5b7399 !important; font-size: 1.2rem !important; }
[data-testid="stButtonGroup"] button p { color: inherit !important; font-size: 1.2rem !important; }
[data-testid="stButtonGroup"] button[aria-checked="true"] { background: #2f6fb0 !important; border-color: #9cc6ff !important; }
/* The page switcher (dashboard/wall.py): the PageUp/PageDown twins of ← and → only answer keys. */
[data-testid="stLayoutWrapper"]:has(> .st-key-wall_keys), .st-key-wall_keys { display: none !important; }
/* Its playlist menu: dark like the page, so the page's light label colour reads. */
[data-testid="stPopoverBody"] { background: #13233d !important; border: 1px solid #5b7399 !important; }
[data-testid="stPopoverBody"] [data-testid="stBaseButton-secondary"] {
  background: #1c2f4d !important; border-color: #5b7399 !important;
}
/* The way out stays visible but small. */
[data-testid="stBaseButton-tertiary"] p { font-size: 1rem !important; color: #9fb3cf !important; }
</style>
"""


# The review's briefing (月度研判 in projection mode): one message per slide, read from the back of
# the room. The slide is the container keyed "review-slide" (class st-key-review-slide).
_BRIEFING_CSS = """
<style>
.st-key-review-slide {
  min-height: 64vh;
  justify-content: center;
  padding: 2rem 4rem !important;
}
.st-key-review-slide h2 { font-size: 2.6rem !important; color: #9fc4ff !important; }
.st-key-review-slide h1 {
  font-size: 5.6rem !important;
  line-height: 1.2 !important;
  color: #ffffff !important;
  font-weight: 700 !important;
}
.st-key-review-slide [data-testid="stMarkdownContainer"] li,
.st-key-review-slide [data-testid="stMarkdownContainer"] li p { font-size: 2.5rem !important; line-height: 1.5 !important; }
.st-key-review-pager [data-testid="stCaptionContainer"] p { font-size: 1.3rem !important; }
.st-key-review-pager button p { font-size: 1.3rem !important; }
</style>
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def streamlit_texts_css(lang: str, max_upload_mb: int) -> str:
    """Streamlit's own English words that the app cannot pass a label for, replaced in ``lang`` by CSS.

    The file uploader's "Upload" and "200MB per file • XLSX, …" (the app's own
    label already names the file types) and the keyboard user's "Skip to main
    content" link. The English is made invisible (``visibility: hidden`` also
    keeps it out of the page's text) and our text is drawn in its place. In
    English nothing is replaced. The text comes from the translation table, never from data.
    """
    if lang == "en":
        return ""
    button = _css_string(translate("streamlit.uploader.button", lang))
    limit = _css_string(translate("streamlit.uploader.limit", lang, mb=max_upload_mb))
    skip = _css_string(translate("streamlit.skip_to_content", lang))
    return f"""
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stSkipToContent"] {{ font-size: 0 !important; visibility: hidden; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {button}; font-size: 0.875rem; visibility: visible; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {limit}; font-size: 0.875rem; visibility: visible; }}
[data-testid="stSkipToContent"]:focus {{ visibility: visible; }}
[data-testid="stSkipToContent"]::after {{ content: {skip}; font-size: 1rem; }}
</style>
"""


# Streamlit is imported by the two functions that write to the page, not here: the chart builders use this
# module too, and the review command (Word report) would otherwise pay ~0.5 s to import Streamlit.


def apply_briefing() -> None:
    """Inject the briefing's static CSS (large type for the slide)."""
    import streamlit as st

    st.markdown(_BRIEFING_CSS, unsafe_allow_html=True)


def apply(projection: bool, lang: str = DEFAULT_LANGUAGE) -> None:
    """Inject this run's static CSS (``st.html``: a style-only block takes no room on the page)."""
    import streamlit as st

    st.html(_BASE_CSS + streamlit_texts_css(lang, int(st.get_option("server.maxUploadSize"))))
    if projection:
        st.html(_PROJECTION_CSS)


def plotly_config(projection: bool) -> dict:
    """No Plotly logo or links to plotly.com; no toolbar at all on the wall screen.

    No "download plot as PNG" either: the browser makes that file, so it could
    not be audited like every other download (dashboard/downloads_ui.py).
    """
    return {"displaylogo": False, "displayModeBar": not projection, "showLink": False, "showSendToCloud": False,
            "modeBarButtonsToRemove": ["toImage"]}


def plotly_theme(projection: bool) -> str | None:
    """The ``theme`` argument of ``st.plotly_chart``: Streamlit's, except on the dark projection page."""
    return None if projection else "streamlit"


def style_figure(fig, projection: bool) -> None:
    """Fonts that render Chinese, and in projection mode a dark, high-contrast, large-type template."""
    if projection:
        fig.update_layout(
            template="plotly_dark",
            paper_bgcolor=PROJECTION_BACKGROUND,
            plot_bgcolor=PROJECTION_BACKGROUND,
            font={"family": CJK_FONT_FAMILY, "size": 20, "color": "#f4f7fb"},
            title_font={"size": 26},
            legend={"font": {"size": 20}},
        )
        fig.update_xaxes(gridcolor="#2a3b57", tickfont={"size": 18})
        fig.update_yaxes(gridcolor="#2a3b57", tickfont={"size": 18})
    else:
        fig.update_layout(font={"family": CJK_FONT_FAMILY})


def count_colour(projection: bool) -> str:
    return PROJECTION_COUNT_COLOUR if projection else COUNT_COLOUR


def rate_colour(projection: bool) -> str:
    return PROJECTION_RATE_COLOUR if projection else RATE_COLOUR
