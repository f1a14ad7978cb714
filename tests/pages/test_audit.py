"""The audit page (office only): search the log by user and action; times shown in Beijing time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from data import audit
from data.db import make_engine, migrate


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    # One hour ago, in UTC as stored; and an entry with text that must stay text.
    an_hour_ago = audit.utcnow() - timedelta(hours=1)
    audit.record(engine, username="leader1", action="reveal_personal_data", object="XF-2026-0007",
                 client_addr="10.0.0.9", at=an_hour_ago)
    audit.record(engine, username="mallory", action="login", object="<script>alert(1)</script>",
                 outcome="failure", client_addr="10.6.6.6", at=an_hour_ago)
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.delenv("DASHBOARD_DEMO_LOGIN", raising=False)
    return url


@pytest.fixture
def open_audit(open_page):
    def open_(db_url, role="office"):
        return open_page(db_url, "audit", role=role, errors_allowed=True)

    return open_


def test_office_sees_the_log_newest_first(open_audit, db_url):
    at = open_audit(db_url)
    assert at.title[0].value == "审计日志"
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["时间", "用户", "操作", "对象", "结果", "客户端地址"]
    users = frame["用户"].tolist()
    # Signing in created the test account, which wrote the newest entry (user_admin).
    assert "leader1" in users and "mallory" in users
    row = frame[frame["用户"] == "leader1"].iloc[0]
    assert row["操作"] == "查看个人信息" and row["对象"] == "XF-2026-0007"
    assert set(frame["结果"]) <= {"成功", "失败", "拒绝", "已锁定", "限流", "账号已停用", "已过期"}
    # Stored in UTC, shown in Beijing time (UTC+8).
    shown = datetime.strptime(row["时间"], "%Y-%m-%d %H:%M:%S")
    expected = audit.utcnow() - timedelta(hours=1) + timedelta(hours=8)
    assert abs((shown - expected).total_seconds()) < 120
    # Data is shown as text in a data frame, never as HTML.
    assert "<script>alert(1)</script>" in frame["对象"].tolist()


def test_filters_by_user_and_action(open_audit, db_url):
    at = open_audit(db_url)
    at.text_input(key="w.audit.username").input("mallory")
    at.run()
    assert at.dataframe[0].value["用户"].tolist() == ["mallory"]
    at.text_input(key="w.audit.username").input("")
    at.selectbox(key="w.audit.action").select("reveal_personal_data")
    at.run()
    assert at.dataframe[0].value["对象"].tolist() == ["XF-2026-0007"]
    at.text_input(key="w.audit.username").input("nobody")
    at.run()
    assert len(at.dataframe) == 0 and [i.value for i in at.info] == ["没有符合条件的记录。"]


@pytest.mark.parametrize("role", ["leader", "projection"])
def test_other_roles_do_not_get_the_audit_page(open_audit, db_url, role):
    at = open_audit(db_url, role=role)
    assert all(t.value != "审计日志" for t in at.title)
    assert len(at.dataframe) == 0
