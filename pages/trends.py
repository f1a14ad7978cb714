"""月度趋势 Monthly trends: cases received split by a dimension, the rates over time, rising issues, hot words.

"The latest month" is the last month of the global filter's period; every
series ends there. Four tabs, each computed only while it is open (rising
issues and hot words take seconds at a million cases; the rest of the page
does not wait for them). Downloads (Excel and PNG) for roles that may export,
never on the wall screen; case lists (the cases behind a hot word: number and
date only) for roles that may see case lists, never on the wall screen.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data_access, downloads_ui, filters_ui, gate, theme
from dashboard.charts import trends as charts
from queries import hot_words, rising, trends
from queries.filters import CaseFilter, add_months
from services import access
from text.formatting import (
    change_direction,
    format_change,
    format_count,
    format_month,
    format_month_short,
    format_rate,
)
from text.i18n import category_name, channel_name, current_language, metric_help, metric_label, t
from text.markup import markdown_text

SECTIONS = ("received", "rates", "rising", "hot_words")
SPLITS = ("category", "channel", "township", "park", "unit")
STYLES = ("stacked", "multiples")
WINDOWS = ("12", "24", "36", "period")  # months, or the filter's own period (a range)
# Session state of this page (namespaced "trends."), initialised in _init_state only; the
# benchmark opens a tab by setting SECTION_KEY (dashboard/page_registry.py).
SECTION_KEY = "trends.section"
SPLIT_KEY = "trends.split"
STYLE_KEY = "trends.style"
WINDOW_KEY = "trends.window"
WORD_KEY = "trends.word"
HOT_CHART_KEY = "w.trends.hot_chart"  # the hot words chart's selection (a click on a bar)
DEFAULTS = {SECTION_KEY: "received", SPLIT_KEY: "category", STYLE_KEY: "stacked", WINDOW_KEY: "24", WORD_KEY: None}
# Evidence charts drawn for at most this many rising issues (the rest are in the table).
MAX_EVIDENCE = 6


def _init_state() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _copy(widget_key: str, canonical_key: str) -> None:
    value = st.session_state[widget_key]
    if value is not None:  # a segmented control clicked twice is unselected: keep the choice
        st.session_state[canonical_key] = value


def _choice(label: str, options, canonical_key: str, widget_key: str, format_func) -> str:
    """A segmented control bound to a canonical key (a widget's own state is dropped when it is not drawn)."""
    if st.session_state[canonical_key] not in options:
        st.session_state[canonical_key] = options[0]
    st.session_state[widget_key] = st.session_state[canonical_key]
    st.segmented_control(label, options, format_func=format_func, key=widget_key, on_change=_copy,
                         args=(widget_key, canonical_key))
    return st.session_state[canonical_key]


def _on_section(widget_key: str, labels: dict[str, str]) -> None:
    st.session_state[SECTION_KEY] = labels.get(st.session_state.get(widget_key), SECTIONS[0])


def _month_text(d) -> str:
    return format_month(d)


def _describe(flt: CaseFilter) -> str:
    """The filter's dimensions (ids) for the audit entry; the scope is the user's own, named by the entry."""
    parts = [f"{name}={','.join(str(v) for v in values)}" for name, values in (
        ("township", flt.township_ids), ("park", flt.park_ids), ("category", flt.category_ids),
        ("channel", flt.channels), ("unit", flt.unit_ids)) if values]
    return f"[{'; '.join(parts)}]" if parts else ""


def _months_stem(first, last) -> str:
    return f"{format_month_short(first)}_{format_month_short(last)}"


def _config(projection: bool) -> dict:
    # The toolbar on hover only: shown for good it sits on top of a long legend.
    config = theme.plotly_config(projection)
    return {**config, "displayModeBar": "hover"} if config["displayModeBar"] else config


def _chart(fig, key: str, projection: bool) -> None:
    st.plotly_chart(fig, theme=theme.plotly_theme(projection), config=_config(projection), key=key)


def _window(flt: CaseFilter) -> tuple[str, int | None]:
    """The window control (months, or the filter's period when it is a range of months)."""
    ranged = (flt.start.year, flt.start.month) != (flt.end.year, flt.end.month)
    options = WINDOWS if ranged else WINDOWS[:-1]
    if not ranged and st.session_state[WINDOW_KEY] == "period":
        st.session_state[WINDOW_KEY] = DEFAULTS[WINDOW_KEY]
    window = _choice(t("trends.window"), options, WINDOW_KEY, f"w.{WINDOW_KEY}.{st.session_state[SECTION_KEY]}",
                     lambda w: t("trends.window.period") if w == "period" else t("trends.window.months", n=w))
    return window, None if window == "period" else int(window)


# --- cases received ----------------------------------------------------------------------------


def _split_labels(series: pl.DataFrame, by: str) -> dict[str, str]:
    """key -> the name shown: categories and channels in the session's language, 其他 translated."""
    codes = {}
    if by == "category":
        categories = data_access.categories()
        codes = {str(i): c for i, c in zip(categories["id"], categories["code"], strict=True)}
    labels = {}
    for key, label in zip(series["key"].to_list(), series["label"].to_list(), strict=True):
        if key == trends.OTHER_KEY:
            labels[key] = t("trends.other")
        elif by == "channel":
            labels[key] = channel_name(key)
        elif by == "category":
            labels[key] = category_name(codes.get(key), label)
        else:
            labels[key] = label
    return labels


def _changes_table(series: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    changes = trends.series_changes(series)
    total = changes.select(pl.col("received", "received_previous", "received_year_earlier").sum())
    # st.table renders each cell as Markdown: a name from data is escaped (a name could be a link).
    rows = [(markdown_text(labels[r["key"]]), r["received"], r["received_previous"], r["received_year_earlier"])
            for r in changes.iter_rows(named=True)]
    # An unknown month (before the first case) makes the total unknown too, never a sum of zeros.
    known = {c: changes[c].null_count() == 0 for c in ("received_previous", "received_year_earlier")}
    rows.append((t("trends.total"), total["received"][0],
                 total["received_previous"][0] if known["received_previous"] else None,
                 total["received_year_earlier"][0] if known["received_year_earlier"] else None))
    return pl.DataFrame({
        t("trends.col.split"): [r[0] for r in rows],
        t("trends.changes.received"): [format_count(r[1]) for r in rows],
        t("trends.changes.previous"): [format_count(r[2]) for r in rows],
        t("change.mom"): [format_change(r[1], r[2]) for r in rows],
        t("trends.changes.year_earlier"): [format_count(r[3]) for r in rows],
        t("change.yoy"): [format_change(r[1], r[3]) for r in rows],
    })


def received_section(flt: CaseFilter, projection: bool) -> None:
    splits = SPLITS if flt.scope.township_id is None else tuple(s for s in SPLITS if s != "township")
    # A row that wraps rather than cutting a control off (English labels are long).
    with st.container(horizontal=True, gap="large"):
        by = _choice(t("trends.split"), splits, SPLIT_KEY, "w.trends.split", lambda s: t(f"filters.{s}"))
        style = _choice(t("trends.style"), STYLES, STYLE_KEY, "w.trends.style", lambda s: t(f"trends.style.{s}"))
        window, months = _window(flt)
    series = data_access.received_series(flt, by, months)
    split_name = t(f"filters.{by}")
    st.subheader(t("trends.received.title", split=split_name), help=metric_help("received"))
    if series.is_empty() or series["received"].sum() == 0:
        st.info(t("trends.received.empty"))
        return
    labels = _split_labels(series, by)
    first, last = series["month"].min(), series["month"].max()
    caption = t("trends.received.caption", start=_month_text(first), end=_month_text(last), top=trends.DEFAULT_TOP,
                year_earlier=t(f"trends.received.year_earlier.{style}"))
    if by == "park":
        caption += " " + t("trends.received.no_park")
    st.caption(caption)
    lang = current_language()
    _chart(charts.received_series_figure(series, style=style, labels=labels, lang=lang, projection=projection),
           "trends.received.chart", projection)
    stem = f"trends-received-{by}-{_months_stem(first, last)}"
    downloads_ui.chart_downloads(
        "received", file_stem=f"{stem}-{style}", describe=_describe(flt),
        frame=series.select("month", pl.col("key").replace_strict(labels).alias("split"), "received",
                            "received_year_earlier"),
        headers={"month": t("trends.col.month"), "split": split_name, "received": t("trends.col.received"),
                 "received_year_earlier": t("trends.col.received_year_earlier")},
        figure=lambda: charts.received_series_figure(
            series, style=style, labels=labels, lang=lang,
            title=f"{t('trends.received.title', split=split_name)} · {_month_text(first)}–{_month_text(last)}"),
    )
    st.subheader(t("trends.changes.title", month=_month_text(last)))
    table = _changes_table(series, labels).rename({t("trends.col.split"): split_name})
    st.table(table, hide_index=True)


# --- rates -------------------------------------------------------------------------------------


def _yoy_markdown(current, earlier) -> str:
    text = format_change(current, earlier, kind="rate")
    direction = change_direction(current, earlier, kind="rate")
    if not direction:
        return f"{t('change.yoy')} :gray-badge[{text}]"
    arrow, colour = ("↑", "green") if direction > 0 else ("↓", "red")
    return f"{t('change.yoy')} :{colour}-badge[{arrow} {text}]"


def rates_section(flt: CaseFilter, projection: bool) -> None:
    title_column, window_column = st.columns([5, 3], vertical_alignment="bottom")
    with window_column:
        _, months = _window(flt)
    title_column.subheader(t("trends.rates.title"))
    rates = data_access.rate_series(flt, months)
    latest = rates["month"].max()
    changes = trends.rate_changes(rates)
    latest_rows = {r["rate"]: r for r in rates.filter(pl.col("month") == latest).iter_rows(named=True)}
    per_row = 3 if projection else len(trends.TREND_RATES)
    names = list(trends.TREND_RATES)
    for start in range(0, len(names), per_row):
        row_names = names[start:start + per_row]
        for column, row in zip(st.columns(per_row), changes.filter(pl.col("rate").is_in(row_names))
                               .iter_rows(named=True), strict=False):
            name, parts = row["rate"], latest_rows[row["rate"]]
            direction = change_direction(row["value"], row["value_previous"], kind="rate")
            with column.container(border=True):
                st.metric(
                    metric_label(name), format_rate(row["value"]),
                    delta=format_change(row["value"], row["value_previous"], kind="rate"),
                    delta_color="normal" if direction else "off", delta_arrow="auto" if direction else "off",
                    delta_description=t("change.mom"), help=metric_help(name),
                )
                st.markdown(_yoy_markdown(row["value"], row["value_year_earlier"]))
                st.caption(t("trends.rates.tile.parts", parts=t("trends.rates.parts", numerator=parts["numerator"],
                                                                 denominator=parts["denominator"])))
                if row["sparse"] and parts["denominator"]:
                    st.caption(t("trends.rates.tile.sparse", n=trends.MIN_DENOMINATOR))
    st.caption(t("trends.rates.caption", n=trends.MIN_DENOMINATOR))
    lang = current_language()
    _chart(charts.rates_figure(rates, lang=lang, projection=projection), "trends.rates.chart", projection)
    first = rates["month"].min()
    labels = {name: metric_label(name) for name in trends.TREND_RATES}
    downloads_ui.chart_downloads(
        "rates", file_stem=f"trends-rates-{_months_stem(first, latest)}", describe=_describe(flt),
        frame=rates.select("month", pl.col("rate").replace_strict(labels).alias("rate"), "numerator", "denominator",
                           "value", "sparse"),
        headers={"month": t("trends.col.month"), "rate": t("trends.col.rate"),
                 "numerator": t("trends.col.numerator"), "denominator": t("trends.col.denominator"),
                 "value": t("trends.col.value"), "sparse": t("trends.col.sparse")},
        figure=lambda: charts.rates_figure(
            rates, lang=lang, title=f"{t('trends.rates.title')} · {_month_text(first)}–{_month_text(latest)}"),
    )


# --- rising issues ---------------------------------------------------------------------------


def _area(row: dict) -> str:
    if row["park"] is not None:
        return t("trends.rising.in_park", name=row["park"])
    return row["township"] if row["township"] is not None else t("trends.rising.county")


def _rising_rows(result: rising.RisingResult) -> list[dict]:
    codes = dict(zip(data_access.categories()["id"], data_access.categories()["code"], strict=True))
    rows = []
    for rank, row in enumerate(result.rising.iter_rows(named=True), start=1):
        since = add_months(result.month, 1 - row["rising_months"])
        rows.append({**row, "rank": rank, "category_shown": category_name(codes.get(row["category_id"]),
                                                                          row["category"]),
                     "area": _area(row), "since": since})
    return rows


def _rising_table(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame({
        t("trends.rising.col.rank"): [r["rank"] for r in rows],
        # st.table renders each cell as Markdown: names from data are escaped.
        t("trends.rising.col.category"): [markdown_text(r["category_shown"]) for r in rows],
        t("trends.rising.col.area"): [markdown_text(r["area"]) for r in rows],
        t("trends.rising.col.received"): [format_count(r["received"]) for r in rows],
        t("trends.rising.col.expected"): [f"{r['expected']:.1f}" for r in rows],
        t("trends.rising.col.band"): [f"{r['lower']:.0f}–{r['upper']:.0f}" for r in rows],
        t("trends.rising.col.months"): [r["rising_months"] for r in rows],
        t("trends.rising.col.since"): [_month_text(r["since"]) for r in rows],
        t("trends.rising.col.strength"): [f"{r['strength']:.1f}" for r in rows],
    }, schema_overrides={t("trends.rising.col.rank"): pl.Int64, t("trends.rising.col.months"): pl.Int64})


def _evidence(result: rising.RisingResult, row: dict, flt: CaseFilter, projection: bool) -> None:
    title = t("trends.rising.evidence", category=row["category_shown"], area=row["area"])
    st.markdown(f"**{markdown_text(title)}**")
    st.caption(t("trends.rising.evidence.caption", received=format_count(row["received"]),
                 expected=f"{row['expected']:.1f}", lower=f"{row['lower']:.0f}", upper=f"{row['upper']:.0f}",
                 since=_month_text(row["since"]), months=row["rising_months"]))
    evidence = result.evidence.filter(pl.col("series_id") == row["series_id"])
    lang = current_language()
    _chart(charts.rising_evidence_figure(evidence, lang=lang, projection=projection),
           f"trends.rising.evidence.{row['series_id']}", projection)
    series = row["series_id"].replace("/", "-")
    downloads_ui.chart_downloads(
        f"rising.{row['series_id']}", file_stem=f"trends-rising-{series}-{format_month_short(result.month)}",
        describe=_describe(flt),
        frame=evidence.select("month", "received", "expected", "lower", "upper"),
        headers={"month": t("trends.col.month"), "received": t("trends.col.received"),
                 "expected": t("trends.col.expected"), "lower": t("trends.col.lower"),
                 "upper": t("trends.col.upper")},
        figure=lambda: charts.rising_evidence_figure(evidence, lang=lang,
                                                     title=f"{title} · {_month_text(result.month)}"),
    )


def rising_section(flt: CaseFilter, projection: bool) -> None:
    st.subheader(t("trends.rising.title"))
    with st.spinner(t("trends.rising.loading")):
        result = data_access.rising_issues(flt)
    month = _month_text(result.month)
    rule = rising.rule_text(result.method, current_language())
    if result.method == "none":
        st.info(t("trends.rising.no_history", months=result.history_months), icon=":material/hourglass_empty:")
        st.caption(rule)
        return
    if result.method == "simple":
        st.warning(t("trends.rising.short_history", months=result.history_months,
                     needed=rising.SEASONAL_MIN_HISTORY), icon=":material/history:")
    rows = _rising_rows(result)
    if not rows:
        st.success(t("trends.rising.none", month=month, tested=result.issues.height), icon=":material/check_circle:")
    else:
        st.markdown(t("trends.rising.found", month=month, n=len(rows), tested=result.issues.height))
        st.table(_rising_table(rows), hide_index=True)
        st.caption(t("trends.rising.strength.help"))
    st.caption(f"**{t('trends.rising.rule')}** {rule}")
    shown = rows[:MAX_EVIDENCE]
    per_row = 1 if projection or len(shown) == 1 else 2
    for start in range(0, len(shown), per_row):
        for column, row in zip(st.columns(per_row), shown[start:start + per_row], strict=False):
            with column:
                _evidence(result, row, flt, projection)
    if len(rows) > len(shown):
        st.caption(t("trends.rising.more", n=len(rows) - len(shown)))


# --- hot words -----------------------------------------------------------------------------------


def _may_list_cases(projection: bool) -> bool:
    user = gate.signed_in_user()
    return user is not None and not projection and access.can(user.role, "view_case_list")


def _word_cases(flt: CaseFilter, words: list[str]) -> None:
    st.session_state["w.trends.word"] = st.session_state[WORD_KEY] if st.session_state[WORD_KEY] in words else None
    st.selectbox(t("trends.hot.word"), words, placeholder=t("trends.hot.word.placeholder"), key="w.trends.word",
                 on_change=_copy_word)
    word = st.session_state[WORD_KEY] if st.session_state[WORD_KEY] in words else None
    if word is None:
        return
    cases = data_access.hot_word_cases(flt, word)
    st.caption(t("trends.hot.cases", word=markdown_text(word), n=cases.height))
    if cases.height >= hot_words.CASE_LIST_LIMIT:
        st.caption(t("trends.hot.cases.limit", n=hot_words.CASE_LIST_LIMIT))
    # Case number and date only: no petitioner, no summary (which may name people).
    st.dataframe(
        cases.select(pl.col("case_number").alias(t("trends.hot.col.case_number")),
                     pl.col("received_on").cast(pl.Date).dt.to_string("%Y-%m-%d").alias(t("trends.hot.col.received_on"))),
        hide_index=True, width="stretch", height=min(36 * (cases.height + 1) + 4, 400),
    )


def _copy_word() -> None:
    st.session_state[WORD_KEY] = st.session_state["w.trends.word"]


def _on_word_click() -> None:
    # A click on a word's bar opens its cases, as choosing it in the list does.
    points = st.session_state[HOT_CHART_KEY].get("selection", {}).get("points", [])
    if points and isinstance(points[0].get("y"), str):
        st.session_state[WORD_KEY] = points[0]["y"]


def hot_words_section(flt: CaseFilter, projection: bool) -> None:
    st.subheader(t("trends.hot.title"))
    month = flt.end.replace(day=1)
    with st.spinner(t("trends.hot.loading", months=hot_words.PREVIOUS_MONTHS)):
        words = data_access.hot_word_list(flt)
    st.caption(t("trends.hot.rule", min_count=hot_words.MIN_COUNT, months=hot_words.PREVIOUS_MONTHS))
    if words.is_empty():
        st.info(t("trends.hot.none", month=_month_text(month)))
        return
    lang = current_language()
    listed = _may_list_cases(projection)
    chart_column, cases_column = st.columns([3, 2]) if listed else (st.container(), None)
    with chart_column:
        st.plotly_chart(charts.hot_words_figure(words, lang=lang, projection=projection),
                        theme=theme.plotly_theme(projection), config=_config(projection),
                        key=HOT_CHART_KEY, on_select=_on_word_click if listed else "ignore", selection_mode="points")
        downloads_ui.chart_downloads(
            "hot_words", file_stem=f"trends-hot-words-{format_month_short(month)}", describe=_describe(flt),
            frame=words, headers={"word": t("trends.col.word"), "count": t("trends.col.count"),
                                  "previous": t("trends.col.previous"), "rise": t("trends.col.rise")},
            figure=lambda: charts.hot_words_figure(words, lang=lang,
                                                   title=f"{t('trends.hot.title')} · {_month_text(month)}"),
        )
    if cases_column is not None:
        with cases_column:
            _word_cases(flt, words["word"].to_list())


# --- the page ------------------------------------------------------------------------------------

RENDER = {"received": received_section, "rates": rates_section, "rising": rising_section,
          "hot_words": hot_words_section}


def render() -> None:
    flt = filters_ui.active_filter()
    if flt is None:
        st.info(t("app.no_data"))
        return
    _init_state()
    projection = filters_ui.projection_mode()
    latest = flt.end.replace(day=1)
    st.title(f"{t('trends.heading')} · {_month_text(latest)}")
    st.caption(t("trends.latest", month=_month_text(latest)))
    labels = {t(f"trends.section.{s}"): s for s in SECTIONS}
    lang = current_language()
    # The widget's value is its label: one widget per language, opened on the canonical section.
    widget_key = f"w.{SECTION_KEY}.{lang}"
    current = st.session_state[SECTION_KEY] if st.session_state[SECTION_KEY] in SECTIONS else SECTIONS[0]
    tabs = st.tabs(list(labels), default=t(f"trends.section.{current}"), key=widget_key, on_change=_on_section,
                   args=(widget_key, labels))
    for section, tab in zip(SECTIONS, tabs, strict=True):
        if tab.open:  # only the open tab is computed
            with tab:
                RENDER[section](flt, projection)


render()
