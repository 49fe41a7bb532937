"""The outbox relay against a real broker: order, replay after log loss, one leader per database."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import update
from sqlmodel import col, select

from shared import db
from shared.messaging import kafka as kafka_clients
from shared.messaging.outbox import OutboxSignal
from shared.messaging.relay import OutboxRelay, RelayHooks
from shared.messaging.tables import PLATFORM_TABLES, OutboxMessage, RelayState
from shared.messaging.uow import UnitOfWork
from shared.settings import KafkaSettings, MessagingSettings
from tests.integration.worker import report
from trc.embedded.broker import EmbeddedBroker

pytestmark = pytest.mark.integration


@pytest.fixture
async def sessions(new_database: Any):
    engine = db.create_engine(new_database("relay"))
    await db.create_tables(engine, PLATFORM_TABLES)
    yield db.session_factory(engine)
    await engine.dispose()


@pytest.fixture
def asked(monkeypatch: Any) -> list[str]:
    """Every answer the broker gave to the relay's question "who are you", in order."""
    answers: list[str] = []
    real = kafka_clients.cluster_id

    async def counting(admin: Any) -> str:
        answers.append(answer := await real(admin))
        return answer

    monkeypatch.setattr(kafka_clients, "cluster_id", counting)
    return answers


def make_relay(sessions: Any, kafka: KafkaSettings, signal: OutboxSignal) -> OutboxRelay:
    return OutboxRelay(
        name="intake",
        sessions=sessions,
        kafka=kafka,
        messaging=MessagingSettings(cluster_check_interval_s=0.2),
        signal=signal,
    )


async def write_events(sessions: Any, signal: OutboxSignal, seqs: range) -> None:
    async with UnitOfWork(sessions, producer="intake", signal=signal) as uow:
        for seq in seqs:
            uow.emit(report(seq), region_code="21.71", correlation_id=f"rep-{seq}")
        await uow.commit()


async def read_seqs(kafka: KafkaSettings, expected: int, timeout: float = 20) -> list[int]:
    consumer = AIOKafkaConsumer(
        kafka.topic("trc.reports.v1"),
        bootstrap_servers=kafka.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    seqs: list[int] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(seqs) < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                seqs += [int(json.loads(r.value)["payload"]["report_id"][4:]) for r in records]
    finally:
        await consumer.stop()
    return seqs


async def wait_published(sessions: Any, count: int, timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with sessions() as s:
            rows = (
                await s.exec(
                    select(OutboxMessage).where(col(OutboxMessage.published_at).is_not(None))
                )
            ).all()
        if len(rows) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("relay did not publish in time")


async def test_relay_publishes_in_commit_order_and_replays_after_the_broker_lost_its_log(
    sessions: Any, own_broker: EmbeddedBroker, topic_prefix: str
) -> None:
    kafka = KafkaSettings(bootstrap=own_broker.bootstrap, topic_prefix=topic_prefix, partitions=1)
    signal = OutboxSignal()
    relay = make_relay(sessions, kafka, signal)
    task = asyncio.create_task(relay.run())
    try:
        await write_events(sessions, signal, range(0, 20))
        await write_events(sessions, signal, range(20, 40))
        await wait_published(sessions, 40)
        assert await read_seqs(kafka, 40) == list(range(40))

        # The broker restarts empty (a new cluster id): the relay replays before anything new.
        own_broker.restart()
        await write_events(sessions, signal, range(40, 45))
        await wait_published(sessions, 45)
        for _ in range(100):
            if relay.status.replays:
                break
            await asyncio.sleep(0.05)
        seen = await read_seqs(kafka, 45)
        assert relay.status.replays == 1
        assert seen == list(range(45))  # the replayed window in its original order, then the new
    finally:
        relay.stop()
        await task


async def test_the_database_knowing_another_broker_means_a_replay(
    sessions: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    """A relay started on a database whose recorded broker is gone replays its window first."""
    kafka = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, partitions=1)
    signal = OutboxSignal()
    await write_events(sessions, signal, range(0, 5))
    async with sessions() as s:
        s.add(RelayState(name="intake", cluster_id="a-broker-that-is-gone"))
        await s.exec(update(OutboxMessage).values(published_at=datetime.now(UTC)))
        await s.commit()
    relay = make_relay(sessions, kafka, signal)
    task = asyncio.create_task(relay.run())
    try:
        await write_events(sessions, signal, range(5, 8))
        await wait_published(sessions, 8)
        assert await read_seqs(kafka, 8) == list(range(8))
        assert relay.status.replays == 1
    finally:
        relay.stop()
        await task


@pytest.mark.parametrize("new_database", ["sqlite"], indirect=True)  # about the broker alone
async def test_relay_asks_the_broker_its_identity_only_when_its_connections_changed(
    sessions: Any, own_broker: EmbeddedBroker, topic_prefix: str, asked: list[str]
) -> None:
    """Each publish after a pause used to ask the broker's cluster id (and read the known one):
    a third of an event's hop. Over the same open connections the broker is the same."""
    kafka = KafkaSettings(bootstrap=own_broker.bootstrap, topic_prefix=topic_prefix, partitions=1)
    signal = OutboxSignal()
    relay = make_relay(sessions, kafka, signal)  # checks every 0.2 s, before a publish after 0.1
    task = asyncio.create_task(relay.run())
    try:
        await write_events(sessions, signal, range(1))
        await wait_published(sessions, 1)
        await asyncio.sleep(0.3)  # the first send opened a connection: asked once more, then known
        settled = len(asked)
        for seq in range(1, 6):
            await asyncio.sleep(0.25)
            await write_events(sessions, signal, range(seq, seq + 1))
            await wait_published(sessions, seq + 1)
        assert len(asked) == settled  # five publishes and ~6 periodic checks: no question
        assert settled <= 3

        own_broker.restart()  # its connections close: the next publish asks, and replays first
        await write_events(sessions, signal, range(6, 7))
        await wait_published(sessions, 7)
        assert len(asked) > settled
        assert relay.status.replays == 1
        assert await read_seqs(kafka, 7) == list(range(7))
    finally:
        relay.stop()
        await task


@pytest.mark.parametrize("new_database", ["sqlite"], indirect=True)  # about the broker alone
async def test_a_relay_that_holds_no_connection_asks_only_before_it_publishes(
    sessions: Any, own_broker: EmbeddedBroker, topic_prefix: str, asked: list[str]
) -> None:
    """At rest with nothing published, the producer holds no connection, which used to make
    every periodic look a question to the broker. Now only a publish asks (it opens one), and a
    broker that restarted meanwhile is still found out before the event goes out."""
    kafka = KafkaSettings(bootstrap=own_broker.bootstrap, topic_prefix=topic_prefix, partitions=1)
    signal = OutboxSignal()
    relay = make_relay(sessions, kafka, signal)  # checks every 0.2 s, before a publish after 0.1
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(100):
            if asked:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # some seven periodic looks
        assert len(asked) == 1, f"asked {len(asked)} times at rest"
        assert relay.status.cluster_id is not None

        own_broker.restart()
        await write_events(sessions, signal, range(1))
        await wait_published(sessions, 1)
        assert len(asked) >= 2  # the publish asked first
        assert relay.status.replays == 1  # a new broker: the (empty) window was replayed
        assert await read_seqs(kafka, 1) == [0]

        # Having published, the relay holds connections: a restart closes them, and the next
        # look asks at once — the event comes back without waiting for a publish.
        await asyncio.sleep(0.5)
        own_broker.restart()
        for _ in range(100):
            if relay.status.replays == 2:
                break
            await asyncio.sleep(0.05)
        assert relay.status.replays == 2
        assert await read_seqs(kafka, 1) == [0]
    finally:
        relay.stop()
        await task


async def test_live_connections_sees_the_producers_connections(kafka_bootstrap: str) -> None:
    """The relay's shortcut reads aiokafka's private connection table: this fails if it moves."""
    producer = kafka_clients.make_producer(
        KafkaSettings(bootstrap=kafka_bootstrap), client_id="connections-test"
    )
    await producer.start()
    try:
        await producer.send_and_wait("connections-test", b"x")
        assert kafka_clients.live_connections(producer)
    finally:
        await producer.stop()
    assert kafka_clients.live_connections(producer) == frozenset()


async def test_only_one_relay_per_database_publishes(
    sessions: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    kafka = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix)
    first, second = (
        make_relay(sessions, kafka, OutboxSignal()),
        make_relay(sessions, kafka, OutboxSignal()),
    )
    second._lease._owner = "another-host:1"  # as if a second instance ran elsewhere
    tasks = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    try:
        await write_events(sessions, OutboxSignal(), range(10))
        await wait_published(sessions, 10)
        assert first.status.leader != second.status.leader
        assert first.status.published + second.status.published == 10
        # The one standing by is healthy too: a replica that is not the leader is still ready.
        assert first.status.healthy and second.status.healthy
    finally:
        first.stop()
        second.stop()
        await asyncio.gather(*tasks)


async def test_an_idle_relay_sleeps_and_wakes_on_a_commit(
    new_database: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    """At rest the relay polls less and less (a handful of rounds in 3 s, not 12); a commit in
    its own process rings it at once, and a commit in another process (its own engine and
    signal, as the ``trc`` command line or a second replica) on PostgreSQL too, by NOTIFY."""
    url = new_database("relay")
    engine = db.create_engine(url)
    await db.create_tables(engine, PLATFORM_TABLES)
    sessions = db.session_factory(engine)
    other_engine = db.create_engine(url)  # "another process": nothing in common but the database
    kafka = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, partitions=1)
    signal = OutboxSignal()
    relay = OutboxRelay(
        name="intake",
        sessions=sessions,
        kafka=kafka,
        messaging=MessagingSettings(),
        signal=signal,
        listen_url=url,
    )
    task = asyncio.create_task(relay.run())
    try:
        await write_events(sessions, signal, range(0, 1))
        await wait_published(sessions, 1)
        before = relay.rounds
        await asyncio.sleep(3.0)
        at_rest = relay.rounds - before
        assert at_rest <= 6, f"{at_rest} rounds in 3 s at rest"

        loop = asyncio.get_running_loop()
        started = loop.time()
        await write_events(sessions, signal, range(1, 2))  # same process: the signal rings
        await wait_published(sessions, 2)
        assert loop.time() - started < 0.5

        await asyncio.sleep(2.5)  # idle again: the poll is at its longest (2 s)
        started = loop.time()
        await write_events(db.session_factory(other_engine), OutboxSignal(), range(2, 3))
        await wait_published(sessions, 3, timeout=5)
        took = loop.time() - started
        if db.is_sqlite(url):
            assert took < 2.6  # no cross-process ring on SQLite: the longest idle poll
        else:
            assert took < 0.5, f"NOTIFY did not wake the relay ({took:.2f} s)"
    finally:
        relay.stop()
        await task
        await other_engine.dispose()
        await engine.dispose()


async def test_after_publishing_the_relay_waits_for_the_next_ring_not_an_empty_read(
    new_database: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    """Events committed one at a time, each while the relay is idle: one outbox read a commit —
    not a second that finds it empty; and a commit made while a round publishes (its ring kept
    for the next wait) is published at once."""
    url = new_database("relay")
    engine = db.create_engine(url)
    await db.create_tables(engine, PLATFORM_TABLES)
    sessions = db.session_factory(engine)
    kafka = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, partitions=1)
    signal = OutboxSignal()
    # A poll far longer than the test: any read not started by a ring shows in the count.
    messaging = MessagingSettings(relay_poll_interval_s=30, relay_idle_max_s=30)
    during: list[asyncio.Task[None]] = []
    armed = False

    def commit_while_publishing(_rows: Any) -> None:
        if armed and not during:
            during.append(asyncio.create_task(write_events(sessions, signal, range(100, 101))))

    relay = OutboxRelay(
        name="intake",
        sessions=sessions,
        kafka=kafka,
        messaging=messaging,
        signal=signal,
        hooks=RelayHooks(on_sent=commit_while_publishing),
    )
    reads = 0

    def count_reads(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        nonlocal reads  # the relay's read of what is pending (the test reads what was sent)
        said = " ".join(statement.upper().split())
        reads += said.startswith("SELECT") and "FROM OUTBOX" in said and "AT IS NULL" in said

    sqlalchemy_event.listen(engine.sync_engine, "before_cursor_execute", count_reads)
    task = asyncio.create_task(relay.run())
    try:
        await write_events(sessions, signal, range(0, 1))
        await wait_published(sessions, 1)
        await asyncio.sleep(0.3)
        before = reads
        for seq in range(1, 6):
            await write_events(sessions, signal, range(seq, seq + 1))
            await wait_published(sessions, seq + 1)
            await asyncio.sleep(0.2)
        assert reads - before == 5, f"{reads - before} outbox reads for 5 commits"

        # A commit while a round is publishing: the ring it makes starts the next round.
        armed = True
        started = asyncio.get_running_loop().time()
        await write_events(sessions, signal, range(6, 7))
        await wait_published(sessions, 8, timeout=5)
        assert asyncio.get_running_loop().time() - started < 2
        assert during and during[0].done()
    finally:
        relay.stop()
        await task
        await engine.dispose()
