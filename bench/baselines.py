"""The two baselines: bare aiokafka (the ceiling) and the outbox/inbox written by hand.

Both use the same broker, message count and message bytes as the platform run.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, insert, update
from sqlalchemy import select as sa_select

from bench.samples import sample_payload
from shared import db
from shared.db import UtcDateTime

WRITE_BATCH = 100  # events per producer-side transaction, in every run

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
