"""One consumer group a service: every topic of the service is read by one Kafka consumer, each
consumer keeps its own inbox, and the group starts where the per-topic groups it replaced
stopped, so an upgrade reads nothing twice."""

from __future__ import annotations

import asyncio
import gc
import warnings
from pathlib import Path
from typing import Any, cast

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaConnectionError
from sqlmodel import func, select

from shared.messaging.consumer import INBOX_TABLE
from shared.messaging.groups import carry_offsets
from shared.messaging.handler import HandlerContext
from shared.platform import build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings
from tests.integration.worker import Effect, effect_consumer, report
from tests.support import eventually
from trc.embedded.broker import free_port

pytestmark = pytest.mark.integration


async def count(platform: Any, table: Any) -> int:
    async with platform.sessions() as s:
        return int((await s.exec(select(func.count()).select_from(table))).one())


async def _at_least(platform: Any, effects: int) -> bool:
    return await count(platform, Effect) >= effects


async def emit(platform: Any, first: int, last: int) -> None:
    async with platform.uow() as uow:
        for seq in range(first, last + 1):
            uow.emit(report(seq), region_code="21.71", correlation_id=f"rep-{seq}")
        await uow.commit()


async def test_the_service_group_starts_where_the_topic_groups_stopped(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    settings = {"kafka": kafka, "messaging": MessagingSettings()}
    producer = build_platform(
        ServiceSettings(
            service_name="intake", database_url=f"sqlite:///{tmp_path}/p.db", **settings
        )
    )
    await producer.migrate()
    await producer.start()
    try:
        await emit(producer, 1, 3)
        # The former layout: dispatch.reports read these three and committed.
        old = AIOKafkaConsumer(
            kafka.topic("trc.reports.v1"),
            group_id=kafka.group("dispatch.reports"),
            bootstrap_servers=kafka_bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await old.start()
        read, waited = 0, 0
        while read < 3 and waited < 30:
            batches = await old.getmany(timeout_ms=1000)
            read += sum(map(len, batches.values()))
            waited += 1
        await old.commit()
        await old.stop()
        assert read == 3
        await emit(producer, 4, 5)

        consumer = effect_consumer(f"sqlite:///{tmp_path}/c.db", kafka)

        async def on_anything(ctx: HandlerContext) -> None:
            return None

        consumer.consume("field", ["trc.field-updates.v1"], {"field.update": on_anything})
        assert consumer.group == kafka.group("dispatch.all")
        assert {s.kafka_group for s in consumer.subscriptions} == {consumer.group}
        await consumer.migrate()
        await consumer.start()
        try:
            await eventually(lambda: _at_least(consumer, 2), timeout=30)
            await asyncio.sleep(1.0)  # anything read twice would land meanwhile
            # A fresh inbox: without the carried offsets all five would have been handled.
            assert await count(consumer, Effect) == 2
            async with consumer.sessions() as s:
                names = set((await s.exec(select(INBOX_TABLE.c.consumer))).all())
            assert names == {"dispatch.reports"}  # the consumer's own inbox, as before
            assert consumer.subscriber().consumer is not None
            assert {t.topic for t in consumer.subscriber().consumer.assignment()} == {
                kafka.topic("trc.reports.v1"),
                kafka.topic("trc.field-updates.v1"),
            }
            # Carried once: the group has offsets of its own now.
            assert consumer._admin is not None
            again = await carry_offsets(
                consumer._admin,
                kafka,
                consumer.group,
                {kafka.group("dispatch.reports"): [kafka.topic("trc.reports.v1")]},
            )
            assert again == {}
        finally:
            await consumer.stop()
    finally:
        await producer.stop()


async def test_a_service_consumes_even_when_the_offsets_cannot_be_carried(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path, monkeypatch: Any
) -> None:
    """Carrying is retried with the connection, then given up: a service that reads nothing
    dispatches nobody, and the inboxes skip what they remember."""
    import shared.messaging.groups as groups_module

    tries: list[str] = []

    async def refused(*_args: Any) -> None:
        tries.append("carry")
        raise RuntimeError("not authorised to describe the former groups")

    monkeypatch.setattr(groups_module, "carry_offsets", refused)
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    consumer = effect_consumer(f"sqlite:///{tmp_path}/c.db", kafka)
    await consumer.migrate()
    await consumer.start()
    try:
        assert await eventually(lambda: consumer.connected, timeout=30)
        assert len(tries) == 3
    finally:
        await consumer.stop()


async def test_a_carry_while_the_broker_is_away_leaves_no_client_open(topic_prefix: str) -> None:
    """The carry's consumer fails to start (nobody listens at the address): it is closed all
    the same, so no "Unclosed AIOKafkaConsumer" error reaches the log later."""
    kafka = KafkaSettings(bootstrap=f"127.0.0.1:{free_port()}", topic_prefix=topic_prefix)
    former = {f"{topic_prefix}dispatch.reports": [kafka.topic("trc.reports.v1")]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(KafkaConnectionError):
            await carry_offsets(cast(Any, None), kafka, f"{topic_prefix}dispatch.all", former)
        gc.collect()
    assert not [w for w in caught if "Unclosed AIOKafkaConsumer" in str(w.message)]
