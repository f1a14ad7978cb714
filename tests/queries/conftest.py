import pytest
from hand_county import build_hand_county


@pytest.fixture
def county(engine):
    """The hand-worked county, once on SQLite and once on PostgreSQL."""
    return build_hand_county(engine)
