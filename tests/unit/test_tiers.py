"""The unit tier stays offline: a test there that opens a database or a socket fails."""

import socket
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import UnitTierViolation


def test_this_test_is_marked_as_the_unit_tier(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("unit") is not None
    assert request.node.get_closest_marker("integration") is None


def test_a_unit_test_may_not_open_an_sqlite_database(tmp_path: Path) -> None:
    # every SQLite driver (sqlite3, aiosqlite, SQLAlchemy's dialects) opens through sqlite3.connect
    with pytest.raises(UnitTierViolation, match="database"):
        sqlite3.connect(tmp_path / "x.db")


def test_a_unit_test_may_not_connect_to_postgresql_or_the_broker() -> None:
    with socket.socket() as sock, pytest.raises(UnitTierViolation, match="connected to"):
        sock.connect(("127.0.0.1", 5432))
