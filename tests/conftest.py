"""Fixtures choosing the broker and the databases for the integration tiers.

Broker: an external Kafka when TRC_KAFKA_BOOTSTRAP is set, else the embedded Tansu broker.
Databases: SQLite files, and the PostgreSQL server at TRC_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres). Without PostgreSQL its tests skip, unless
TRC_REQUIRE_POSTGRES=1 (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import Processes, env_with, run_async
from trc.embedded.broker import EmbeddedBroker, free_port

POSTGRES_ADMIN_URL = os.environ.get(
    "TRC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
EXTERNAL_KAFKA = os.environ.get("TRC_KAFKA_BOOTSTRAP")
TEST_SESSION_TIMEOUT_MS = "6000"


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if EXTERNAL_KAFKA:
        yield EXTERNAL_KAFKA
        return
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(port=free_port(), log_file=log) as broker:
        yield broker.bootstrap


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    """A broker this test alone uses, so it may kill and restart it."""
    if EXTERNAL_KAFKA:
        pytest.skip("needs the embedded broker: the test kills and restarts it")
    broker = EmbeddedBroker(port=free_port(), log_file=tmp_path / "tansu.log").start()
    yield broker
    broker.stop()


@pytest.fixture
def topic_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


# ------------------------------------------------------------------------ databases
async def _pg_execute(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def _pg_url(database: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Callable[[], str]]:
    """Creates fresh databases on demand; drops every one of them at the end of the session."""
    try:
        run_async(_pg_execute(POSTGRES_ADMIN_URL, "SELECT 1"))
    except Exception as exc:
        reason = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({type(exc).__name__})"
        if os.environ.get("TRC_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " and TRC_REQUIRE_POSTGRES=1")
        pytest.skip(reason + "; set TRC_TEST_POSTGRES_URL to run these tests")
    session = uuid.uuid4().hex[:8]
    created: list[str] = []

    def create() -> str:
        name = f"trc_test_{session}_{len(created)}"
        run_async(_pg_execute(POSTGRES_ADMIN_URL, f'CREATE DATABASE "{name}"'))
        created.append(name)
        return _pg_url(name)

    yield create
    for name in created:
        run_async(_pg_execute(POSTGRES_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """``new_database(name)`` → the URL of an empty database of the parametrised kind."""
    if request.param == "postgresql":
        create = request.getfixturevalue("postgres_databases")
        return lambda _name: create()  # type: ignore[no-any-return]
    return lambda name: f"sqlite:///{tmp_path / (name + '.db')}"


@pytest.fixture
def processes(tmp_path: Path, kafka_bootstrap: str, topic_prefix: str) -> Iterator[Processes]:
    procs = Processes(
        tmp_path,
        env_with(
            TRC_KAFKA_BOOTSTRAP=kafka_bootstrap,
            TRC_KAFKA_TOPIC_PREFIX=topic_prefix,
            TRC_KAFKA_SESSION_TIMEOUT_MS=TEST_SESSION_TIMEOUT_MS,
        ),
    )
    yield procs
    procs.stop_all()



# ------------------------------------------------------------------------ tiers
TIERS = {
    "unit": "rules and rendering alone: no database, no broker, no network",
    "integration": "needs a real broker and databases",
    "e2e": "the whole stack as processes",
    "fault": "a simulated day on the whole stack while faults are injected",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"unit: {TIERS['unit']}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test carries the marker of the tier its folder is (``-m unit`` is the fast tier).
    The slowest tiers run first (fault, e2e, integration, unit): the simulated day is the longest
    test, and one that starts last keeps the whole run waiting on it alone."""
    tests = Path(__file__).resolve().parent
    tier_of: dict[str, str] = {}
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(tests)
        if relative.parts[0] in TIERS:
            item.add_marker(relative.parts[0])
            tier_of[item.nodeid] = relative.parts[0]
    first = ["fault", "e2e", "integration", "unit"]
    items.sort(key=lambda item: first.index(tier_of.get(item.nodeid, "unit")))


class UnitTierViolation(AssertionError):
    """A test in tests/unit reached for a database or the network."""


@pytest.fixture(autouse=True)
def _unit_tier_stays_offline(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit test that opens a database (SQLite included) or a network connection fails: it
    belongs in tests/integration, so the fast tier never depends on a server being up."""
    if request.node.get_closest_marker("unit") is None:
        return
    import socket
    import sqlite3

    def no_database(*_args: object, **_kwargs: object) -> None:
        raise UnitTierViolation("a unit test opened a database: move it to tests/integration")

    real_connect = socket.socket.connect

    def local_only(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise UnitTierViolation(
                f"a unit test connected to {address}: move it to tests/integration"
            )
        real_connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", no_database)
    monkeypatch.setattr(socket.socket, "connect", local_only)
