"""Downloads: a file only for a role that may export, every copy audited, every cell inert."""

from __future__ import annotations

import pytest
from workbook_helpers import cell_holding, formula_cells, read_rows

from data import audit
from services import access
from services.auth import UserInfo
from services.exports import stored_file_download, table_download

OFFICE = UserInfo(id=1, username="office1", role="office", township_id=None)
LEADER = UserInfo(id=2, username="leader1", role="leader", township_id=None)
TOWNSHIP = UserInfo(id=3, username="officer1", role="township", township_id=1)
PROJECTION = UserInfo(id=4, username="wall", role="projection", township_id=None)
HEADERS = ["信访件编号", "责任单位"]
ROWS = [["XF-1", '=HYPERLINK("http://evil.invalid","y")'], ["XF-2", "+1+2"]]
WHAT = "map.overdue:township=3:2026-10"


def downloads(engine):
    return audit.search(engine, action="download").sort("id").select("username", "object", "outcome", "client_addr")


@pytest.mark.parametrize("user", [OFFICE, LEADER, TOWNSHIP], ids=["office", "leader", "township"])
def test_a_download_is_audited_and_its_cells_are_inert(engine, user):
    data = table_download(engine, user, what=WHAT, headers=HEADERS, rows=ROWS, client_addr="10.1.1.1")
    assert downloads(engine).rows() == [(user.username, WHAT, "success", "10.1.1.1")]
    assert formula_cells(data) == []
    assert cell_holding(data, "+1+2")["quote_prefix"]
    assert read_rows(data) == [{"信访件编号": "XF-1", "责任单位": '=HYPERLINK("http://evil.invalid","y")'},
                               {"信访件编号": "XF-2", "责任单位": "+1+2"}]


@pytest.mark.parametrize(("user", "projection"), [(PROJECTION, False), (OFFICE, True)],
                         ids=["projection account", "office on the wall screen"])
def test_no_download_for_the_wall_screen_and_the_refusal_is_audited(engine, user, projection):
    with pytest.raises(access.AccessDenied):
        table_download(engine, user, what=WHAT, headers=HEADERS, rows=ROWS, client_addr="10.1.1.2",
                       projection=projection)
    assert downloads(engine).rows() == [(user.username, WHAT, "denied", "10.1.1.2")]


def test_each_copy_of_a_stored_file_is_audited_and_only_for_importers(engine):
    for _ in range(2):
        assert stored_file_download(engine, OFFICE, what="errors:三月.xlsx", data=b"xlsx", client_addr=None) == b"xlsx"
    with pytest.raises(access.AccessDenied):
        stored_file_download(engine, LEADER, what="errors:三月.xlsx", data=b"xlsx", client_addr=None)
    assert downloads(engine).rows() == [
        ("office1", "errors:三月.xlsx", "success", None),
        ("office1", "errors:三月.xlsx", "success", None),
        ("leader1", "errors:三月.xlsx", "denied", None),
    ]
