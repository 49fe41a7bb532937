"""Events/s through outbox → relay → broker → idempotent consumer, against two baselines.

All three runs use the same embedded broker, message count and message bytes:

* ceiling      — bare aiokafka producer + consumer (getmany, one offset commit per batch), no DB
* hand-written — the same, the consumer writing one row per message in one transaction per batch
* reliable     — the platform: events written through the outbox (one transaction per batch of
                 writes), published by the relay, consumed by the FastStream idempotent consumer
                 (inbox + effect in one transaction, offsets committed after it)

The summary ratio is reliable / hand-written (the lower of the databases measured).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Field, SQLModel, func, select

from shared import db
from shared.contracts import make_envelope
from shared.contracts.events import Location, ReportReceived
from shared.contracts.vocabulary import Channel, Priority
from shared.db import UtcDateTime
from shared.embedded.broker import EmbeddedBroker, free_port
from shared.logging import configure_logging
from shared.messaging.consumer import ConsumerHooks
from shared.messaging.handler import HandlerContext
from shared.platform import Platform, build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings

WRITE_BATCH = 100  # events per producer-side transaction in the reliable run
POSTGRES_URL = os.environ.get(
    "TRC_BENCH_POSTGRES_URL",
    os.environ.get("TRC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)


class BenchEffect(SQLModel, table=True):
    """One row per handled event. A client-made key (as the services use: UUIDv7 ids) lets the
    ORM insert a batch in one statement; an autoincrement key costs a round trip per row on
    SQLite (RETURNING cannot be batched there)."""

    __tablename__ = "bench_effect"
    event_id: str = Field(primary_key=True)


HAND_METADATA = MetaData()
HANDWRITTEN = Table(
    "bench_handwritten_effect",
    HAND_METADATA,
    Column("event_id", String(64), primary_key=True),
)
HAND_INBOX = Table(
    "bench_handwritten_inbox", HAND_METADATA, Column("event_id", String(64), primary_key=True)
)
HAND_OUTBOX = Table(
    "bench_handwritten_outbox",
    HAND_METADATA,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("topic", String(255), nullable=False),
    Column("key", LargeBinary),
    Column("value", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
)


def sample_payload(seq: int) -> ReportReceived:
    return ReportReceived(
        report_id=f"rep-{seq:08d}",
        channel=Channel.CALL_CENTER,
        category="gelandangan",
        priority=Priority.P3,
        description="Seorang lansia tidur di emperan toko, tampak lemah dan belum makan.",
        location=Location(
            address="Jl. Raden Patah", kecamatan="Lubuk Baja", kelurahan="Kampung Pelita"
        ),
        people_count=1,
        received_at="2026-11-22T13:05:00Z",
    )


def sample_bytes(seq: int) -> bytes:
    envelope = make_envelope(
        sample_payload(seq), producer="intake", region_code="21.71", correlation_id=f"rep-{seq}"
    )
    return envelope.to_bytes()


@dataclass
class Database:
    kind: str
    make_url: Callable[[str], Awaitable[str]]


# ------------------------------------------------------------------ baselines (bare aiokafka)
def plain_event_bytes(seq: int) -> bytes:
    """The hand-written producer builds the same JSON without pydantic."""
    return json.dumps(
        {
            "event_id": str(uuid.uuid4()),
            "event_type": "report.received",
            "version": 1,
            "occurred_at": "2026-11-22T13:05:00Z",
            "producer": "intake",
            "region_code": "21.71",
            "correlation_id": f"rep-{seq}",
            "payload": sample_payload(seq).model_dump(mode="json"),
        },
        separators=(",", ":"),
    ).encode()


class HandWritten:
    """Outbox and inbox by hand: the same rows, one transaction per batch, no framework."""

    def __init__(self, producer_url: str, consumer_url: str) -> None:
        self.producer_engine = db.create_engine(producer_url)
        self.consumer_engine = db.create_engine(consumer_url)

    async def setup(self) -> None:
        async with self.producer_engine.begin() as conn:
            await conn.run_sync(HANDWRITTEN.metadata.create_all)
        async with self.consumer_engine.begin() as conn:
            await conn.run_sync(HANDWRITTEN.metadata.create_all)

    async def produce(self, producer: AIOKafkaProducer, topic: str, seqs: range) -> None:
        now = datetime.now(UTC)
        rows = [
            {
                "event_id": str(uuid.uuid4()),
                "topic": topic,
                "key": b"21.71",
                "value": plain_event_bytes(seq),
                "created_at": now,
            }
            for seq in seqs
        ]
        async with self.producer_engine.begin() as conn:
            result = await conn.execute(insert(HAND_OUTBOX).returning(HAND_OUTBOX.c.id), rows)
            ids = [r[0] for r in result]
        futures = [await producer.send(topic, r["value"], key=r["key"]) for r in rows]
        await asyncio.gather(*futures)
        async with self.producer_engine.begin() as conn:
            await conn.execute(
                update(HAND_OUTBOX).where(HAND_OUTBOX.c.id.in_(ids)).values(published_at=now)
            )

    async def consume(self, records: list[Any]) -> None:
        ids = [json.loads(r.value)["event_id"] for r in records]
        async with self.consumer_engine.begin() as conn:
            seen = {
                r[0]
                for r in await conn.execute(
                    sa_select(HAND_INBOX.c.event_id).where(HAND_INBOX.c.event_id.in_(ids))
                )
            }
            fresh = [i for i in ids if i not in seen]
            if fresh:
                await conn.execute(insert(HAND_INBOX), [{"event_id": i} for i in fresh])
                await conn.execute(insert(HANDWRITTEN), [{"event_id": i} for i in fresh])

    async def dispose(self) -> None:
        await self.producer_engine.dispose()
        await self.consumer_engine.dispose()


async def bare_run(bootstrap: str, events: int, hand: HandWritten | None) -> float:
    topic = f"bench.{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        linger_ms=1,
        max_batch_size=256 * 1024,
        enable_idempotence=False,
    )
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=topic,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=10,
        session_timeout_ms=6000,
        heartbeat_interval_ms=1500,
    )
    await producer.start()
    await consumer.start()
    values = [plain_event_bytes(i) for i in range(events)] if hand is None else []
    try:
        await producer.send_and_wait(topic, plain_event_bytes(-1), key=b"21.71")
        while not await consumer.getmany(timeout_ms=100):
            pass
        await consumer.commit()
        started = time.perf_counter()

        async def send_all() -> None:
            if hand is not None:
                for first in range(0, events, WRITE_BATCH):
                    await hand.produce(
                        producer, topic, range(first, min(first + WRITE_BATCH, events))
                    )
                return
            futures = [await producer.send(topic, v, key=b"21.71") for v in values]
            await asyncio.gather(*futures)

        sender = asyncio.create_task(send_all())
        received = 0
        while received < events:
            batches = await consumer.getmany(timeout_ms=100, max_records=1000)
            records = [r for rs in batches.values() for r in rs]
            if not records:
                continue
            if hand is not None:
                await hand.consume(records)
            await consumer.commit()
            received += len(records)
        elapsed = time.perf_counter() - started
        await sender
        return events / elapsed
    finally:
        await consumer.stop()
        await producer.stop()


# ------------------------------------------------------------------ the platform
async def start_platforms(
    bootstrap: str, producer_url: str, consumer_url: str, hooks: ConsumerHooks | None = None
) -> tuple[Platform, Platform]:
    kafka = KafkaSettings(
        bootstrap=bootstrap,
        topic_prefix=f"b{uuid.uuid4().hex[:8]}.",
        session_timeout_ms=6000,
        partitions=1,
    )
    messaging = MessagingSettings()
    producer = build_platform(
        ServiceSettings(
            service_name="intake", database_url=producer_url, kafka=kafka, messaging=messaging
        )
    )
    consumer = build_platform(
        ServiceSettings(
            service_name="dispatch", database_url=consumer_url, kafka=kafka, messaging=messaging
        ),
        tables=[BenchEffect.__table__],  # type: ignore[attr-defined]
    )

    async def on_report(ctx: HandlerContext) -> None:
        ctx.insert(BenchEffect, event_id=ctx.envelope.event_id)

    consumer.consume("reports", ["trc.reports.v1"], {"report.received": on_report}, hooks=hooks)
    for platform in (producer, consumer):
        await platform.migrate()
        await platform.start()
    while not consumer.connected:
        await asyncio.sleep(0.05)
    return producer, consumer


async def effects(consumer: Platform) -> int:
    async with consumer.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(BenchEffect))).one())


async def reliable_run(bootstrap: str, producer_url: str, consumer_url: str, events: int) -> float:
    producer, consumer = await start_platforms(bootstrap, producer_url, consumer_url)
    try:
        await write_events(producer, range(1))  # warm-up: topics, group join, first fetch
        while await effects(consumer) < 1:
            await asyncio.sleep(0.02)
        started = time.perf_counter()
        for first in range(1, events + 1, WRITE_BATCH):
            await write_events(producer, range(first, min(first + WRITE_BATCH, events + 1)))
        while await effects(consumer) < events + 1:
            await asyncio.sleep(0.01)
        return events / (time.perf_counter() - started)
    finally:
        await producer.stop()
        await consumer.stop()


async def write_events(producer: Platform, seqs: range) -> None:
    async with producer.uow() as uow:
        for seq in seqs:
            uow.emit(sample_payload(seq), region_code="21.71", correlation_id=f"rep-{seq}")
        await uow.commit()


async def latency_run(
    bootstrap: str, producer_url: str, consumer_url: str, samples: int
) -> list[float]:
    done: dict[str, float] = {}
    arrived = asyncio.Event()

    def after_commit(records: Any) -> None:
        now = time.perf_counter()
        for record in records:
            done[json.loads(record.value)["event_id"]] = now
        arrived.set()

    producer, consumer = await start_platforms(
        bootstrap, producer_url, consumer_url, ConsumerHooks(after_commit=after_commit)
    )
    latencies: list[float] = []
    try:
        for seq in range(samples + 5):
            arrived.clear()
            async with producer.uow() as uow:
                envelope = uow.emit(sample_payload(seq), region_code="21.71", correlation_id="x")
                await uow.commit()
            committed = time.perf_counter()
            while envelope.event_id not in done:
                await asyncio.wait_for(arrived.wait(), 10)
                arrived.clear()
            if seq >= 5:  # the first few warm the path
                latencies.append((done[envelope.event_id] - committed) * 1000)
    finally:
        await producer.stop()
        await consumer.stop()
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# ------------------------------------------------------------------ databases
async def postgres_database(name: str) -> str:
    import asyncpg

    admin = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    database = f"trc_bench_{name}_{uuid.uuid4().hex[:6]}"
    conn = await asyncpg.connect(admin, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    CREATED_PG.append(database)
    return f"{POSTGRES_URL.rpartition('/')[0]}/{database}"


CREATED_PG: list[str] = []


async def drop_postgres_databases() -> None:
    if not CREATED_PG:
        return
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for database in CREATED_PG:
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


async def postgres_reachable() -> bool:
    try:
        import asyncpg

        conn = await asyncpg.connect(
            POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=3
        )
        await conn.close()
        return True
    except Exception:
        return False


# ------------------------------------------------------------------ main
async def main(args: argparse.Namespace) -> None:
    configure_logging("ERROR")
    tmp = Path(tempfile.mkdtemp(prefix="trc-bench-"))

    async def sqlite_database(name: str) -> str:
        return f"sqlite:///{tmp}/{name}-{uuid.uuid4().hex[:6]}.db"

    databases = []
    for kind in args.databases.split(","):
        if kind == "sqlite":
            databases.append(Database("sqlite", sqlite_database))
        elif kind == "postgresql":
            if await postgres_reachable():
                databases.append(Database("postgresql", postgres_database))
            else:
                print(f"postgresql: not reachable at {POSTGRES_URL}; skipped")
    summary: dict[str, float] = {}
    with EmbeddedBroker(port=free_port()) as broker:
        print(
            f"broker: embedded Tansu (memory) at {broker.bootstrap}; {args.events} events of "
            f"{len(sample_bytes(0))} bytes per run; writes in transactions of {WRITE_BATCH}"
        )
        ceiling = await bare_run(broker.bootstrap, args.events, None)
        print(f"ceiling (bare aiokafka, no database): {ceiling:,.0f} events/s")
        summary["ceiling"] = ceiling
        try:
            for database in databases:
                handwritten = HandWritten(
                    await database.make_url("hp"), await database.make_url("hc")
                )
                await handwritten.setup()
                try:
                    hand = await bare_run(broker.bootstrap, args.events, handwritten)
                finally:
                    await handwritten.dispose()
                reliable = await reliable_run(
                    broker.bootstrap,
                    await database.make_url("p"),
                    await database.make_url("c"),
                    args.events,
                )
                latencies = await latency_run(
                    broker.bootstrap,
                    await database.make_url("lp"),
                    await database.make_url("lc"),
                    args.latency_samples,
                )
                ratio = reliable / hand
                p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
                print(
                    f"{database.kind}: hand-written {hand:,.0f} events/s | reliable {reliable:,.0f} "
                    f"events/s | reliable/hand-written {ratio:.2f} | reliable/ceiling "
                    f"{reliable / ceiling:.2f} | one event outbox commit → effect committed "
                    f"p50 {p50:.1f} ms p99 {p99:.1f} ms (mean {statistics.mean(latencies):.1f})"
                )
                summary[f"{database.kind}_handwritten"] = hand
                summary[f"{database.kind}_reliable"] = reliable
                summary[f"{database.kind}_ratio"] = ratio
                summary[f"{database.kind}_p50_ms"] = p50
                summary[f"{database.kind}_p99_ms"] = p99
        finally:
            await drop_postgres_databases()
    ratios = [v for k, v in summary.items() if k.endswith("_ratio")]
    figures = " ".join(
        f"{k}={v:.2f}" if k.endswith(("_ratio", "_ms")) else f"{k}={v:.0f}"
        for k, v in summary.items()
    )
    print(f"bench platform: {figures} ratio={min(ratios) if ratios else float('nan'):.2f}")
