"""The review as a briefing (研判简报): slides for the wall screen, one message each, in large type.

Built from the same :class:`queries.review.Review` as the page and the Word
report, with the same formatting, so what is projected is what is printed.
Nothing personal: counts, rates, and the names of places, categories, units
and county leaders. Nothing here imports Streamlit (the page draws the
slides; tests read them directly).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.charts.review import issue_label
from dashboard.review_docs import dispatch_state_text, review_title, scope_name
from queries.review import Review, dispatch_counts
from text.formatting import format_change, format_count, format_rate
from text.i18n import translate

SLIDE_POINTS = 4  # at most this many supporting lines: more is not read from the back of a room


@dataclass(frozen=True)
class Slide:
    """One slide: what it is about, its one message (large), a few supporting lines."""

    key: str
    title: str
    message: str
    points: tuple[str, ...] = ()


def _changes(review: Review, key: str, kind: str, lang: str) -> tuple[str, ...]:
    rows = {row["period"]: row for row in review.change.iter_rows(named=True)}
    value = review.report[key]
    return (
        f"{translate('change.mom', lang)} {format_change(value, rows['previous'][key], kind=kind, lang=lang)}",
        f"{translate('change.yoy', lang)} {format_change(value, rows['year_earlier'][key], kind=kind, lang=lang)}",
    )


def _metric_slide(review: Review, key: str, kind: str, lang: str) -> Slide:
    value = review.report[key]
    shown = format_rate(value) if kind == "rate" else translate("review.slide.count", lang, n=format_count(value))
    return Slide(key, translate(f"metric.{key}.label", lang), shown, _changes(review, key, kind, lang))


def _issue_line(row: dict, value: int, lang: str, *, signed: bool = False) -> str:
    n = f"+{format_count(value)}" if signed else format_count(value)
    return translate("review.slide.issue_line", lang, issue=issue_label(row, lang), n=n)


def briefing_slides(review: Review, lang: str = "zh") -> list[Slide]:
    """The slides, in the order of the review."""
    r = review.report
    slides = [Slide(
        "title", translate("review.slide.title", lang), review_title(review, lang),
        (translate("review.slide.scope", lang, scope=scope_name(review, lang)), translate("review.doc.office", lang)),
    )]
    slides.append(_metric_slide(review, "received", "count", lang))
    slides.append(_metric_slide(review, "first_time_resolution_rate", "rate", lang))
    slides.append(_metric_slide(review, "on_time_rate", "rate", lang))
    slides.append(Slide(
        "states", translate("review.slide.states", lang),
        translate("review.slide.states_message", lang, overdue=format_count(r["overdue_open"]),
                  backlog=format_count(r["backlog"])),
        (*(f"{translate('metric.overdue_open.label', lang)} {x}" for x in _changes(review, "overdue_open", "count", lang)[:1]),
         *(f"{translate('metric.backlog.label', lang)} {x}" for x in _changes(review, "backlog", "count", lang)[:1])),
    ))
    top = list(review.top_by_volume(SLIDE_POINTS + 1).iter_rows(named=True))
    if top:
        slides.append(Slide("top_volume", translate("review.section.top_volume", lang),
                            _issue_line(top[0], top[0]["received"], lang),
                            tuple(_issue_line(row, row["received"], lang) for row in top[1:])))
    rise = list(review.top_by_rise(SLIDE_POINTS + 1).iter_rows(named=True))
    if rise:
        slides.append(Slide("top_rise", translate("review.section.top_rise", lang),
                            _issue_line(rise[0], rise[0]["change_mom"], lang, signed=True),
                            tuple(_issue_line(row, row["change_mom"], lang, signed=True) for row in rise[1:])))
    if review.rising.height:
        names = [f"{row['park'] or row['township'] or translate('review.scope.county', lang)} · {row['category']}"
                 for row in review.rising.head(SLIDE_POINTS).iter_rows(named=True)]
        slides.append(Slide("rising", translate("review.section.rising", lang),
                            translate("review.slide.rising", lang, n=review.rising.height), tuple(names)))
    else:
        slides.append(Slide("rising", translate("review.section.rising", lang), translate("review.empty.rising", lang)))
    if review.hot_spots.height:
        slides.append(Slide("hot_spots", translate("review.section.hot_spots", lang),
                            translate("review.slide.hot_spots", lang, n=review.hot_spots.height),
                            tuple(review.hot_spots["name"].head(SLIDE_POINTS).to_list())))
    units = list(review.by_unit.filter(review.by_unit["overdue_open"] > 0).head(SLIDE_POINTS + 1).iter_rows(named=True))
    if units:
        def unit_line(row: dict) -> str:
            return translate("review.slide.unit_line", lang, unit=row["name"] or translate("review.none_named", lang),
                             n=format_count(row["overdue_open"]))

        slides.append(Slide("by_unit", translate("review.slide.by_unit", lang), unit_line(units[0]),
                            tuple(unit_line(row) for row in units[1:])))
    rec = review.receptions
    if rec.height:
        slides.append(Slide(
            "receptions", translate("review.section.receptions", lang),
            translate("review.slide.receptions", lang, sessions=format_count(int(rec["sessions_held"].sum())),
                      petitioners=format_count(int(rec["petitioners_received"].sum()))),
            (translate("review.slide.receptions_cases", lang, taken=format_count(int(rec["taken_cases"].sum())),
                       concluded=format_count(int(rec["taken_concluded"].sum())),
                       open=format_count(int(rec["taken_open"].sum()))),),
        ))
    counts = dispatch_counts(review.dispatch_previous)
    if counts["total"]:
        late = [f"{row['unit']}：{dispatch_state_text(row, lang)}"
                for row in review.dispatch_previous.filter(review.dispatch_previous["state"] != "done")
                .head(SLIDE_POINTS - 1).iter_rows(named=True)]
        slides.append(Slide("dispatch_previous", translate("review.section.dispatch_previous", lang),
                            translate("review.slide.dispatch_previous", lang, **counts),
                            (translate("review.slide.dispatch_rest", lang, **counts), *late)))
    current = review.dispatch_current
    if current.height:
        per_unit = current.group_by("unit").len().sort(["len", "unit"], descending=[True, False])
        slides.append(Slide(
            "dispatch_current", translate("review.section.dispatch_current", lang),
            translate("review.slide.dispatch_current", lang, total=current.height,
                      carried=int(current["carried"].sum())),
            tuple(translate("review.slide.unit_items", lang, unit=u or translate("review.none_named", lang), n=n)
                  for u, n in per_unit.head(SLIDE_POINTS).iter_rows()),
        ))
    return slides
