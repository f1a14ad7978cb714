"""The monthly review as documents: the Word report (.docx), its workbook (.xlsx), and a unit's 交办单 (.docx).

Built from a :class:`queries.review.Review` (what the page shows), with every
number formatted by text/formatting.py as on the page, so the report, the
workbook, the page and ``python -m dashboard report --month`` agree. Word
files are written with python-docx (no template file: the tables take as many
rows as the month has); the workbook with xlsxwriter, every text cell written
as text and a text that begins like a formula neutralised. Charts are Plotly
figures (dashboard/charts/review.py) rendered to PNG in one Kaleido session.

No personal data: a review holds counts, the names of townships, units,
categories and county leaders, and the dispatch items' own text. Nothing here
imports Streamlit: the page and the command line both call it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dashboard.charts.export import PngSession, figures_png, neutralised
from dashboard.charts.review import issue_label, report_figures
from queries import hotspots
from queries import review as review_queries
from queries.metrics import RATE_PARTS
from queries.report import REPORT_SCALARS
from queries.review import RISING_PENDING, Review, dispatch_counts
from text.formatting import count_change, format_change, format_count, format_month, format_rate, rate_change
from text.i18n import DASH, translate

# The headline table: the figures of ``report --month``, in its order, each a count or a rate.
HEADLINE = tuple((key, "rate" if key in RATE_PARTS else "count") for key in REPORT_SCALARS)
BODY_FONT = "宋体"  # SimSun: on every office PC in China; LibreOffice substitutes a CJK serif
HEADING_FONT = "黑体"  # SimHei, the usual face of a 公文's headings
TOP_ROWS = 10
# Figures right-aligned in a table cell: counts, rates and signed changes as text_formatting writes them.
NUMBER_LIKE = re.compile(r"^([+-]?[\d,.]+(%| 个百分点| pp)?|—)$")
# Chart image width on an A4 page with 2.5 cm margins.
IMAGE_WIDTH_CM = 16


def review_title(review: Review, lang: str = "zh") -> str:
    """"2026年11月信访形势研判" (county), "东岭镇2026年11月信访形势研判" (a township officer's)."""
    month = format_month(review.month, lang)
    if review.township:
        return translate("review.title.township", lang, township=review.township, month=month)
    return translate("review.title.county", lang, month=month)


def file_stem(review: Review) -> str:
    return f"review-{review.month:%Y-%m}"


# --- values as the page writes them ----------------------------------------------------------------


def _rows_by_period(review: Review) -> dict[str, dict]:
    return {row["period"]: row for row in review.change.iter_rows(named=True)}


def headline_rows(review: Review, lang: str = "zh") -> list[dict]:
    """One row per figure of the report: label, this month, 环比, 同比 (as displayed) and the raw parts."""
    periods = _rows_by_period(review)
    out = []
    for key, kind in HEADLINE:
        value = review.report[key]
        shown = format_rate(value) if kind == "rate" else format_count(value)
        numerator, denominator = RATE_PARTS.get(key, (None, None))
        out.append({
            "key": key,
            "label": translate(f"metric.{key}.label", lang),
            "value": value,
            "shown": shown,
            "mom": _change(value, periods["previous"][key], kind, lang),
            "yoy": _change(value, periods["year_earlier"][key], kind, lang),
            "numerator": periods["current"][numerator] if numerator else None,
            "denominator": periods["current"][denominator] if denominator else None,
        })
    return out


# Excel formats that print a change the way text/formatting.py writes it ("+12", "-0.4 个百分点").
COUNT_CHANGE_FORMAT = "+#,##0;-#,##0;0"
RATE_CHANGE_FORMAT = {"zh": '+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"', "en": '+0.0" pp";-0.0" pp";0.0" pp"'}


@dataclass(frozen=True)
class Shown:
    """A figure as the page writes it, with the number behind it for the workbook (None: text only)."""

    text: str
    number: int | float | None = None
    num_format: str | None = None

    def __str__(self) -> str:
        return self.text


def _signed(n: int | None) -> Shown:
    if n is None:
        return Shown(DASH)
    return Shown(f"+{n:,}" if n > 0 else f"{n:,}", int(n), COUNT_CHANGE_FORMAT)


def _change(current, previous, kind: str, lang: str) -> Shown:
    text = format_change(current, previous, kind=kind, lang=lang)
    if kind == "rate":
        diff = rate_change(current, previous)
        return Shown(text, None if diff is None else float(diff), RATE_CHANGE_FORMAT[lang])
    diff = count_change(current, previous)
    return Shown(text, diff, COUNT_CHANGE_FORMAT)


def _count_words(current: int, previous: int, lang: str) -> str:
    """"增加120件" / "减少35件" / "持平"."""
    diff = int(current) - int(previous)
    if diff > 0:
        return translate("review.words.up", lang, n=format_count(diff))
    if diff < 0:
        return translate("review.words.down", lang, n=format_count(-diff))
    return translate("review.words.same", lang)


def scope_name(review: Review, lang: str) -> str:
    return review.township or translate("review.scope.county", lang)


def summary_paragraph(review: Review, lang: str = "zh") -> str:
    """The review in plain words, from its figures alone (the report's first section and the page's summary)."""
    r = review.report
    periods = _rows_by_period(review)
    previous, earlier = periods["previous"], periods["year_earlier"]
    parts = [translate(
        "review.summary.received", lang, month=format_month(review.month, lang), scope=scope_name(review, lang),
        received=format_count(r["received"]), mom=_count_words(r["received"], previous["received"], lang),
        yoy=_count_words(r["received"], earlier["received"], lang), first_time=format_count(r["first_time"]),
        group_visits=format_count(r["group_visits"]),
    )]
    parts.append(translate(
        "review.summary.outcomes", lang, concluded=format_count(r["concluded"]),
        resolution=format_rate(r["resolution_rate"]), first_time=format_rate(r["first_time_resolution_rate"]),
        on_time=format_rate(r["on_time_rate"]), satisfaction=format_rate(r["satisfaction_rate_office"]),
    ))
    parts.append(translate(
        "review.summary.states", lang, overdue=format_count(r["overdue_open"]), backlog=format_count(r["backlog"]),
        change=_count_words(r["backlog"], previous["backlog"], lang),
    ))
    top = review.top_by_volume(1)
    if top.height:
        row = top.row(0, named=True)
        parts.append(translate("review.summary.top", lang, issue=issue_label(row, lang), n=format_count(row["received"])))
    rise = review.top_by_rise(1)
    if rise.height:
        row = rise.row(0, named=True)
        parts.append(translate("review.summary.rise", lang, issue=issue_label(row, lang),
                               n=format_count(row["change_mom"])))
    if review.rising.height:
        names = [_rising_label(row, lang) for row in review.rising.head(3).iter_rows(named=True)]
        parts.append(translate("review.summary.rising", lang, n=review.rising.height, names="、".join(names)))
    elif review.rising_method != RISING_PENDING:  # (on the page, until they are computed: nothing said)
        parts.append(translate("review.summary.no_rising", lang))
    if review.hot_spots.height:
        parts.append(translate("review.summary.hot_spots", lang, names="、".join(review.hot_spots["name"].to_list())))
    rec = review.receptions
    if rec.height and int(rec["sessions_held"].sum()):
        parts.append(translate(
            "review.summary.receptions", lang, sessions=format_count(int(rec["sessions_held"].sum())),
            petitioners=format_count(int(rec["petitioners_received"].sum())),
            taken=format_count(int(rec["taken_cases"].sum())), concluded=format_count(int(rec["taken_concluded"].sum())),
        ))
    counts = dispatch_counts(review.dispatch_previous)
    if counts["total"]:
        parts.append(translate("review.summary.dispatch", lang, total=counts["total"], done=counts["done"],
                               late=counts["late"], open=counts["open"]))
    current = review.dispatch_current
    if current.height:
        parts.append(translate("review.summary.dispatch_current", lang, total=current.height,
                               carried=int(current["carried"].sum()),
                               units=current["unit_id"].n_unique()))
    return "".join(parts) if lang == "zh" else " ".join(parts)


def _rising_label(row: dict, lang: str) -> str:
    where = row.get("park") or row.get("township") or translate("review.scope.county", lang)
    return f"{where} · {row['category']}"


def dispatch_state_text(row: dict, lang: str = "zh") -> str:
    """"按期办结" / "逾期办结（5天）" / "未办结，已超期12天" / "未办结"."""
    state = row["state"]
    if state == "late":
        return translate("review.dispatch.state.late_days", lang, days=row["days_late"])
    if state == "open" and row["overdue"]:
        return translate("review.dispatch.state.overdue_days", lang, days=row["days_late"])
    return translate(f"review.dispatch.state.{state}", lang)


def dispatch_source_text(row: dict, lang: str = "zh") -> str:
    if row["carried"]:
        return translate("review.dispatch.carried_from", lang, month=format_month(row["month"], lang))
    return translate("review.dispatch.new", lang)


def _date(d: date | None) -> str:
    return d.isoformat() if d else DASH


# --- the tables, once: the Word report and the workbook read the same rows -------------------------


@dataclass(frozen=True)
class Table:
    """A titled table: header texts and rows of cell values (str, int or None)."""

    key: str  # the workbook's sheet and the report's section
    title: str
    headers: list[str]
    rows: list[list]
    widths: tuple[float, ...] = ()  # column widths on the printed page (cm, 16 in all: A4 less margins)


def _h(lang: str, *keys: str) -> list[str]:
    return [translate(f"review.col.{k}", lang) for k in keys]


def headline_table(review: Review, lang: str) -> Table:
    rows = [[r["label"], r["shown"], r["mom"], r["yoy"]] for r in headline_rows(review, lang)]
    return Table("headline", translate("review.section.headline", lang), _h(lang, "metric", "value", "mom", "yoy"), rows,
                 (6, 3.5, 3.3, 3.2))


def top_issue_table(review: Review, lang: str, which: str, n: int | None = TOP_ROWS) -> Table:
    frame = review.top_by_volume(n or 10**6) if which == "volume" else review.top_by_rise(n or 10**6)
    rows = [
        [i, r["township"], r["category"], r["received"], _signed(r["change_mom"]), _signed(r["change_yoy"]),
         r["concluded"], r["resolved"], r["open"], r["overdue_open"]]
        for i, r in enumerate(frame.iter_rows(named=True), start=1)
    ]
    return Table(f"top_{which}", translate(f"review.section.top_{which}", lang),
                 _h(lang, "rank", "township", "category", "received", "mom", "yoy", "concluded", "resolved", "open",
                    "overdue_open"), rows, (1, 2.2, 2.2, 1.5, 1.4, 1.4, 1.7, 1.5, 1.5, 1.6))


def rising_table(review: Review, lang: str) -> Table:
    rows = [
        [i, r["park"] or r["township"] or translate("review.scope.county", lang), r["category"], r["received"],
         f"{r['expected']:.1f}", r["rising_months"]]
        for i, r in enumerate(review.rising.iter_rows(named=True), start=1)
    ]
    return Table("rising", translate("review.section.rising", lang),
                 _h(lang, "rank", "place", "category", "received", "expected", "rising_months"), rows,
                 (1, 4, 3, 2.5, 2.5, 3))


def hot_spot_table(review: Review, lang: str) -> Table:
    rows = [
        [i, r["name"], translate(f"map.level.{r['level']}", lang), r["observed"],
         DASH if r["expected"] is None else f"{r['expected']:.1f}"]
        for i, r in enumerate(review.hot_spots.iter_rows(named=True), start=1)
    ]
    return Table("hot_spots", translate("review.section.hot_spots", lang),
                 _h(lang, "rank", "place", "level", "received", "expected"), rows,
                 (1, 5, 3, 3.5, 3.5))


def states_table(review: Review, lang: str, by: str) -> Table:
    frame = review.by_unit if by == "unit" else review.by_leader
    rows = [
        [r["name"] or translate("review.none_named", lang), r["overdue_open"], r["backlog"],
         _signed(r["backlog_change"])]
        for r in frame.iter_rows(named=True)
    ]
    return Table(f"by_{by}", translate(f"review.section.by_{by}", lang),
                 _h(lang, by, "overdue_open", "backlog", "backlog_change"), rows, (7, 3, 3, 3))


def receptions_table(review: Review, lang: str) -> Table:
    rows = [
        [r["leader"], r["title"], r["sessions_planned"], r["sessions_held"], r["petitioners_received"],
         r["taken_cases"], r["taken_concluded"], r["taken_open"], r["owned_backlog"]]
        for r in review.receptions.iter_rows(named=True)
    ]
    return Table("receptions", translate("review.section.receptions", lang),
                 _h(lang, "leader", "title", "sessions_planned", "sessions_held", "petitioners", "taken_cases",
                    "taken_concluded", "taken_open", "owned_backlog"), rows,
                 (1.8, 3, 1.5, 1.5, 2, 1.6, 1.6, 1.5, 1.5))


def dispatch_table(review: Review, lang: str, which: str) -> Table:
    frame = review.dispatch_previous if which == "previous" else review.dispatch_current
    if which == "previous":
        rows = [[i, r["issue"], r["unit"], _date(r["due_on"]), _date(r["closed_on"]), dispatch_state_text(r, lang)]
                for i, r in enumerate(frame.iter_rows(named=True), start=1)]
        headers = _h(lang, "rank", "issue", "unit", "due_on", "closed_on", "state")
        widths = (0.9, 5.9, 2.6, 2.2, 2.2, 2.2)
    else:
        rows = [[i, r["issue"], r["unit"], _date(r["due_on"]), dispatch_source_text(r, lang), r["note"] or ""]
                for i, r in enumerate(frame.iter_rows(named=True), start=1)]
        headers = _h(lang, "rank", "issue", "unit", "due_on", "source", "note")
        widths = (0.9, 6.2, 2.6, 2.2, 2.5, 1.6)
    return Table(f"dispatch_{which}", translate(f"review.section.dispatch_{which}", lang), headers, rows, widths)


def trend_table(review: Review, lang: str) -> Table:
    rows = [[f"{r['month']:%Y-%m}", r["received"], format_rate(r["first_time_resolution_rate"]),
             format_rate(r["on_time_rate"]), r["overdue_open"], r["backlog"]]
            for r in review.trend.iter_rows(named=True)]
    return Table("trend", translate("review.section.trend", lang),
                 _h(lang, "month", "received", "first_time_resolution_rate", "on_time_rate", "overdue_open",
                    "backlog"), rows, (2.5, 2.5, 3, 3, 2.5, 2.5))


# --- the Word report ----------------------------------------------------------------------------------


def _font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _paragraph(doc, text: str, *, size: float = 12, bold: bool = False, font: str = BODY_FONT,
               align=None, indent: bool = False, colour: RGBColor | None = None, space_after: float = 4):
    p = doc.add_paragraph()
    run = p.add_run(text)
    _font(run, font, size, bold)
    if colour is not None:
        run.font.color.rgb = colour
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    p.paragraph_format.space_after = Pt(space_after)
    return p


def _heading(doc, text: str, level: int = 1):
    # Real Word headings (the navigation pane and a table of contents find them), in the 公文 faces.
    h = doc.add_heading(level=level)
    run = h.add_run(text)
    _font(run, HEADING_FONT, 15 if level == 1 else 13, True)
    run.font.color.rgb = RGBColor(0, 0, 0)
    return h


def _table(doc, table: Table, *, size: float = 10.5):
    t = doc.add_table(rows=1, cols=len(table.headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # the widths below, not the longest word, decide the columns
    for cell, text in zip(t.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, size, True)
    for row in table.rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            text = DASH if value is None else (format_count(value) if isinstance(value, int) else str(value))
            # (a Shown prints its text; the workbook writes its number)
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            _font(run, BODY_FONT, size)
            if isinstance(value, int) or NUMBER_LIKE.match(text):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Header row repeats on every page a long table runs over.
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    header = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(header)
    # Word reads each cell's width, LibreOffice the table grid's: set both.
    for column, width in zip(t.columns, table.widths, strict=False):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return t


def _image(doc, slots: dict, name: str, caption: str) -> None:
    """Room for the chart ``name`` and its caption; the picture is placed later (:meth:`ReviewDocument.docx`)."""
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True  # the caption stays under its picture
    slots[name] = (picture, _paragraph(doc, caption, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER))


def _note(doc, text: str) -> None:
    _paragraph(doc, text, size=9, colour=RGBColor(0x55, 0x55, 0x55))


def _new_document():
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.font.size = Pt(12)
    return doc


def _signature(doc, made_on: date, lang: str) -> None:
    doc.add_paragraph()
    _paragraph(doc, translate("review.doc.office", lang), size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _long_date(made_on, lang), size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.add_paragraph()
    _paragraph(doc, translate("review.doc.signature", lang), size=12)


def _long_date(d: date, lang: str) -> str:
    return translate("review.doc.date", lang, year=d.year, month=d.month, day=d.day)


@dataclass
class ReviewDocument:
    """The Word report built but for its charts, which :meth:`docx` places: the pictures can be drawn meanwhile."""

    doc: object  # a python-docx Document
    slots: dict  # chart name -> (its empty paragraph, its caption's paragraph)

    def docx(self, charts: dict[str, bytes] | None = None) -> bytes:
        """The document's bytes with ``charts`` (PNG by name) in place; a chart not given is left out, caption too."""
        for name, (picture, caption) in self.slots.items():
            png = (charts or {}).get(name)
            if png is None:
                for paragraph in (picture, caption):
                    paragraph._element.getparent().remove(paragraph._element)
            else:
                picture.add_run().add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))
        self.slots = {}  # placed once
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def review_docx(review: Review, *, made_on: date, charts: dict[str, bytes] | None = None, is_demo: bool = False,
                lang: str = "zh") -> bytes:
    """The review as a Word document: title, period, summary, tables, charts, dispatch lists, signature block."""
    return review_document(review, made_on=made_on, is_demo=is_demo, lang=lang).docx(charts)


def review_document(review: Review, *, made_on: date, is_demo: bool = False, lang: str = "zh") -> ReviewDocument:
    """:func:`review_docx` without its charts yet: a :class:`ReviewDocument`."""
    slots: dict = {}
    doc = _new_document()
    doc.core_properties.title = review_title(review, lang)
    doc.core_properties.author = translate("review.doc.office", lang)  # never a person's name
    _paragraph(doc, review_title(review, lang), size=22, bold=True, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
               space_after=10)
    _paragraph(doc, translate("review.doc.period", lang, start=_long_date(review.flt.start, lang),
                              end=_long_date(review.flt.end, lang), scope=scope_name(review, lang)),
               size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    if is_demo:
        _paragraph(doc, translate("app.demo_banner", lang), size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER,
                   colour=RGBColor(0xB0, 0x40, 0x00))

    _heading(doc, translate("review.section.summary", lang))
    _paragraph(doc, summary_paragraph(review, lang), indent=True)

    _heading(doc, translate("review.section.headline", lang))
    _table(doc, headline_table(review, lang))
    _note(doc, translate("review.doc.headline_note", lang))
    _image(doc, slots, "trend", translate("review.chart.trend_caption", lang))

    _heading(doc, translate("review.section.issues", lang))
    for which in ("volume", "rise"):
        table = top_issue_table(review, lang, which)
        _heading(doc, table.title, level=2)
        if table.rows:
            _table(doc, table, size=9)
        else:
            _paragraph(doc, translate(f"review.empty.top_{which}", lang))
    _image(doc, slots, "top_issues", translate("review.chart.top_issues", lang))
    _note(doc, translate("review.doc.issue_note", lang))

    _heading(doc, translate("review.section.signals", lang))
    _heading(doc, translate("review.section.rising", lang), level=2)
    if review.rising.height:
        _table(doc, rising_table(review, lang))
    else:
        _paragraph(doc, translate("review.empty.rising", lang))
    _note(doc, review.rising_rule_zh if lang == "zh" else review.rising_rule_en)
    _heading(doc, translate("review.section.hot_spots", lang), level=2)
    if review.hot_spots.height:
        _table(doc, hot_spot_table(review, lang))
    else:
        _paragraph(doc, translate("review.empty.hot_spots", lang))
    _note(doc, hot_spot_rule(lang))

    _heading(doc, translate("review.section.states", lang))
    for by in ("unit", "leader"):
        table = states_table(review, lang, by)
        _heading(doc, table.title, level=2)
        if table.rows:
            _table(doc, table)
        else:
            _paragraph(doc, translate("review.empty.states", lang))
    _image(doc, slots, "overdue_by_unit", translate("review.chart.overdue_by_unit", lang))

    _heading(doc, translate("review.section.receptions", lang))
    if review.receptions.height:
        _table(doc, receptions_table(review, lang), size=9)
    else:
        _paragraph(doc, translate("review.empty.receptions", lang))
    _note(doc, translate("review.doc.receptions_note", lang))

    _heading(doc, translate("review.section.dispatch_previous", lang))
    counts = dispatch_counts(review.dispatch_previous)
    if counts["total"]:
        _paragraph(doc, translate("review.dispatch.counts", lang, **counts), indent=True)
        _table(doc, dispatch_table(review, lang, "previous"), size=9)
    else:
        _paragraph(doc, translate("review.empty.dispatch_previous", lang))

    _heading(doc, translate("review.section.dispatch_current", lang))
    if review.dispatch_current.height:
        _table(doc, dispatch_table(review, lang, "current"), size=9)
    else:
        _paragraph(doc, translate("review.empty.dispatch_current", lang))
    _signature(doc, made_on, lang)
    return ReviewDocument(doc, slots)


def hot_spot_rule(lang: str) -> str:
    return translate("map.hotspots.rule", lang, months=hotspots.HISTORY_MONTHS, alpha=hotspots.ALPHA,
                     excess=hotspots.MIN_EXCESS)


def dispatch_docx(review: Review, unit_id: int, *, made_on: date, lang: str = "zh") -> bytes:
    """One unit's 交办单: the items of this review's list handed to it, ready to print, sign and send."""
    items = review.dispatch_current.filter(review.dispatch_current["unit_id"] == unit_id)
    if items.is_empty():
        raise ValueError(f"no item of this review's list goes to unit {unit_id}")
    unit = items["unit"][0]
    doc = _new_document()
    doc.core_properties.title = translate("review.slip.title", lang)
    doc.core_properties.author = translate("review.doc.office", lang)
    _paragraph(doc, translate("review.slip.title", lang), size=22, bold=True, font=HEADING_FONT,
               align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    _paragraph(doc, translate("review.slip.number", lang, year=review.handed_month.year,
                              month=review.handed_month.month, unit_id=unit_id),
               size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(doc, f"{unit}：", size=14, bold=True)
    _paragraph(doc, translate("review.slip.body", lang, title=review_title(review, lang), n=items.height),
               size=14, indent=True)
    rows = [
        [i, r["issue"], r["township"] or translate("review.scope.county", lang), r["category"] or DASH,
         _date(r["due_on"]),
         "；".join(x for x in (r["note"], dispatch_source_text(r, lang) if r["carried"] else None,
                              dispatch_state_text(r, lang) if r["carried"] and r["overdue"] else None) if x)]
        for i, r in enumerate(items.iter_rows(named=True), start=1)
    ]
    _table(doc, Table("slip", "", _h(lang, "rank", "issue", "township", "category", "due_on", "note"), rows,
                      (1, 5.2, 1.8, 1.8, 2.6, 3.6)), size=10.5)
    _paragraph(doc, translate("review.slip.request", lang), size=12, indent=True)
    _signature(doc, made_on, lang)
    _paragraph(doc, translate("review.slip.receipt", lang), size=12)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the workbook ----------------------------------------------------------------------------------------


def review_tables(review: Review, lang: str = "zh") -> list[Table]:
    """Every table behind the report, in its order (the workbook's sheets)."""
    return [
        headline_table(review, lang),
        trend_table(review, lang),
        top_issue_table(review, lang, "volume", None),
        top_issue_table(review, lang, "rise", None),
        rising_table(review, lang),
        hot_spot_table(review, lang),
        states_table(review, lang, "unit"),
        states_table(review, lang, "leader"),
        receptions_table(review, lang),
        dispatch_table(review, lang, "previous"),
        dispatch_table(review, lang, "current"),
    ]


def review_xlsx(review: Review, *, lang: str = "zh") -> bytes:
    """Every table of the report, one sheet each, with the headline's raw values beside the displayed ones."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1, "text_wrap": True})
    title_format = book.add_format({"bold": True, "font_size": 14})
    counts = book.add_format({"num_format": "#,##0"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    formats: dict[str, object] = {}
    names = {table.key: translate(f"review.sheet.{table.key}", lang) for table in review_tables(review, lang)}
    for table in review_tables(review, lang):
        headers, rows = table.headers, table.rows
        if table.key == "headline":
            # The figure as the page shows it, and the number behind it (a fraction for a rate).
            headers = [*headers, *_h(lang, "raw", "numerator", "denominator")]
            rows = [[*row, r["value"], r["numerator"], r["denominator"]]
                    for row, r in zip(rows, headline_rows(review, lang), strict=True)]
        sheet = book.add_worksheet(names[table.key][:31])
        sheet.write_string(0, 0, neutralised(f"{review_title(review, lang)} · {table.title}"), title_format)
        for j, header in enumerate(headers):
            sheet.write_string(2, j, neutralised(header), bold)
            sheet.set_column(j, j, 40 if header in _h(lang, "issue", "note") else 14)
        for i, row in enumerate(rows, start=3):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, Shown):
                    if value.number is None:
                        sheet.write_string(i, j, neutralised(value.text), wrap)
                    else:
                        sheet.write_number(i, j, value.number, formats.setdefault(
                            value.num_format, book.add_format({"num_format": value.num_format})))
                elif isinstance(value, bool):
                    sheet.write_boolean(i, j, value)
                elif isinstance(value, int):
                    sheet.write_number(i, j, value, counts)
                elif isinstance(value, float):
                    sheet.write_number(i, j, value)
                else:
                    sheet.write_string(i, j, neutralised(str(value)), wrap)
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()


# --- everything at once (the command line, the page's one-click download) ----------------------------------


def report_charts(review: Review, lang: str = "zh", *, session: PngSession | None = None) -> dict[str, bytes]:
    """The report's charts as PNG, all in one Chromium session (``session`` if one is open, else its own)."""
    figures = report_figures(review, lang)
    # Bars and lines only: the basic plotly.js draws them (PngSession; a session of the caller's opened so too).
    pngs = figures_png(list(figures.values()), width=1100, scale=2, session=session, basic=True)
    return dict(zip(figures, pngs, strict=True))


def write_review(engine, flt, rules, out_dir: Path, *, today: date, is_demo: bool = False, lang: str = "zh",
                 charts: Callable[..., dict[str, bytes]] | None = None,
                 session: PngSession | None = None) -> tuple[Path, Path]:
    """Build the review of the filter's month and write ``review-YYYY-MM.docx`` and ``.xlsx`` into ``out_dir``.

    The pictures are the slowest part (Chromium): they are drawn on another
    thread while this one reads the rising issues and the dispatch lists,
    builds the workbook and the Word document but for its pictures, which
    are placed last. ``session`` is a Chromium
    session the caller opened early (:class:`~dashboard.charts.export.PngSession`,
    so that its start-up overlapped the queries too); it is begun closing
    once the pictures are back, while the Word file is built. ``charts``
    renders the pictures (default :func:`report_charts`, looked up when
    called; it gets ``session`` as a keyword). Returns the two paths.
    """
    charts = charts or report_charts
    base = review_queries.review_base(engine, flt, rules)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pictures = pool.submit(charts, base, lang, session=session)
        review = review_queries.with_rising(base, review_queries.rising_part(engine, flt))
        review = review_queries.with_dispatch(review, engine, today)
        workbook = review_xlsx(review, lang=lang)
        document = review_document(review, made_on=today, is_demo=is_demo, lang=lang)
        rendered = pictures.result()
    if session is not None:
        session.close(wait=False)  # Chromium exits while the files are written; the caller's close() waits
    out_dir.mkdir(parents=True, exist_ok=True)
    docx_path = out_dir / f"{file_stem(review)}.docx"
    xlsx_path = out_dir / f"{file_stem(review)}.xlsx"
    docx_path.write_bytes(document.docx(rendered))
    xlsx_path.write_bytes(workbook)
    return docx_path, xlsx_path
