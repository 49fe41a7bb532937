"""An in-process round trip through the platform, on the embedded broker and on Apache Kafka.

The Apache Kafka run uses testcontainers and needs a Docker engine; without one it is skipped
with the reason. The embedded run always happens, so the code path is exercised everywhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import func, select

from shared.messaging.handler import HandlerContext
from shared.platform import build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings
from tests.integration.worker import Effect, report

pytestmark = pytest.mark.integration


def docker_available() -> str | None:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as exc:
        return f"no Docker engine reachable ({type(exc).__name__})"
    return None


@pytest.fixture(scope="module")
def apache_kafka() -> Iterator[str]:
    reason = docker_available()
    if reason:
        pytest.skip(f"testcontainers Kafka needs Docker: {reason}")
    from testcontainers.kafka import KafkaContainer

    with KafkaContainer("confluentinc/cp-kafka:7.6.1").with_kraft() as kafka:
        yield kafka.get_bootstrap_server()


async def round_trip(bootstrap: str, prefix: str, tmp_path: Path, count: int = 50) -> int:
    kafka = KafkaSettings(bootstrap=bootstrap, topic_prefix=prefix, session_timeout_ms=6000)
    messaging = MessagingSettings()
    producer = build_platform(
        ServiceSettings(
            service_name="intake",
            database_url=f"sqlite:///{tmp_path}/p.db",
            kafka=kafka,
            messaging=messaging,
        )
    )
    consumer = build_platform(
        ServiceSettings(
            service_name="dispatch",
            database_url=f"sqlite:///{tmp_path}/c.db",
            kafka=kafka,
            messaging=messaging,
        ),
        tables=[Effect.__table__],
    )

    async def on_report(ctx: HandlerContext) -> None:
        ctx.session.add(Effect(event_id=ctx.envelope.event_id, seq=0))

    consumer.consume("reports", ["trc.reports.v1"], {"report.received": on_report})
    for platform in (producer, consumer):
        await platform.migrate()
        await platform.start()
    try:
        async with producer.uow() as uow:
            for seq in range(count):
                uow.emit(report(seq), region_code="21.71", correlation_id=f"rep-{seq}")
            await uow.commit()
        for _ in range(600):
            async with consumer.sessions() as s:
                done = (await s.exec(select(func.count()).select_from(Effect))).one()
            if done >= count:
                return int(done)
            await asyncio.sleep(0.1)
        return int(done)
    finally:
        await producer.stop()
        await consumer.stop()


async def test_round_trip_on_the_embedded_broker(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    assert await round_trip(kafka_bootstrap, topic_prefix, tmp_path) == 50


@pytest.mark.docker
async def test_round_trip_on_apache_kafka(
    apache_kafka: str, topic_prefix: str, tmp_path: Path
) -> None:
    assert await round_trip(apache_kafka, topic_prefix, tmp_path) == 50
