"""The unit tier stays offline: a test there that opens a database or a socket fails."""

import asyncio
import socket
from pathlib import Path

import pytest

from shared import db
from tests.conftest import UnitTierViolation


def test_this_test_is_marked_as_the_unit_tier(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("unit") is not None
    assert request.node.get_closest_marker("integration") is None


def test_a_unit_test_may_not_open_an_sqlite_database(tmp_path: Path) -> None:
    async def open_one() -> None:
        engine = db.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
        try:
            async with engine.connect():
                pass
        finally:
            await engine.dispose()

    with pytest.raises(UnitTierViolation, match="database"):
        asyncio.run(open_one())


def test_a_unit_test_may_not_connect_to_postgresql_or_the_broker() -> None:
    with socket.socket() as sock, pytest.raises(UnitTierViolation, match="connected to"):
        sock.connect(("127.0.0.1", 5432))
