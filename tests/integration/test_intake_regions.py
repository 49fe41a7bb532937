"""Unknown regions are refused at the door by every channel: the call-center API (422), the
social-media webhook (422), the Kafka ingress (a dead letter with the reason), and dispatch's
consumer (a dead letter, no retries); a known region without a department's own data still has
the national list's places."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlmodel import select

from services.intake.app import create_app
from services.intake.models import ApiKey, Report
from services.intake.settings import IntakeSettings
from shared.auth import AuthSettings, Role
from shared.contracts import make_envelope
from shared.contracts.events import Location, ReportSubmitted
from shared.messaging.decoding import decode_record
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.test_intake_service import POST, intake, new_key, read  # noqa: F401
from tests.support import consumer_record, staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="r" * 48)
UNKNOWN = {
    "99.99": "unknown region '99.99': no province '99'",
    "73.99": "unknown region '73.99': no kabupaten/kota with this code in Sulawesi Selatan",
}


@pytest.fixture
async def client(new_database: Any) -> AsyncIterator[tuple[Platform, httpx.AsyncClient]]:
    settings = IntakeSettings(
        database_url=new_database("intake"),
        auth=AUTH,
        kafka=KafkaSettings(bootstrap="127.0.0.1:1"),  # HTTP only: the relay just retries
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as c:
            yield app.state.platform, c


async def reports(platform: Platform) -> list[Report]:
    async with platform.sessions() as session:
        return list((await session.exec(select(Report))).all())


@pytest.mark.parametrize("code", sorted(UNKNOWN))
async def test_the_call_center_api_refuses_an_unknown_region_with_the_reason(
    client, code: str
) -> None:
    platform, http = client
    body = {"region_code": code, "description": "ODGJ di depan pasar, warga takut"}
    headers = staff_headers(AUTH, Role.CALL_CENTER, (code[:2], "21.71"))
    response = await http.post("/api/v1/reports", json=body, headers=headers)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "region_code"]
    assert UNKNOWN[code] in error["msg"] and "tidak dikenal" in error["msg"]
    assert await reports(platform) == []


@pytest.mark.parametrize("code", sorted(UNKNOWN))
async def test_the_webhook_refuses_a_key_issued_for_an_unknown_region(client, code: str) -> None:
    platform, http = client
    _, key = await new_key(platform)
    async with platform.sessions() as session:  # a key from before regions were checked
        record = (await session.exec(select(ApiKey))).one()
        record.region_code = code
        session.add(record)
        await session.commit()
    response = await http.post("/api/v1/webhooks/social", json=POST, headers={"X-API-Key": key})
    assert response.status_code == 422, response.text
    assert UNKNOWN[code] in response.text
    assert await reports(platform) == []


async def test_a_region_without_department_data_has_the_national_places(client) -> None:
    platform, http = client
    headers = staff_headers(AUTH, Role.CALL_CENTER, "32.12")
    listed = (await http.get("/api/v1/reference/regions", headers=headers)).json()
    assert [(r["region_code"], r["name"], r["zone_label"]) for r in listed] == [
        ("32.12", "Kabupaten Indramayu", "WIB")
    ]
    places = (await http.get("/api/v1/reference/regions/32.12", headers=headers)).json()
    assert places["sample"] is False and len(places["kecamatan"]) == 31
    assert places["village_word"] == "desa"  # a kabupaten: the page says Desa, not Kelurahan
    haurgeulis = next(k for k in places["kecamatan"] if k["name"] == "Haurgeulis")
    assert haurgeulis["code"] == "32.12.01" and "Sukajati" in haurgeulis["kelurahan"]
    body = {"region_code": "32.12", "description": "Lansia terlantar tidur di emper toko"}
    saved = await http.post(
        "/api/v1/reports", json={**body, "location": {"address": "Jl. Siliwangi"}}, headers=headers
    )
    assert saved.status_code == 201, saved.text
    assert [r.region_code for r in await reports(platform)] == ["32.12"]


def _ingress_bytes(code: str, ref: str) -> bytes:
    """A 112 hand-off as another system would send it, for a region code we may not know."""
    payload = ReportSubmitted(
        source_system="112-batam",
        external_ref=ref,
        category="anak_terlantar",
        description="Anak kecil sendirian menangis di Pasar Aviari malam ini",
        location=Location(kecamatan="Batu Aji", kelurahan="Buliang"),
        reported_at="2026-11-22T14:30:00Z",  # type: ignore[arg-type]
    )
    envelope = make_envelope(payload, producer="112", region_code="21.71", correlation_id=ref)
    return json.dumps({**envelope.model_dump(mode="json"), "region_code": code}).encode()


async def test_the_kafka_ingress_parks_unknown_regions_with_the_reason(intake) -> None:  # noqa: F811
    platform, _ = intake
    kafka = platform.settings.kafka
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
    await producer.start()
    try:
        for n, code in enumerate(sorted(UNKNOWN)):
            await producer.send_and_wait(
                kafka.topic("trc.ingress.reports.v1"), _ingress_bytes(code, f"112-{n}"), key=b"x"
            )
    finally:
        await producer.stop()
    dead = await read(kafka, "trc.ingress.reports.v1.dlt", 2, timeout=30)
    errors = sorted(dict(d.headers)["trc-dlt-error"].decode() for d in dead)
    assert [dict(d.headers)["trc-dlt-reason"] for d in dead] == [b"invalid", b"invalid"]
    assert [dict(d.headers)["trc-dlt-attempts"] for d in dead] == [b"1", b"1"]
    for error, code in zip(errors, sorted(UNKNOWN), strict=True):
        assert "region_code" in error and UNKNOWN[code] in error
    assert await reports(platform) == []
    assert await read(kafka, "trc.reports.v1", 1, timeout=1) == []


@pytest.mark.parametrize("code", sorted(UNKNOWN))
def test_dispatch_reads_a_report_for_an_unknown_region_as_invalid_with_the_reason(
    code: str,
) -> None:
    """What every consumer (dispatch's included) decodes: invalid at once, so it is parked
    without retries and without an ERROR (the consumer's ``message_invalid`` path)."""
    raw = json.loads(_ingress_bytes(code, "r1"))
    raw |= {"event_type": "report.received", "producer": "intake"}
    decoded = decode_record(consumer_record(json.dumps(raw).encode()), "")
    assert decoded.payload is None and decoded.error is not None
    assert UNKNOWN[code] in decoded.error
