"""The data import page in AppTest: upload, preview, import, quarantine list, boundaries on a map."""

from __future__ import annotations

import re

import pytest
from auth_helpers import sign_in
from import_builders import add_places, case, grid, township_layer, write_xlsx
from page_helpers import APP, page_path
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data.db import make_engine, migrate
from data.models import AuditEntry, Case, Township

PAGE = page_path("data_import")
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'import.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    add_places(engine, townships=("城关镇",), parks=())
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.delenv("DASHBOARD_DEMO_LOGIN", raising=False)
    return url


@pytest.fixture
def open_import(open_page):
    def open_(db_url, role="office"):
        return open_page(db_url, "data_import", role=role, township_id=1 if role == "township" else None,
                         errors_allowed=True)

    return open_


def test_case_file_preview_import_and_quarantine(open_import, db_url, tmp_path):
    rows = [case("XF1", 信访人="张三丰", 内容摘要=XSS), case("XF2", "2024-02-30"), case("XF3", 问题属地="火星镇")]
    data = write_xlsx(tmp_path / "export.xlsx", grid(rows), title="三月导出").read_bytes()
    at = open_import(db_url)
    assert at.title[0].value == "数据导入"
    at.file_uploader(key="w.import.cases.file").upload("export.xlsx", data)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    columns = at.dataframe[0].value
    assert list(columns.columns) == ["字段", "文件中的列"]
    assert columns.set_index("字段").loc["信访件编号", "文件中的列"] == "信访件编号"
    sample = at.dataframe[1].value
    assert sample["信访人"].tolist()[0] == "张**"  # masked in the preview
    at.button(key="w.import.cases.run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["新增"] == "1" and metrics["未导入"] == "2" and metrics["数据行"] == "3"
    quarantine = at.dataframe[2].value
    assert quarantine["行号"].tolist() == [4, 5]
    assert quarantine["原因"].tolist()[0] == "日期不存在：“2024-02-30”"
    assert quarantine["原因"].tolist()[1].startswith("未知乡镇（街道）：“火星镇”")
    assert len(at.get("download_button")) == 1
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(Case.summary)).scalar_one() == XSS
        assert "import" in conn.execute(select(AuditEntry.action)).scalars().all()
    # The summary text never reaches the page as markup.
    assert all(XSS not in m.value for m in at.markdown)


def test_unreadable_case_file_is_one_message(open_import, db_url):
    at = open_import(db_url)
    at.file_uploader(key="w.import.cases.file").upload("x.xlsx", b"<html><table></table></html>")
    at.run()
    assert at.error[0].value.startswith("无法读取该文件：")
    assert "web page" in at.error[0].value


def test_boundaries_preview_then_confirm(open_import, db_url, tmp_path):
    path = tmp_path / "t.geojson"
    township_layer().to_file(path)
    at = open_import(db_url)
    at.file_uploader(key="w.import.bounds.file").upload("t.geojson", path.read_bytes())
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    names = at.dataframe[0].value["名称"].tolist()
    assert sorted(names) == sorted(["城关镇", "松山街道", "松港街道", "溪南乡"])
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(Township.boundary).where(Township.name == "城关镇")).scalar_one() is None
    at.button(key="w.import.bounds.run").click()
    at.run()
    assert at.success[0].value == "边界已导入：新增 3，更新 1，未变 0。"
    with engine.connect() as conn:
        assert conn.execute(select(Township.boundary).where(Township.name == "城关镇")).scalar_one() is not None


def test_other_roles_are_refused(db_url):
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at, db_url, role="leader")
    # The page is registered for everyone (hidden from a leader's menu), so its URL resolves;
    # the entry script refuses to run it ...
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == ["您的账号无权查看此页面。"]
    assert len(at.file_uploader) == 0
    # ... and the page refuses by itself when run without an office user.
    alone = AppTest.from_file(PAGE, default_timeout=60)
    alone.run()
    assert [e.value for e in alone.error] == ["您的账号无权查看此页面。"]
    assert len(alone.file_uploader) == 0


def test_sparse_workbook_upload_is_one_message_and_the_server_carries_on(open_import, db_url, tmp_path):
    # Issue 15: merely uploading this ~1 kB workbook (the preview) ended the server process.
    from import_builders import sparse_workbook

    at = open_import(db_url)
    at.file_uploader(key="w.import.cases.file").upload("sparse.xlsx", sparse_workbook())
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    # The message is Markdown with the file's words escaped (text/markup.py): read it as shown.
    message = re.sub(r"\\(.)", r"\1", at.error[0].value).replace("\u2060", "")
    assert message.startswith("无法读取该文件：工作表声明的范围 A1:XFD1048576 超出上限（最多 200 列、1,100,000 行）")
    assert "\n" not in message and "/tmp" not in message
    # The same session goes on to preview an ordinary file.
    data = write_xlsx(tmp_path / "export.xlsx", grid([case("XF1")])).read_bytes()
    at.file_uploader(key="w.import.cases.file").upload("export.xlsx", data)
    at.run()
    assert not at.exception and not at.error
    assert at.dataframe[1].value["信访件编号"].tolist() == ["XF1"]


def test_boundary_zip_with_a_long_name_is_one_message(open_import, db_url, tmp_path):
    from import_builders import zip_with_long_name

    at = open_import(db_url)
    at.file_uploader(key="w.import.bounds.file").upload("边界.zip", zip_with_long_name(tmp_path / "z.zip").read_bytes())
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    message = re.sub(r"\\(.)", r"\1", at.error[0].value).replace("\u2060", "")  # as shown
    assert message.startswith("无法导入边界文件：压缩包中有一个文件名长 6,000 个字符")
    assert "/tmp" not in message
