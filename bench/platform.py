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
import statistics
import time
import uuid
from typing import Any

from sqlmodel import Field, SQLModel, func, select

from bench.baselines import WRITE_BATCH, HandWritten, bare_run
from bench.databases import drop_postgres_databases, selected
from bench.samples import sample_bytes, sample_payload
from shared.logging import configure_logging
from shared.messaging.consumer import ConsumerHooks
from shared.messaging.handler import HandlerContext
from shared.platform import Platform, build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings
from trc.embedded.broker import EmbeddedBroker, free_port


class BenchEffect(SQLModel, table=True):
    """One row per handled event. A client-made key (as the services use: UUIDv7 ids) lets the
    ORM insert a batch in one statement; an autoincrement key costs a round trip per row on
    SQLite (RETURNING cannot be batched there)."""

    __tablename__ = "bench_effect"
    event_id: str = Field(primary_key=True)


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


# ------------------------------------------------------------------ main
async def main(args: argparse.Namespace) -> None:
    configure_logging("ERROR")
    databases = await selected(args.databases)
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
