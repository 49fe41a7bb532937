"""The intake service on the real broker: the webhook and the Kafka ingress each turn one input
into one report and one ``report.received`` for dispatch; bad input is refused or parked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlmodel import select

from services.intake.api import WebhookLimiter
from services.intake.apikeys import create_key, revoke_key
from services.intake.app import create_app
from services.intake.models import Report
from services.intake.settings import IntakeSettings
from shared.contracts import make_envelope
from shared.contracts.events import Location, ReportSubmitted
from shared.platform import Platform
from shared.settings import KafkaSettings

pytestmark = pytest.mark.integration
POST = {
    "platform": "x",
    "post_id": "1850001",
    "author_handle": "@warga_batam",
    "text": "Ada ODGJ ngamuk di depan ruko Simpang Jam, warga takut",
    "posted_at": "2026-11-22T13:00:00Z",
}


@pytest.fixture
async def intake(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[tuple[Platform, httpx.AsyncClient]]:
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    app = create_app(IntakeSettings(database_url=new_database("intake"), kafka=kafka))
    platform: Platform = app.state.platform
    async with app.router.lifespan_context(app):
        for _ in range(300):
            if platform.connected:
                break
            await asyncio.sleep(0.05)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            yield platform, client


async def new_key(platform: Platform) -> tuple[str, str]:
    async with platform.sessions() as session:
        record, key = await create_key(session, name="social-monitor", region_code="21.71")
        await session.commit()
    return record.id, key


async def read(kafka: KafkaSettings, topic: str, expected: int, timeout: float = 20) -> list[Any]:
    consumer = AIOKafkaConsumer(
        kafka.topic(topic),
        bootstrap_servers=kafka.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found) < expected and asyncio.get_running_loop().time() < deadline:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                found.extend(records)
    finally:
        await consumer.stop()
    return found


async def test_a_social_post_becomes_one_report_for_dispatch(intake) -> None:
    platform, client = intake
    _, key = await new_key(platform)
    first = await client.post("/api/v1/webhooks/social", json=POST, headers={"X-API-Key": key})
    again = await client.post("/api/v1/webhooks/social", json=POST, headers={"X-API-Key": key})
    assert first.status_code == 201, first.text
    assert again.status_code == 200
    body = first.json()
    assert (body["category"], body["priority"], body["status"]) == ("odgj_terlantar", "P1", "open")
    assert again.json()["report_id"] == body["report_id"]
    [record] = await read(platform.settings.kafka, "trc.reports.v1", 1)
    event = json.loads(record.value)
    assert record.key == b"21.71"
    assert (event["event_type"], event["payload"]["report_id"]) == (
        "report.received",
        body["report_id"],
    )
    assert "warga_batam" not in record.value.decode()


async def test_the_webhook_refuses_missing_wrong_and_revoked_keys(intake) -> None:
    platform, client = intake
    key_id, key = await new_key(platform)
    assert (await client.post("/api/v1/webhooks/social", json=POST)).status_code == 401
    wrong = await client.post(
        "/api/v1/webhooks/social", json=POST, headers={"X-API-Key": key + "x"}
    )
    assert wrong.status_code == 401
    async with platform.sessions() as session:
        assert await revoke_key(session, key_id)
        await session.commit()
    revoked = await client.post("/api/v1/webhooks/social", json=POST, headers={"X-API-Key": key})
    assert revoked.status_code == 401


async def test_a_malformed_post_is_refused_naming_the_field_and_nothing_is_stored(intake) -> None:
    platform, client = intake
    _, key = await new_key(platform)
    bad = {**POST, "posted_at": "yesterday"}
    response = await client.post("/api/v1/webhooks/social", json=bad, headers={"X-API-Key": key})
    assert response.status_code == 422
    assert "posted_at" in response.text
    async with platform.sessions() as session:
        assert (await session.exec(select(Report))).all() == []


async def test_the_kafka_ingress_accepts_a_112_handoff_and_parks_an_invalid_one(intake) -> None:
    platform, _ = intake
    kafka = platform.settings.kafka
    good = ReportSubmitted(
        source_system="112-batam",
        external_ref="112-0001",
        category="anak_terlantar",
        description="Anak kecil sendirian menangis di Pasar Aviari malam ini",
        location=Location(kecamatan="Batu Aji", kelurahan="Buliang"),
        people_count=1,
        reported_at=datetime(2026, 11, 22, 14, 30, tzinfo=UTC),
        reporter_name="Budi",
        reporter_phone="081234567890",
    )
    bad = good.model_copy(update={"external_ref": "112-0002", "category": "alien"})
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
    await producer.start()
    try:
        for payload in (good, bad):
            envelope = make_envelope(
                payload,
                producer="112-batam",
                region_code="21.71",
                correlation_id=payload.external_ref,
            )
            await producer.send_and_wait(
                kafka.topic("trc.ingress.reports.v1"), envelope.to_bytes(), key=b"21.71"
            )
    finally:
        await producer.stop()

    [received] = await read(kafka, "trc.reports.v1", 1, timeout=30)
    event = json.loads(received.value)
    assert (event["payload"]["channel"], event["payload"]["priority"]) == ("integration", "P1")
    assert "Budi" not in received.value.decode()
    [dead] = await read(kafka, "trc.ingress.reports.v1.dlt", 1, timeout=30)
    headers = dict(dead.headers)
    assert headers["trc-dlt-reason"] == b"invalid"
    assert b"category" in headers["trc-dlt-error"]
    async with platform.sessions() as session:
        reports = (await session.exec(select(Report))).all()
    assert [r.source_ref for r in reports] == ["112-batam:112-0001"]
    assert reports[0].reporter_phone == "+6281234567890"


async def test_the_webhook_slows_down_a_runaway_integration(intake) -> None:
    platform, client = intake
    _, key = await new_key(platform)
    client._transport.app.state.webhook_limiter = WebhookLimiter("3/minute")  # type: ignore[attr-defined]
    answers = []
    for n in range(5):
        post = {**POST, "post_id": f"burst-{n}"}
        answers.append(
            (
                await client.post("/api/v1/webhooks/social", json=post, headers={"X-API-Key": key})
            ).status_code
        )
    assert answers == [201, 201, 201, 429, 429]
