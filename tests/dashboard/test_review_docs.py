"""The review's Word report, workbook, dispatch slip and briefing, opened and read against the engine.

The county is tests/review_county.py (October 2026, read on 10 November); every figure in the headline
table is checked against queries.report.month_report, the figures of ``report --month``.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import fastexcel
import pytest
from docx import Document
from PIL import Image
from review_county import OCTOBER, PETITIONER_NAME, TODAY, build_review_county

from dashboard import review_docs
from dashboard.briefing import briefing_slides
from dashboard.charts import review as review_charts
from data.db import bump_data_version
from queries import summary
from queries.filters import Scope
from queries.metrics import RATE_PARTS
from queries.report import REPORT_SCALARS, month_report
from queries.review import build_review
from text.formatting import format_count, format_rate
from text.i18n import translate


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "steelblue").save(buffer, format="PNG")
    return buffer.getvalue()


CHARTS = {name: _png() for name in ("trend", "top_issues", "overdue_by_unit")}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from data.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('review') / 'county.sqlite'}")
    migrate(engine)
    build_review_county(engine)
    with engine.begin() as conn:
        bump_data_version(conn)
        summary.refresh_summary(conn)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def office(engine):
    return build_review(engine, OCTOBER, None, TODAY)


@pytest.fixture(scope="module")
def township(engine):
    from dataclasses import replace

    return build_review(engine, replace(OCTOBER, scope=Scope(township_id=1, see_accusations=False)), None, TODAY)


def _docx(review, **kwargs):
    data = review_docs.review_docx(review, made_on=TODAY, charts=CHARTS, **kwargs)
    return data, Document(io.BytesIO(data))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _expected(report: dict, key: str) -> str:
    return format_rate(report[key]) if key in RATE_PARTS else format_count(report[key])


def test_the_word_report_has_its_title_sections_and_the_report_figures(engine, office):
    _, doc = _docx(office)
    assert doc.paragraphs[0].text == "2026年10月信访形势研判"
    assert doc.paragraphs[1].text.startswith("统计期间：2026年10月1日至2026年10月31日")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["一、总体情况", "二、主要指标", "三、突出问题", "四、异常上升问题和热点地区", "五、超期未结和积案",
                        "六、县领导接访", "七、上次交办事项办理情况", "八、本次交办事项（交办单）"]
    report = month_report(engine, OCTOBER)
    headline = doc.tables[0]
    assert [c.text for c in headline.rows[0].cells] == ["指标", "本月", "环比", "同比"]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in headline.rows[1:]}
    assert len(rows) == len(REPORT_SCALARS)

    for key in REPORT_SCALARS:
        assert rows[translate(f"metric.{key}.label", "zh")][0] == _expected(report, key), key
    # By hand: 8 cases in October against 6 in September and 2 a year earlier.
    assert rows["信访总量"] == ["8", "+2", "+6"]
    assert len(doc.inline_shapes) == 3  # the three charts
    assert [p.text for p in doc.paragraphs[-4:-2]] == ["县信访工作联席会议办公室", "2026年11月10日"]  # signature block


def test_the_charts_placed_after_the_document_is_built_and_a_missing_one_left_out(office):
    # The command builds the document while Chromium draws, then places the pictures: the same document.
    at_once = Document(io.BytesIO(review_docs.review_docx(office, made_on=TODAY, charts=CHARTS)))
    built = review_docs.review_document(office, made_on=TODAY)
    later = Document(io.BytesIO(built.docx(CHARTS)))
    assert [p.text for p in later.paragraphs] == [p.text for p in at_once.paragraphs]
    assert len(later.inline_shapes) == 3
    pictures = [i for i, p in enumerate(later.paragraphs) if p._element.xpath(".//pic:pic")]
    captions = [later.paragraphs[i + 1].text for i in pictures]
    assert captions == [translate("review.chart.trend_caption", "zh"), translate("review.chart.top_issues", "zh"),
                        translate("review.chart.overdue_by_unit", "zh")]
    # A chart that could not be drawn leaves no empty paragraph and no caption behind.
    one = Document(io.BytesIO(review_docs.review_docx(office, made_on=TODAY, charts={"top_issues": CHARTS["trend"]})))
    texts = [p.text for p in one.paragraphs]
    assert len(one.inline_shapes) == 1
    assert translate("review.chart.trend_caption", "zh") not in texts
    assert texts.count(translate("review.chart.top_issues", "zh")) == 1
    none = Document(io.BytesIO(review_docs.review_docx(office, made_on=TODAY)))
    assert len(none.paragraphs) == len(at_once.paragraphs) - 6


def test_the_word_report_tables_say_what_the_review_found(office):
    _, doc = _docx(office)
    text = _all_text(doc)
    assert "2026年10月，全县共受理信访事项8件，环比增加2件，同比增加6件" in text
    top = doc.tables[1]  # 信访量最多的问题
    assert [c.text for c in top.rows[1].cells][:6] == ["1", "甲镇", "劳动社保", "4", "+3", "+2"]
    previous = next(t for t in doc.tables if t.rows[0].cells[-1].text == "办理情况")
    assert [row.cells[-1].text for row in previous.rows[1:]] == ["未办结，已超期41天", "按期办结", "逾期办结（5天）",
                                                                 "未办结，已超期6天"]
    current = next(t for t in doc.tables if t.rows[0].cells[-2].text == "来源")
    assert [row.cells[-2].text for row in current.rows[1:]] == ["结转（2026年9月交办）", "结转（2026年10月交办）",
                                                               "新交办", "新交办"]
    assert "上次交办事项4项，按期办结1项，逾期办结1项，未办结2项。" in text
    assert PETITIONER_NAME not in text and "13812345678" not in text
    assert "演示数据" not in text
    _, demo = _docx(office, is_demo=True)
    assert "演示数据" in _all_text(demo)


def test_a_township_officers_report_is_their_townships(township):
    _, doc = _docx(township)
    assert doc.paragraphs[0].text == "甲镇2026年10月信访形势研判"
    text = _all_text(doc)
    assert "纪检监察" not in text and "乙乡" not in text and "王县长" not in text
    assert "范围：甲镇" in text


def test_the_workbook_holds_every_table_with_the_report_figures(engine, office):
    book = fastexcel.read_excel(review_docs.review_xlsx(office))
    assert book.sheet_names == ["主要指标", "近13个月", "突出问题（按件数）", "突出问题（按上升）", "异常上升", "热点地区",
                                "按责任单位", "按包案领导", "县领导接访", "上次交办办理情况", "本次交办单"]
    headline = book.load_sheet_by_name("主要指标", header_row=2).to_polars()
    assert headline.columns == ["指标", "本月", "环比", "同比", "数值", "分子", "分母"]
    report = month_report(engine, OCTOBER)
    for row, key in zip(headline.iter_rows(named=True), REPORT_SCALARS, strict=True):
        assert row["本月"] == _expected(report, key)
        if report[key] is None:
            assert row["数值"] is None
        else:
            assert row["数值"] == pytest.approx(report[key])
    received = headline.row(0, named=True)
    # Written as numbers with a "+#,##0" format (printed "+2", "+6"); the column also holds "—" text.
    assert (float(received["环比"]), float(received["同比"])) == (2, 6)
    units = book.load_sheet_by_name("按责任单位", header_row=2).to_polars()
    assert units.rows() == [("县人社局", 1, 1, 1), ("县住建局", 1, 1, 0)]
    current = book.load_sheet_by_name("本次交办单", header_row=2).to_polars()
    assert current["交办事项"][0] == "'=1+1 工伤认定积压，请加快办理。"  # a formula-like text stays text


def test_a_units_dispatch_slip(office):
    data = review_docs.dispatch_docx(office, 2, made_on=TODAY)
    doc = Document(io.BytesIO(data))
    text = _all_text(doc)
    assert doc.paragraphs[0].text == "信访事项交办单"
    assert "县住建局：" in text and "现将以下2项事项交你单位办理" in text
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows[1:]]
    assert [r[1] for r in rows] == ["物业服务纠纷多发，请督促整改。", "反映村干部问题，请核查。"]
    assert rows[0][-1] == "结转（2026年10月交办）；未办结，已超期16天"
    assert "签收人" in text and PETITIONER_NAME not in text
    with pytest.raises(ValueError, match="no item"):
        review_docs.dispatch_docx(office, 99, made_on=TODAY)


def test_the_briefing_says_one_thing_a_slide_and_nothing_personal(office, township):
    slides = briefing_slides(office)
    assert [s.key for s in slides] == ["title", "received", "first_time_resolution_rate", "on_time_rate", "states",
                                       "top_volume", "top_rise", "rising", "hot_spots", "by_unit", "receptions",
                                       "dispatch_previous", "dispatch_current"]
    by_key = {s.key: s for s in slides}
    # 甲镇: 7 cases in October against 4 in the 12 months before (Y1, Y2, S1, JUL): a hot spot.
    assert by_key["hot_spots"].points == ("甲镇",)
    assert by_key["title"].message == "2026年10月信访形势研判"
    assert by_key["received"].message == "8 件" and by_key["received"].points == ("环比 +2", "同比 +6")
    assert by_key["top_volume"].message == "甲镇 · 劳动社保　4 件"
    assert by_key["dispatch_previous"].message == "4 项中按期办结 1 项"
    assert all(len(s.points) <= 4 for s in slides)
    words = " ".join(f"{s.title} {s.message} {' '.join(s.points)}" for s in slides)
    assert PETITIONER_NAME not in words
    assert briefing_slides(township)[0].message == "甲镇2026年10月信访形势研判"
    assert "纪检监察" not in " ".join(s.message + " ".join(s.points) for s in briefing_slides(township))


def test_the_report_charts_look_the_same_whether_streamlit_was_imported_or_not(office, monkeypatch):
    # Importing Streamlit makes its placeholder template plotly's default; the command does not import it.
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401 - registers the "streamlit" template

    monkeypatch.setattr(pio.templates, "default", "plotly")
    plain = {name: fig.to_plotly_json() for name, fig in review_charts.report_figures(office).items()}
    monkeypatch.setattr(pio.templates, "default", "streamlit")
    under_streamlit = {name: fig.to_plotly_json() for name, fig in review_charts.report_figures(office).items()}
    assert plain == under_streamlit
    assert plain["trend"]["layout"]["template"] == pio.templates["none"].to_plotly_json()


@pytest.mark.browser
def test_the_charts_render_offline_with_chinese_text(office, tmp_path):
    figures = review_charts.report_figures(office)
    assert figures["top_issues"].data[0].y[0] == "甲镇 · 劳动社保"
    assert figures["trend"].layout.yaxis.title.text == "信访量（件）"
    pngs = review_docs.report_charts(office)
    assert list(pngs) == ["trend", "top_issues", "overdue_by_unit"]
    for png in pngs.values():
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size[0] == 2200
        assert len(image.getcolors(1_000_000)) > 20  # not blank: axes, bars and glyphs


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils (scripts/system-packages.sh) are not installed")
def test_libreoffice_opens_the_report(office, tmp_path):
    data, _ = _docx(office)
    source = tmp_path / "review-2026-10.docx"
    source.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "review-2026-10.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    text = "".join(text.split())  # pdftotext spaces Chinese from digits: "2026 年 10 月"
    assert "2026年10月信访形势研判" in text and "信访事项8件" in text
    assert "县信访工作联席会议办公室2026年11月10日" in text  # the signature block, on the last page
