"""Running the fuzz of every consumed topic: the four services in this process (SQLite each,
the Telegram stand-in for notify), the fuzzer's messages published, and what the services did
collected once they settled."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI
from sqlalchemy import func
from sqlmodel import col, select

from services.dispatch.app import create_app as create_dispatch
from services.dispatch.settings import DispatchSettings
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.notify.app import create_app as create_notify
from services.notify.settings import NotifySettings
from services.shelter.app import create_app as create_shelter
from services.shelter.settings import ShelterSettings
from shared.auth import AuthSettings
from shared.contracts import TOPICS, dead_letter_topic
from shared.contracts.registry import topics_consumed_by
from shared.messaging.tables import InboxEntry, OutboxMessage
from shared.platform import Platform, Subscription
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings
from tests.integration.telegram_support import running_standin
from tests.integration.topic_fuzz_messages import Message, bad_messages, valid_events
from tests.support import eventually
from trc.deadletters.tool import DeadLetter, DeadLetterReader

AUTH = AuthSettings(secret="z" * 48)
PARTITIONS = KafkaSettings().partitions  # the services create the topics
SETTLE_TIMEOUT_S = 60.0
SERVICES: dict[str, tuple[Callable[..., FastAPI], type[ServiceSettings]]] = {
    "intake": (create_intake, IntakeSettings),
    "dispatch": (create_dispatch, DispatchSettings),
    "shelter": (create_shelter, ShelterSettings),
    "notify": (create_notify, NotifySettings),
}
CONSUMERS = sorted({c for t in TOPICS for c in t.consumers})
CONSUMED = [(s, t) for s in CONSUMERS for t in topics_consumed_by(s)]


@dataclass(frozen=True)
class Sent:
    message: Message
    offset: int

    @property
    def where(self) -> tuple[int, int]:
        return self.message.partition, self.offset

    def __str__(self) -> str:
        m = self.message
        return f"{m.kind} at {m.partition}:{self.offset} (key {m.key!r:.20})"


@dataclass
class Evidence:
    """What the fuzzed services did, collected once they settled (or the time ran out)."""

    prefix: str
    sent: dict[str, list[Sent]] = field(default_factory=dict)  # by topic
    subscriptions: dict[str, dict[str, Subscription]] = field(default_factory=dict)
    dead_letters: dict[str, list[DeadLetter]] = field(default_factory=dict)  # by source topic
    inbox: dict[str, dict[str, str]] = field(default_factory=dict)  # group → event id → outcome
    behind: dict[str, dict[int, int]] = field(default_factory=dict)  # group → partition
    health: dict[str, dict[str, Any]] = field(default_factory=dict)

    def group(self, service: str, topic: str) -> Subscription:
        return self.subscriptions[service][topic]


def fuzz(seed: int) -> list[Message]:
    rng = random.Random(seed)
    topics = sorted({t for _, t in CONSUMED})
    bad = [m for t in topics for m in bad_messages(rng, t, PARTITIONS)]
    return bad + [m for t in topics for m in valid_events(t, PARTITIONS)]  # valid ones last


async def start_services(stack: AsyncExitStack, kafka: KafkaSettings, data: Path) -> dict[str, Any]:
    telegram = await stack.enter_async_context(running_standin())
    apps = {}
    for service, (create_app, settings_class) in SERVICES.items():
        extra: dict[str, Any] = (
            {"telegram_standin_url": telegram.url} if service == "notify" else {}
        )
        app = create_app(
            settings_class(
                database_url=f"sqlite:///{data / service}.db",
                kafka=kafka,
                auth=AUTH,
                messaging=MessagingSettings(retry_backoff_s=0.01),
                **extra,
            )
        )
        await stack.enter_async_context(app.router.lifespan_context(app))
        apps[service] = app
    await eventually(lambda: all(a.state.platform.connected for a in apps.values()), timeout=60)
    return apps


async def publish(kafka: KafkaSettings, messages: list[Message]) -> dict[str, list[Sent]]:
    sent: dict[str, list[Sent]] = {}
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all")
    await producer.start()
    try:
        for m in messages:  # one at a time: on each partition the valid events come last
            done = await producer.send_and_wait(
                kafka.topic(m.topic), m.value, m.key, m.partition, headers=list(m.headers)
            )
            sent.setdefault(m.topic, []).append(Sent(m, done.offset))
    finally:
        await producer.stop()
    return sent


async def inbox_of(platform: Platform, group: str) -> dict[str, str]:
    async with platform.sessions() as session:
        rows = await session.exec(
            select(InboxEntry.event_id, InboxEntry.outcome).where(col(InboxEntry.consumer) == group)
        )
        return dict(rows.all())


async def unpublished(platform: Platform) -> int:
    async with platform.sessions() as session:
        query = select(func.count()).where(col(OutboxMessage.published_at).is_(None))
        return int((await session.exec(query)).one())


async def behind(kafka: KafkaSettings, evidence: Evidence) -> dict[str, dict[int, int]]:
    """Per group and partition: how many of the fuzzer's messages are past its committed offset
    (the embedded broker's listed end offsets can lag the log, so the sent offsets are the mark)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap)
    await admin.start()
    try:
        found = {}
        for subs in evidence.subscriptions.values():
            for topic, sub in subs.items():
                tps = [TopicPartition(kafka.topic(topic), p) for p in range(PARTITIONS)]
                committed = await admin.list_consumer_group_offsets(
                    sub.kafka_group, partitions=tps
                )
                ends = {p: 0 for p in range(PARTITIONS)}
                for s in evidence.sent.get(topic, []):
                    ends[s.message.partition] = max(ends[s.message.partition], s.offset + 1)
                found[sub.group] = {
                    tp.partition: ends[tp.partition] - committed[tp].offset
                    if tp in committed
                    else ends[tp.partition]
                    for tp in tps
                }
        return found
    finally:
        await admin.close()


async def settle(apps: dict[str, Any], evidence: Evidence, kafka: KafkaSettings) -> None:
    """Until every group has an inbox row per valid event it handles and per bad event, every
    outbox is drained and every group committed up to the end of its partitions."""

    async def done() -> bool:
        for service, subs in evidence.subscriptions.items():
            platform = apps[service].state.platform
            for topic, sub in subs.items():
                seen = await inbox_of(platform, sub.group)
                sent = [s.message for s in evidence.sent.get(topic, [])]
                parked = sum(1 for outcome in seen.values() if outcome == "dead_lettered")
                if parked < sum(1 for m in sent if m.bad):
                    return False
                if any(m.event_id not in seen for m in sent if m.event_type in sub.handled):
                    return False
            if await unpublished(platform):
                return False
        lag = await behind(kafka, evidence)
        return all(n <= 0 for by_partition in lag.values() for n in by_partition.values())

    await eventually(done, timeout=SETTLE_TIMEOUT_S, interval=0.2)
    evidence.behind = await behind(kafka, evidence)


async def collect(apps: dict[str, Any], evidence: Evidence, kafka: KafkaSettings) -> None:
    for service, subs in evidence.subscriptions.items():
        app = apps[service]
        platform: Platform = app.state.platform
        for sub in subs.values():
            evidence.inbox[sub.group] = await inbox_of(platform, sub.group)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            livez, readyz = await client.get("/livez"), await client.get("/readyz")
        evidence.health[service] = {
            "livez": (livez.status_code, livez.json()),
            "readyz": (readyz.status_code, readyz.json()),
            "consumers_running": {
                group: bool(s.running) and not any(t.done() for t in s.tasks)
                for group, s in platform._subscribers
            },
        }
    async with DeadLetterReader(kafka) as reader:
        for topic in {t for _, t in CONSUMED}:
            evidence.dead_letters[topic] = await reader.read_all(
                kafka.topic(dead_letter_topic(topic))
            )


async def fuzz_everything(bootstrap: str, data: Path, seed: int) -> Evidence:
    """Start the four services, fuzz every topic they consume, and tell what they did."""
    kafka = KafkaSettings(
        bootstrap=bootstrap, topic_prefix=f"fz{uuid.uuid4().hex[:8]}.", session_timeout_ms=6000
    )
    evidence = Evidence(prefix=kafka.topic_prefix)
    async with AsyncExitStack() as stack:
        apps = await start_services(stack, kafka, data)
        for service, app in apps.items():
            subs = app.state.platform.subscriptions
            evidence.subscriptions[service] = {t: s for s in subs for t in s.topics}
        evidence.sent = await publish(kafka, fuzz(seed))
        await settle(apps, evidence, kafka)
        await collect(apps, evidence, kafka)
    return evidence
