"""``python -m dashboard review --month YYYY-MM --out DIR``: both files written, their paths printed, audited,
and the same figures as ``report --month``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import fastexcel
import pytest
from docx import Document
from review_county import build

from dashboard import review_docs
from dashboard.cli import main
from dashboard.commands import review as review_command
from data import audit
from data.db import make_engine


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('review_cli') / 'county.sqlite'}"
    build(url)
    return url


@pytest.fixture(autouse=True)
def no_browser(monkeypatch):
    # The pictures are tested in tests/dashboard/test_review_docs.py; here a stand-in keeps the command quick.
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="PNG")
    monkeypatch.setattr(review_docs, "report_charts", lambda review, lang="zh", session=None: {
        "trend": buffer.getvalue(), "top_issues": buffer.getvalue(), "overdue_by_unit": buffer.getvalue()})
    monkeypatch.setattr(review_command, "PngSession", FakeSession)


class FakeSession:
    """Stands in for the Chromium session the command opens first; records that it was closed."""

    opened: list[FakeSession] = []

    def __init__(self, *args, **kwargs):
        self.kwargs, self.closed = kwargs, []
        FakeSession.opened.append(self)

    def close(self, *, wait: bool = True) -> None:
        self.closed.append(wait)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def test_writes_both_files_prints_their_paths_and_audits_them(db_url, tmp_path, capsys):
    out = tmp_path / "out"
    FakeSession.opened.clear()
    assert main(["review", "--month", "2026-10", "--out", str(out), "--db", db_url]) == 0
    # One Chromium session, with the basic plotly.js, begun closing once the pictures were back, then waited for.
    [session] = FakeSession.opened
    assert session.kwargs == {"basic": True} and session.closed == [False, True]
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "review-2026-10.docx"), str(out / "review-2026-10.xlsx")]
    assert main(["report", "--month", "2026-10", "--db", db_url]) == 0
    report = json.loads(capsys.readouterr().out)
    doc = Document(str(out / "review-2026-10.docx"))
    assert doc.paragraphs[0].text == "2026年10月信访形势研判"
    headline = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows[1:]}
    assert headline["信访总量"] == f"{report['received']:,}" and headline["超期未结"] == f"{report['overdue_open']:,}"
    sheet = fastexcel.read_excel(str(out / "review-2026-10.xlsx")).load_sheet_by_name("主要指标", header_row=2)
    assert sheet.to_polars()["数值"][0] == report["received"]
    engine = make_engine(db_url)
    try:
        entries = audit.search(engine, action="export")
    finally:
        engine.dispose()
    assert sorted(entries["object"].to_list()) == ["review:review-2026-10.docx", "review:review-2026-10.xlsx"]


def test_a_townships_review(db_url, tmp_path, capsys):
    assert main(["review", "--month", "2026-10", "--out", str(tmp_path), "--township", "甲", "--db", db_url]) == 0
    capsys.readouterr()
    doc = Document(str(tmp_path / "review-2026-10.docx"))
    assert doc.paragraphs[0].text == "甲镇2026年10月信访形势研判"


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-13"], "--month must be YYYY-MM"),
    (["--month", "2026-10", "--township", "丙镇"], "--township"),
])
def test_a_wrong_argument_is_one_line(db_url, tmp_path, capsys, args, message):
    FakeSession.opened.clear()
    assert main(["review", *args, "--out", str(tmp_path), "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert FakeSession.opened == []  # a wrong argument is found before Chromium is started


def test_an_unwritable_folder_is_one_line_and_chromium_is_closed(db_url, tmp_path, capsys):
    FakeSession.opened.clear()
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["review", "--month", "2026-10", "--out", str(blocker / "out"), "--db", db_url]) == 2
    assert "cannot write into" in capsys.readouterr().err
    [session] = FakeSession.opened
    assert session.closed[-1] is True


def test_the_command_imports_no_streamlit():
    # Streamlit costs the command ~0.5 s to import and it draws nothing on a page (dashboard/theme.py).
    code = ("import sys, dashboard.commands.review, dashboard.review_docs; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[3])
    assert result.stdout.strip() == "[]"
