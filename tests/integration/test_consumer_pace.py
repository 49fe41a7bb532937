"""A consumer at rest on the embedded broker: few polls, a long fetch wait; a record brings the
short wait back and is handled within the idle wait."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from shared.platform import build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings
from tests.integration.worker import Effect, effect_consumer, report
from tests.support import eventually

pytestmark = pytest.mark.integration


async def effects(platform: Any) -> int:
    async with platform.sessions() as s:
        return int((await s.exec(select(func.count()).select_from(Effect))).one())


async def test_a_consumer_at_rest_polls_rarely_and_wakes_on_a_record(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
        session_timeout_ms=6000,
        fetch_max_wait_ms=10,
        fetch_idle_max_wait_ms=800,
        fetch_idle_after_s=1.0,
    )
    settings = {"kafka": kafka, "messaging": MessagingSettings()}
    producer = build_platform(
        ServiceSettings(
            service_name="intake", database_url=f"sqlite:///{tmp_path}/p.db", **settings
        )
    )
    consumer = effect_consumer(f"sqlite:///{tmp_path}/c.db", kafka)
    subscriber = consumer.subscriber()
    polls = [0]
    paced = subscriber.get_msg

    async def counted(c: Any) -> Any:
        polls[0] += 1
        return await paced(c)

    subscriber.get_msg = counted
    for platform in (producer, consumer):
        await platform.migrate()
        await platform.start()
    try:
        await eventually(lambda: consumer.connected, timeout=30)
        fetcher = subscriber.consumer._fetcher
        await asyncio.sleep(1.5)  # past fetch_idle_after_s with nothing to read
        assert fetcher._fetch_max_wait_ms == 800
        # aiokafka's fetch routine sleeps as long as a fetch waits, not its default 0.2 s
        assert fetcher._fetcher_timeout == 0.8
        before = polls[0]
        await asyncio.sleep(2.0)
        assert polls[0] - before <= 4, f"{polls[0] - before} polls in 2 s at rest"

        loop = asyncio.get_running_loop()
        started = loop.time()
        async with producer.uow() as uow:
            uow.emit(report(1), region_code="21.71", correlation_id="rep-1")
            await uow.commit()
        while await effects(consumer) < 1 and loop.time() - started < 10:
            await asyncio.sleep(0.01)
        took = loop.time() - started
        assert await effects(consumer) == 1
        assert took < 1.5, f"the first record after a quiet spell took {took:.2f} s"
        assert fetcher._fetch_max_wait_ms == 10  # records flow: the short wait again
    finally:
        await producer.stop()
        await consumer.stop()
