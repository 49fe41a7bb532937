"""Reports accepted per second by intake, over HTTP (the webhook, until the report and its event
are committed) and over the Kafka ingress (until the report is committed), with per-request
latency, on SQLite and PostgreSQL, beside the bare aiokafka ceiling measured in the same run."""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlmodel import func, select

from bench.baselines import bare_run
from bench.databases import Database, drop_postgres_databases, selected
from bench.platform import percentile
from services.intake.apikeys import create_key
from services.intake.app import create_app
from services.intake.models import Report
from services.intake.settings import IntakeSettings
from shared.auth import AuthSettings
from shared.contracts import make_envelope
from shared.contracts.events import Location, ReportSubmitted
from shared.logging import configure_logging
from shared.platform import Platform
from shared.settings import KafkaSettings
from trc.embedded.broker import EmbeddedBroker, free_port

TEXTS = [
    "Ada ODGJ ngamuk di depan ruko Simpang Jam, warga takut",
    "Gelandangan tidur di halte Sei Panas tiap malam",
    "Anak2 ngamen di lampu merah Bundaran Madani sampai malam",
    "Nenek tua tidur di emperan toko Pasar Jodoh, tampak lemas",
]


def post(n: int) -> dict[str, Any]:
    return {
        "platform": "x",
        "post_id": f"{uuid.uuid4().hex}-{n}",
        "text": TEXTS[n % len(TEXTS)] + f" ({n})",
        "posted_at": datetime.now(UTC).isoformat(),
    }


def submitted(n: int) -> bytes:
    payload = ReportSubmitted(
        source_system="112-bench",
        external_ref=f"{uuid.uuid4().hex}-{n}",
        description=TEXTS[n % 4],
        location=Location(kecamatan="Batam Kota", kelurahan="Belian"),
        reported_at=datetime.now(UTC),
    )
    return make_envelope(
        payload, producer="112-bench", region_code="21.71", correlation_id=payload.external_ref
    ).to_bytes()


async def reports(platform: Platform) -> int:
    async with platform.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(Report))).one())


async def http_run(app: Any, key: str, count: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(count):
            queue.put_nowait(n)

        async def worker() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/webhooks/social", json=post(n), headers={"X-API-Key": key}
                )
                latencies.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 201, response.text

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return count / elapsed, latencies


async def kafka_run(platform: Platform, count: int, samples: int) -> tuple[float, list[float]]:
    kafka = platform.settings.kafka
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all", linger_ms=1)
    await producer.start()
    topic = kafka.topic("trc.ingress.reports.v1")
    try:
        before = await reports(platform)
        values = [submitted(n) for n in range(count)]
        started = time.perf_counter()
        futures = [await producer.send(topic, v, key=b"21.71") for v in values]
        await asyncio.gather(*futures)
        while await reports(platform) < before + count:
            await asyncio.sleep(0.01)
        rate = count / (time.perf_counter() - started)
        latencies = []
        for n in range(samples):
            target = await reports(platform) + 1
            sent = time.perf_counter()
            await producer.send_and_wait(topic, submitted(count + n), key=b"21.71")
            while await reports(platform) < target:
                await asyncio.sleep(0.001)
            latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        await producer.stop()
    return rate, latencies


async def measure(database: Database, bootstrap: str, args: argparse.Namespace) -> dict[str, float]:
    settings = IntakeSettings(
        database_url=await database.make_url("intake"),
        auth=AuthSettings(secret="b" * 48),
        webhook_rate_limit="1000000/minute",
        kafka=KafkaSettings(
            bootstrap=bootstrap, topic_prefix=f"bi{uuid.uuid4().hex[:6]}.", session_timeout_ms=6000
        ),
    )
    app = create_app(settings)
    platform: Platform = app.state.platform
    async with app.router.lifespan_context(app):
        while not platform.connected:
            await asyncio.sleep(0.05)
        async with platform.sessions() as session:
            _, key = await create_key(session, name="bench", region_code="21.71")
            await session.commit()
        await http_run(app, key, 50, args.concurrency)  # warm-up
        http_rate, http_lat = await http_run(app, key, args.reports, args.concurrency)
        _, one_lat = await http_run(app, key, max(args.latency_samples, 3), 1)  # one at a time
        kafka_rate, kafka_lat = await kafka_run(platform, args.reports, args.latency_samples)
    kind = database.kind
    print(
        f"{kind}: HTTP webhook {http_rate:,.0f} reports/s ({args.concurrency} clients) "
        f"p50 {percentile(http_lat, 50):.1f} ms p99 {percentile(http_lat, 99):.1f} ms; one "
        f"report at a time p50 {percentile(one_lat, 50):.1f} ms p99 {percentile(one_lat, 99):.1f} "
        f"ms | "
        f"Kafka ingress {kafka_rate:,.0f} reports/s, one report p50 "
        f"{percentile(kafka_lat, 50):.1f} ms p99 {percentile(kafka_lat, 99):.1f} ms"
    )
    return {
        f"{kind}_http_rps": http_rate,
        f"{kind}_http_p50_ms": percentile(http_lat, 50),
        f"{kind}_http_p99_ms": percentile(http_lat, 99),
        f"{kind}_http_one_p50_ms": percentile(one_lat, 50),
        f"{kind}_http_one_p99_ms": percentile(one_lat, 99),
        f"{kind}_kafka_rps": kafka_rate,
        f"{kind}_kafka_p50_ms": percentile(kafka_lat, 50),
        f"{kind}_kafka_p99_ms": percentile(kafka_lat, 99),
    }


async def main(args: argparse.Namespace) -> None:
    configure_logging("ERROR")
    databases = await selected(args.databases)
    summary: dict[str, float] = {}
    with EmbeddedBroker(port=free_port()) as broker:
        ceiling = await bare_run(broker.bootstrap, args.reports, None)
        print(
            f"ceiling (bare aiokafka, {args.reports} events, no database): {ceiling:,.0f} events/s"
        )
        summary["ceiling"] = ceiling
        try:
            for database in databases:
                summary |= await measure(database, broker.bootstrap, args)
        finally:
            await drop_postgres_databases()
    ratios = [v / ceiling for k, v in summary.items() if k.endswith("_kafka_rps")]
    figures = " ".join(
        f"{k}={v:.1f}" if k.endswith("_ms") else f"{k}={v:.0f}" for k, v in summary.items()
    )
    print(f"bench intake: {figures} ratio={min(ratios) if ratios else float('nan'):.3f}")
