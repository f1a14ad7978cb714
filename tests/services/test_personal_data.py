from datetime import datetime

import pytest
from scoped_county import T1, T2, build_scoped_county

from data import audit
from queries.filters import Scope
from services import access
from services.auth import UserInfo
from services.personal_data import masked_petitioner, reveal_petitioner

T0 = datetime(2026, 4, 1, 9, 30)
OFFICE = UserInfo(id=1, username="office1", role="office", township_id=None)
LEADER = UserInfo(id=2, username="leader1", role="leader", township_id=None)
TOWNSHIP1 = UserInfo(id=3, username="officer1", role="township", township_id=T1)
PROJECTION = UserInfo(id=4, username="wall", role="projection", township_id=None)


@pytest.fixture
def county(engine):
    return engine, build_scoped_county(engine)


def reveals(engine):
    return audit.search(engine, action="reveal_personal_data").sort("id")


@pytest.mark.parametrize("user", [OFFICE, LEADER], ids=["office", "leader"])
def test_permitted_role_reveals_and_it_is_logged(county, user):
    engine, ids = county
    record = reveal_petitioner(engine, user, ids["T1-A"], "10.1.1.1", now=T0)
    assert (record.name, record.id_number, record.phone) == ("张三", "350981199001011234", "13812345678")
    assert record.address == "示范县东岭镇东街1号" and record.masked is False
    rows = reveals(engine)
    assert rows.select("username", "object", "outcome", "client_addr").rows() == [
        (user.username, "T1-A", "success", "10.1.1.1")
    ]
    assert rows["at"].to_list() == [T0]


def test_audit_entry_holds_the_case_number_never_the_data(county):
    engine, ids = county
    reveal_petitioner(engine, OFFICE, ids["T1-A"], "10.1.1.1", now=T0)
    text = " ".join(str(v) for v in audit.search(engine).row(0))
    for secret in ("张三", "350981199001011234", "13812345678", "东街"):
        assert secret not in text


def test_record_repr_shows_no_personal_data(county):
    engine, ids = county
    record = reveal_petitioner(engine, OFFICE, ids["T1-A"], None, now=T0)
    assert "张三" not in repr(record) and "13812345678" not in repr(record)


@pytest.mark.parametrize("user", [TOWNSHIP1, PROJECTION], ids=["township", "projection"])
def test_other_roles_are_refused_and_the_refusal_is_logged(county, user):
    engine, ids = county
    with pytest.raises(access.AccessDenied):
        reveal_petitioner(engine, user, ids["T1-A"], "10.1.1.2", now=T0)
    assert reveals(engine).select("username", "object", "outcome").rows() == [(user.username, "T1-A", "denied")]


def test_projection_mode_never_reveals_even_for_the_office(county):
    engine, ids = county
    with pytest.raises(access.AccessDenied):
        reveal_petitioner(engine, OFFICE, ids["T1-A"], None, projection=True, now=T0)
    assert reveals(engine)["outcome"].to_list() == ["denied"]


def test_no_user_is_refused(county):
    engine, ids = county
    with pytest.raises(access.AccessDenied):
        reveal_petitioner(engine, None, ids["T1-A"], None, now=T0)


def test_unknown_case_is_refused(county):
    engine, _ = county
    with pytest.raises(access.AccessDenied):
        reveal_petitioner(engine, OFFICE, 99999, None, now=T0)
    assert reveals(engine).select("object", "outcome").rows() == [("case id 99999", "denied")]


def test_case_without_a_petitioner_row_reveals_nothing_but_is_logged(county):
    engine, ids = county
    record = reveal_petitioner(engine, LEADER, ids["T1-B"], None, now=T0)
    assert (record.name, record.id_number, record.phone, record.address) == (None, None, None, None)
    assert reveals(engine)["object"].to_list() == ["T1-B"]


def test_masked_petitioner(county):
    engine, ids = county
    record = masked_petitioner(engine, ids["T1-A"])
    assert (record.name, record.id_number, record.phone) == ("张*", "3509**********1234", "138****5678")
    assert record.address == "示范县东岭镇****" and record.masked is True
    # Reading the masked form is not a reveal: nothing is logged.
    assert reveals(engine).height == 0


def test_masked_petitioner_respects_the_scope(county):
    engine, ids = county
    township1 = Scope(township_id=T1, see_accusations=False)
    assert masked_petitioner(engine, ids["T1-A"], township1).name == "张*"
    assert masked_petitioner(engine, ids["T2-A"], township1) is None
    # A complaint about an official in the officer's own township is not theirs to see.
    assert masked_petitioner(engine, ids["T1-ACC-CAT"], township1) is None
    assert masked_petitioner(engine, ids["T1-ACC-CAT"]).name == "李*"
    assert masked_petitioner(engine, ids["T2-A"], Scope(township_id=T2, see_accusations=False)).name == "王*"
    assert masked_petitioner(engine, 99999) is None
