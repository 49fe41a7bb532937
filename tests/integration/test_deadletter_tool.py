"""``trc dlt``: dead letters listed, inspected and replayed on a real broker, handled once."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import delete
from sqlmodel import col, select

from shared.contracts import make_envelope
from shared.messaging.consumer import ReliableConsumer
from shared.messaging.handler import HandlerContext
from shared.messaging.outbox import envelope_headers
from shared.messaging.tables import InboxEntry
from shared.platform import Platform, build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings
from tests.integration.worker import Effect, report
from tests.support import eventually
from trc.cli import build_parser
from trc.deadletters.tool import DeadLetter, DeadLetterReader

pytestmark = pytest.mark.integration
SOURCE = "trc.reports.v1"
DLT = "trc.reports.v1.dlt"


@dataclass
class Service:
    """A dispatch-like service: ``dispatch.reports`` fails until fixed; ``dispatch.audit`` (if
    started), a second group on the same topic, always succeeds."""

    platform: Platform
    kafka: KafkaSettings
    reports: ReliableConsumer
    fixed: bool = False
    audited: Counter[str] = field(default_factory=Counter)


StartService = Callable[..., Awaitable[Service]]


@pytest.fixture
async def start_service(
    kafka_bootstrap: str, topic_prefix: str, new_database: Callable[[str], str]
) -> AsyncIterator[StartService]:
    started: list[Platform] = []

    async def start(*, with_audit: bool = False) -> Service:
        kafka = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix)
        settings = ServiceSettings(
            service_name="dispatch",
            database_url=new_database("dispatch"),
            kafka=kafka.model_copy(update={"session_timeout_ms": 6000}),
            messaging=MessagingSettings(retry_backoff_s=0),
        )
        platform = build_platform(settings, tables=[Effect.__table__])  # type: ignore[attr-defined]

        async def on_report(ctx: HandlerContext) -> None:
            if not service.fixed:
                raise RuntimeError("handler bug: priority table missing")
            ctx.session.add(Effect(event_id=ctx.envelope.event_id, seq=0))

        async def on_audit(ctx: HandlerContext) -> None:
            service.audited[ctx.envelope.event_id] += 1

        reports = platform.consume("reports", [SOURCE], {"report.received": on_report})
        if with_audit:
            platform.consume("audit", [SOURCE], {"report.received": on_audit})
        service = Service(platform, kafka, reports)
        await platform.migrate()
        await platform.start()
        started.append(platform)
        await until(lambda: platform.connected, "the consumers connected")
        return service

    yield start
    for platform in started:
        await platform.stop()


async def until(check: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    found = await eventually(check, timeout=timeout)
    assert found, f"timed out waiting for {what}"
    return found


async def publish(kafka: KafkaSettings, value: bytes, headers: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            kafka.topic(SOURCE), value=value, key=b"21.71", headers=headers
        )
    finally:
        await producer.stop()


async def dead_letters(kafka: KafkaSettings, count: int) -> list[DeadLetter]:
    async def read() -> list[DeadLetter] | None:
        async with DeadLetterReader(kafka) as reader:
            found = await reader.read_all(kafka.topic(DLT))
        return found if len(found) >= count else None

    return await until(read, f"{count} dead letters")


async def trc(kafka: KafkaSettings, *argv: str) -> str:
    """Run a ``trc dlt`` command as the CLI parses it, against this test's broker and prefix."""
    args = build_parser().parse_args(["dlt", *argv])
    out = io.StringIO()
    assert await args.run(args, kafka, out) == 0
    return out.getvalue()


async def effects(platform: Platform) -> list[str]:
    async with platform.sessions() as session:
        return list((await session.exec(select(Effect.event_id))).all())


async def inbox_outcome(platform: Platform, consumer: str, event_id: str) -> str | None:
    async with platform.sessions() as session:
        row = await session.get(InboxEntry, (consumer, event_id))
        return row.outcome if row else None


async def test_failed_message_is_listed_inspected_and_replayed_after_the_fix_exactly_once(
    start_service: StartService,
) -> None:
    service = await start_service(with_audit=True)
    kafka, platform = service.kafka, service.platform
    envelope = make_envelope(
        report(1), producer="intake", region_code="21.71", correlation_id="rep-1"
    )
    await publish(kafka, envelope.to_bytes(), [*envelope_headers(envelope), ("trace", b"t-1")])
    [parked] = await dead_letters(kafka, 1)
    where = f"{parked.partition}:{parked.offset}"

    listing = await trc(kafka, "list", "--topic", DLT)
    assert f"{kafka.topic(DLT)}: 1 dead letter" in listing
    assert f"{where}  " in listing
    assert "processing  dispatch.reports  from " + kafka.topic(SOURCE) in listing
    assert f"report.received v1 {envelope.event_id}  attempts 3" in listing
    assert "error: RuntimeError: handler bug: priority table missing" in listing

    shown = await trc(kafka, "inspect", DLT, where)
    assert "trace: t-1" in shown
    assert "trc-dlt-reason: processing" in shown
    assert "key        21.71" in shown
    assert f'"event_id": "{envelope.event_id}"' in shown
    assert '"report_id": "rep-1"' in shown  # the envelope, payload included

    # Replayed before the fix: parked again (the replay header says from where), no effect.
    await trc(kafka, "replay", DLT, where)
    again = (await dead_letters(kafka, 2))[-1]
    assert dict(again.headers)["trc-replay-of"] == parked.ref.encode()
    assert not any(name == "trc-dlt-reason" for name, _ in parked.replay_headers())
    assert await effects(platform) == []
    assert await inbox_outcome(platform, "dispatch.reports", envelope.event_id) == "dead_lettered"

    # The audit group handled the original; pretend its inbox has forgotten it since.
    assert service.audited[envelope.event_id] == 1
    async with platform.sessions() as session:
        await session.exec(delete(InboxEntry).where(col(InboxEntry.consumer) == "dispatch.audit"))
        await session.commit()

    service.fixed = True
    replayed = await trc(kafka, "replay", DLT, where)
    assert f"replayed {kafka.topic(DLT)} {where} -> {kafka.topic(SOURCE)} " in replayed
    assert "for dispatch.reports" in replayed
    await until(lambda: effects(platform), "the replay handled")
    assert await inbox_outcome(platform, "dispatch.reports", envelope.event_id) == "handled"

    duplicates = service.reports.totals.duplicates
    assert "replayed 2 dead letters" in await trc(kafka, "replay", DLT, "--all")
    await until(lambda: service.reports.totals.duplicates >= duplicates + 2, "replays absorbed")
    assert await effects(platform) == [envelope.event_id]
    assert service.audited[envelope.event_id] == 1  # replays are for the consumer that parked


async def test_unreadable_message_is_listed_as_invalid_and_a_dry_run_publishes_nothing(
    start_service: StartService,
) -> None:
    service = await start_service()
    kafka = service.kafka
    await publish(kafka, b"{not json", [("trace", b"\xff\x01")])
    [parked] = await dead_letters(kafka, 1)
    where = f"{parked.partition}:{parked.offset}"

    listing = await trc(kafka, "list")  # every dead-letter topic
    assert f"{kafka.topic('trc.cases.v1.dlt')}: 0 dead letters" in listing
    assert f"{kafka.topic(DLT)}: 1 dead letter\n" in listing
    assert f"  {where}  " in listing
    assert "invalid  dispatch.reports  from " + kafka.topic(SOURCE) in listing
    assert "(unreadable)  attempts 1" in listing
    assert "error: Envelope validation failed" in listing

    shown = await trc(kafka, "inspect", kafka.topic(DLT), where)
    assert "value (9 bytes, not a JSON envelope)" in shown
    assert "trace: b'\\xff\\x01'" in shown

    def totals() -> tuple[int, int, int]:
        t = service.reports.totals
        return t.handled, t.duplicates, t.dead_lettered

    before = totals()
    dry = await trc(kafka, "replay", DLT, "--all", "--dry-run")
    assert f"would replay {kafka.topic(DLT)} {where} -> {kafka.topic(SOURCE)}  " in dry
    assert "would replay 1 dead letter\n" in dry
    await asyncio.sleep(1)
    assert totals() == before
    assert len(await dead_letters(kafka, 1)) == 1
