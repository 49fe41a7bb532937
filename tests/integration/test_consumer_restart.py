"""A service restarted after a crash reads again at once: the member its dead process left in
the group is removed as the new process joins, instead of after the session timeout (10 s by
default; before, a killed dispatch assigned nothing for 11 s although it answered ready in
0.3 s). Another instance's member stays."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging import kafka as kafka_clients
from shared.messaging.groups import instance_client_id, leave_for_former_self
from shared.settings import KafkaSettings
from tests.integration.worker import effect_consumer
from tests.support import eventually

pytestmark = pytest.mark.integration
SESSION_MS = 12_000  # a dead member holds the group this long without the removal

# The crashed process: a member of the service's group under the instance's client id.
DEAD = """
import asyncio, sys
from aiokafka import AIOKafkaConsumer
async def main():
    boot, group, client_id, topic = sys.argv[1:5]
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=boot, group_id=group,
                                client_id=client_id, session_timeout_ms=int(sys.argv[5]),
                                heartbeat_interval_ms=3000)
    await consumer.start()
    while not consumer.assignment():
        await consumer.getmany(timeout_ms=100)
    print("joined", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
"""


async def members(kafka: KafkaSettings, group: str) -> list[str]:
    admin = kafka_clients.make_admin(kafka, client_id="test-describe")
    await admin.start()
    try:
        (described,) = await admin.describe_consumer_groups([group])
        return [m[0] for g in described.groups for m in g[5]]
    finally:
        await admin.close()


def crashed_member(kafka: KafkaSettings, group: str, client_id: str) -> subprocess.Popen[str]:
    """A process that joined ``group`` under ``client_id``, then was killed (its member stays
    in the group until its session times out)."""
    topic = kafka.topic("trc.reports.v1")
    dead = subprocess.Popen(
        [
            sys.executable,
            "-c",
            DEAD,
            kafka.bootstrap,
            group,
            client_id,
            topic,
            str(kafka.session_timeout_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert dead.stdout is not None
    assert dead.stdout.readline().strip() == "joined"
    dead.send_signal(signal.SIGKILL)
    dead.wait()
    return dead


async def with_topics(kafka: KafkaSettings) -> None:
    admin: AIOKafkaAdminClient = kafka_clients.make_admin(kafka, client_id="test-topics")
    await admin.start()
    try:
        await kafka_clients.ensure_topics(admin, kafka)
    finally:
        await admin.close()


async def test_a_restarted_service_removes_its_dead_self_and_reads_at_once(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=SESSION_MS
    )
    platform = effect_consumer(f"sqlite:///{tmp_path}/dispatch.db", kafka)
    client_id = platform.broker.config.client_id
    assert client_id == instance_client_id("dispatch", platform.settings.http_port)
    await with_topics(kafka)
    await asyncio.to_thread(crashed_member, kafka, platform.group, client_id)
    (dead,) = await members(kafka, platform.group)

    await platform.migrate()
    started = time.monotonic()
    await platform.start()
    try:
        await eventually(lambda: platform.connected, timeout=SESSION_MS / 1000, interval=0.05)
        took = time.monotonic() - started
        # Without the removal the join cannot end before the dead member's session does (the
        # embedded broker then takes half the rebalance timeout more; Apache Kafka answers).
        assert platform.connected and took < SESSION_MS / 1000, f"joined after {took:.1f} s"
        assert dead not in await members(kafka, platform.group)
    finally:
        await platform.stop()


async def test_another_instance_of_the_service_is_left_in_the_group(
    kafka_bootstrap: str, topic_prefix: str
) -> None:
    kafka = KafkaSettings(  # the dead member stays 10 s: the removal is asked at once
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=10_000
    )
    group, port = kafka.group("dispatch.all"), 8002
    await with_topics(kafka)
    sibling = AIOKafkaConsumer(  # another instance of the service: another port, alive
        kafka.topic("trc.reports.v1"),
        bootstrap_servers=kafka_bootstrap,
        group_id=group,
        client_id=instance_client_id("dispatch", port + 1),
        session_timeout_ms=kafka.session_timeout_ms,
    )
    await sibling.start()
    admin = kafka_clients.make_admin(kafka, client_id="test-leave")
    await admin.start()
    try:
        while not sibling.assignment():
            await sibling.getmany(timeout_ms=100)
        (alive,) = await members(kafka, group)
        reading = asyncio.create_task(_keep_reading(sibling))
        await asyncio.to_thread(crashed_member, kafka, group, instance_client_id("dispatch", port))
        reading.cancel()
        assert alive in await members(kafka, group)
        removed = await leave_for_former_self(admin, group, instance_client_id("dispatch", port))
        assert removed == 1
        assert await members(kafka, group) == [alive]
    finally:
        await admin.close()
        await sibling.stop()


async def _keep_reading(consumer: AIOKafkaConsumer) -> None:
    """The sibling takes part in the rebalances as a live instance does."""
    while True:
        await consumer.getmany(timeout_ms=200)


def test_an_instance_client_id_is_the_service_the_host_and_the_port() -> None:
    assert (
        instance_client_id("notify", 8004, "srv-1.dinsos.local") == "notify-srv-1.dinsos.local-8004"
    )
    assert (
        instance_client_id("notify", 8004, "kantor dinsos (lt 2)")
        == "notify-kantor-dinsos-lt-2-8004"
    )
