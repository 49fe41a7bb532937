"""The idempotent consumer's batch logic, in-process, on both databases (no broker needed)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import structlog
from aiokafka.structs import ConsumerRecord
from sqlmodel import SQLModel, select

from shared import db
from shared.contracts import make_envelope
from shared.contracts.events import CaseOpened
from shared.messaging.consumer import ReliableConsumer
from shared.messaging.handler import HandlerContext, Reject
from shared.messaging.outbox import OutboxSignal, decode_headers
from shared.messaging.tables import PLATFORM_TABLES, InboxEntry, OutboxMessage
from shared.settings import KafkaSettings, MessagingSettings
from tests.integration.worker import Effect, report
from tests.support import consumer_record

pytestmark = pytest.mark.integration
TOPIC = "trc.reports.v1"


def record(
    value: bytes, offset: int, headers: list[tuple[str, bytes]] | None = None
) -> ConsumerRecord:
    return consumer_record(value, offset=offset, headers=headers, topic=TOPIC)


def event_bytes(seq: int, description: str = "ok") -> tuple[str, bytes]:
    envelope = make_envelope(
        report(seq, description),
        producer="intake",
        region_code="21.71",
        correlation_id=f"rep-{seq}",
    )
    return envelope.event_id, envelope.to_bytes()


@pytest.fixture
async def sessions(new_database: Any):
    engine = db.create_engine(new_database("runtime"))
    await db.create_tables(engine, [*PLATFORM_TABLES, Effect.__table__])
    yield db.session_factory(engine)
    await engine.dispose()


def make_consumer(sessions: Any, handler: Any) -> ReliableConsumer:
    return ReliableConsumer(
        name="dispatch.reports",
        producer="dispatch",
        sessions=sessions,
        handlers={"report.received": handler},
        kafka=KafkaSettings(),
        messaging=MessagingSettings(retry_backoff_s=0),
        signal=OutboxSignal(),
    )


async def add_effect(ctx: HandlerContext) -> None:
    ctx.session.add(Effect(event_id=ctx.envelope.event_id, seq=0))


async def effect_ids(sessions: Any) -> list[str]:
    async with sessions() as s:
        return list((await s.exec(select(Effect.event_id))).all())


async def test_redelivered_events_have_no_second_effect(sessions: Any) -> None:
    consumer = make_consumer(sessions, add_effect)
    events = [event_bytes(i) for i in range(5)]
    batch = [record(value, i) for i, (_, value) in enumerate(events)]
    first = await consumer.handle_batch(batch + batch[:2])  # duplicates inside one batch too
    again = await consumer.handle_batch(batch)
    assert (first.handled, first.duplicates) == (5, 2)
    assert (again.handled, again.duplicates) == (0, 5)
    assert sorted(await effect_ids(sessions)) == sorted(e for e, _ in events)


async def test_a_handler_failing_once_is_retried_and_applied_once(sessions: Any) -> None:
    calls = 0

    async def flaky(ctx: HandlerContext) -> None:
        nonlocal calls
        calls += 1
        await add_effect(ctx)
        if calls == 1:
            raise RuntimeError("transient bug")

    result = await make_consumer(sessions, flaky).handle_batch([record(event_bytes(1)[1], 0)])
    assert (result.handled, result.dead_lettered, calls) == (1, 0, 2)
    assert len(await effect_ids(sessions)) == 1


async def test_a_failing_database_statement_poisons_only_its_own_message(sessions: Any) -> None:
    async def handler(ctx: HandlerContext) -> None:
        await add_effect(ctx)
        if ctx.payload.description == "duplicate-key":
            ctx.session.add(
                InboxEntry(
                    consumer="x",
                    event_id="same",
                    topic="t",
                    partition=0,
                    offset=0,
                    outcome="handled",
                    handled_at=ctx.payload.received_at,
                )
            )
            ctx.session.add(
                InboxEntry(
                    consumer="x",
                    event_id="same",
                    topic="t",
                    partition=0,
                    offset=1,
                    outcome="handled",
                    handled_at=ctx.payload.received_at,
                )
            )
            await ctx.session.flush()

    good_before, bad, good_after = event_bytes(1), event_bytes(2, "duplicate-key"), event_bytes(3)
    batch = [record(good_before[1], 0), record(bad[1], 1), record(good_after[1], 2)]
    result = await make_consumer(sessions, handler).handle_batch(batch)
    assert (result.handled, result.dead_lettered) == (2, 1)
    assert sorted(await effect_ids(sessions)) == sorted([good_before[0], good_after[0]])
    async with sessions() as s:
        dead = (await s.exec(select(OutboxMessage))).one()
    headers = dict(decode_headers(dead.headers))
    assert dead.topic == "trc.reports.v1.dlt"
    assert dead.value == bad[1]
    assert headers["trc-dlt-reason"] == b"processing"
    assert b"IntegrityError" in headers["trc-dlt-error"]


async def test_invalid_bytes_are_parked_with_their_headers_and_reason(sessions: Any) -> None:
    raw = record(b"\x00garbage", 7, headers=[("trace", b"\xff\x01")])
    result = await make_consumer(sessions, add_effect).handle_batch([raw, raw])
    assert (result.dead_lettered, result.duplicates) == (1, 1)
    async with sessions() as s:
        dead = (await s.exec(select(OutboxMessage))).one()
        inbox = (await s.exec(select(InboxEntry))).one()
    headers = decode_headers(dead.headers)
    assert headers[0] == ("trace", b"\xff\x01")
    assert dict(headers)["trc-dlt-offset"] == b"7"
    assert dead.key == b"21.71"
    assert inbox.outcome == "dead_lettered"


async def test_personal_data_in_an_invalid_event_stays_out_of_the_reason(sessions: Any) -> None:
    body = {
        "event_type": "report.received",
        "version": 1,
        "producer": "x",
        "region_code": "21.71",
        "correlation_id": "c",
        "payload": {"report_id": "r", "description": "Budi 081234567890", "priority": "P9"},
    }
    await make_consumer(sessions, add_effect).handle_batch([record(json.dumps(body).encode(), 0)])
    async with sessions() as s:
        dead = (await s.exec(select(OutboxMessage))).one()
    reason = dict(decode_headers(dead.headers))["trc-dlt-error"]
    assert b"priority" in reason
    assert b"Budi" not in reason and b"081234567890" not in reason


async def test_known_events_without_a_handler_are_skipped_quietly(sessions: Any) -> None:
    case = make_envelope(
        CaseOpened.model_validate(CaseOpened.EXAMPLE),
        producer="shelter",
        region_code="21.71",
        correlation_id="inc-1",
    )
    raw = ConsumerRecord(
        topic="trc.cases.v1",
        partition=0,
        offset=0,
        timestamp=0,
        timestamp_type=0,
        key=b"21.71",
        value=case.to_bytes(),
        checksum=None,
        serialized_key_size=5,
        serialized_value_size=1,
        headers=(),
    )
    opened: list[int] = []

    def counting_sessions() -> Any:
        opened.append(1)
        return sessions()

    consumer = make_consumer(counting_sessions, add_effect)
    result = await consumer.handle_batch([raw])
    assert (result.ignored, result.dead_lettered) == (1, 0)
    # Nothing to record: no transaction holds the service's database (SQLite's one connection).
    assert opened == []

    # Beside an event it handles, the batch runs as always.
    event_id, value = event_bytes(1)
    mixed = await consumer.handle_batch([raw, record(value, 1)])
    assert (mixed.ignored, mixed.handled) == (1, 1)
    assert opened and await effect_ids(sessions) == [event_id]


async def test_follow_up_events_commit_with_the_effect(sessions: Any) -> None:
    async def handler(ctx: HandlerContext) -> None:
        await add_effect(ctx)
        ctx.emit(CaseOpened.model_validate(CaseOpened.EXAMPLE))

    await make_consumer(sessions, handler).handle_batch([record(event_bytes(1)[1], 0)])
    async with sessions() as s:
        staged = (await s.exec(select(OutboxMessage))).one()
    assert staged.topic == "trc.cases.v1"
    assert staged.key == b"21.71"
    assert json.loads(staged.value)["correlation_id"] == "rep-1"


def test_tables_are_registered_once() -> None:
    assert {t.name for t in PLATFORM_TABLES} <= set(SQLModel.metadata.tables)


async def test_batched_inserts_commit_with_the_batch_and_roll_back_with_a_failing_message(
    sessions: Any,
) -> None:
    async def handler(ctx: HandlerContext) -> None:
        ctx.insert(Effect, event_id=ctx.envelope.event_id, seq=1)
        if ctx.payload.description == "boom":
            raise RuntimeError("boom")

    good, bad = event_bytes(1), event_bytes(2, "boom")
    result = await make_consumer(sessions, handler).handle_batch(
        [record(good[1], 0), record(bad[1], 1)]
    )
    assert (result.handled, result.dead_lettered) == (1, 1)
    assert await effect_ids(sessions) == [good[0]]


async def test_handler_log_lines_carry_the_message_coordinates(sessions: Any) -> None:
    seen: list[dict[str, Any]] = []

    async def handler(ctx: HandlerContext) -> None:
        seen.append(structlog.contextvars.get_contextvars())

    event_id, value = event_bytes(7)
    await make_consumer(sessions, handler).handle_batch([record(value, 42)])
    assert seen[0]["topic"] == TOPIC
    assert (seen[0]["offset"], seen[0]["event_id"], seen[0]["correlation_id"]) == (
        42,
        event_id,
        "rep-7",
    )
    assert "event_id" not in structlog.contextvars.get_contextvars()


async def test_a_rejected_message_is_parked_at_once_as_invalid(sessions: Any) -> None:
    calls = 0

    async def handler(ctx: HandlerContext) -> None:
        nonlocal calls
        calls += 1
        raise Reject("unknown category 'x'")

    result = await make_consumer(sessions, handler).handle_batch([record(event_bytes(1)[1], 0)])
    assert (result.dead_lettered, calls) == (1, 2)  # the fast path, then once carefully
    async with sessions() as s:
        dead = (await s.exec(select(OutboxMessage))).one()
    headers = dict(decode_headers(dead.headers))
    assert headers["trc-dlt-reason"] == b"invalid"
    assert b"unknown category" in headers["trc-dlt-error"]


async def test_an_envelope_without_an_event_id_is_handled_or_parked_once_however_often_it_comes(
    sessions: Any,
) -> None:
    """The envelope model would make up a new id at every delivery: redeliveries then applied
    the event again, or parked it again."""
    valid, invalid = json.loads(event_bytes(1)[1]), json.loads(event_bytes(2)[1])
    invalid["payload"]["priority"] = "P9"
    for body in (valid, invalid):
        del body["event_id"]
    batch = [record(json.dumps(valid).encode(), 0), record(json.dumps(invalid).encode(), 1)]
    consumer = make_consumer(sessions, add_effect)
    first = await consumer.handle_batch(batch)
    again = await consumer.handle_batch(batch)
    assert (first.handled, first.dead_lettered) == (1, 1)
    assert (again.handled, again.dead_lettered, again.duplicates) == (0, 0, 2)
    assert len(await effect_ids(sessions)) == 1
    async with sessions() as s:
        assert len((await s.exec(select(OutboxMessage))).all()) == 1
