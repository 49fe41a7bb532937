"""Shelter on the real broker and both databases: a secured incident opens a case per person;
a full section is refused with a shelter that has room; person records are sealed, shown only
to the right roles, and every read is audited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlmodel import select

from services.shelter.app import create_app
from services.shelter.models import Case, PersonAudit
from services.shelter.settings import ShelterSettings
from shared.auth import AuthSettings, Role
from shared.contracts import make_envelope
from shared.contracts.events import IncidentStatusChanged, Location
from shared.contracts.vocabulary import Channel, IncidentState
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.dispatch_support import Tail
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="h" * 48)
REGION = "21.71"
NIK = "2171010101800001"


def headers(role: Role = Role.SHELTER_STAFF, region: str = REGION) -> dict[str, str]:
    return staff_headers(AUTH, role, region, "wati")


@pytest.fixture
async def shelter(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[tuple[Any, httpx.AsyncClient, Tail]]:
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    app = create_app(ShelterSettings(database_url=new_database("shelter"), kafka=kafka, auth=AUTH))
    platform: Platform = app.state.platform
    async with app.router.lifespan_context(app):
        for _ in range(300):
            if platform.connected:
                break
            await asyncio.sleep(0.05)
        tail = Tail(kafka, ["trc.cases.v1"])
        task = asyncio.create_task(tail.run())
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://shelter"
            ) as client:
                yield app, client, tail
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def test_secured_people_become_cases_full_sections_are_refused_and_person_reads_audited(
    shelter: Any,
) -> None:
    app, client, tail = shelter
    platform: Platform = app.state.platform
    secured = IncidentStatusChanged(
        incident_id="inc-1",
        from_state=IncidentState.ON_SCENE,
        to_state=IncidentState.SECURED,
        changed_at=datetime.now(UTC),
        actor="member:m1",
        category="odgj_terlantar",
        people_count=2,
        incident_number="21.71-261122-0001",
        location=Location(kecamatan="Lubuk Baja"),
    )
    producer = AIOKafkaProducer(bootstrap_servers=platform.settings.kafka.bootstrap)
    await producer.start()
    try:
        for _ in range(2):  # told twice (a replay): still one case per person
            envelope = make_envelope(
                secured, producer="dispatch", region_code=REGION, correlation_id="inc-1"
            )
            await producer.send_and_wait(
                platform.settings.kafka.topic("trc.incidents.v1"),
                envelope.to_bytes(),
                key=REGION.encode(),
            )
    finally:
        await producer.stop()
    opened = await tail.wait("case.opened", 2)
    await asyncio.sleep(1)
    assert len(tail.of("case.opened")) == 2 and {o["incident_id"] for o in opened} == {"inc-1"}

    manager = headers(Role.SUPERVISOR)
    for code, name, capacity in (
        ("nilam", "UPT Nilam Suri", 1),
        ("singgah", "Rumah Singgah Batam", 3),
    ):
        made = await client.post(
            f"/api/v1/regions/{REGION}/shelters",
            headers=manager,
            json={
                "code": code,
                "name": name,
                "kind": "upt" if code == "nilam" else "rumah_singgah",
                "sections": [{"section": "odgj_observation", "capacity": capacity}],
            },
        )
        assert made.status_code == 200, made.text
    places = {s["shelter_name"]: s["shelter_id"] for s in made.json()}
    cases = (await client.get(f"/api/v1/regions/{REGION}/cases", headers=headers())).json()
    first, second = sorted(cases, key=lambda c: c["seq"])
    admit = {
        "shelter_id": places["UPT Nilam Suri"],
        "section": "odgj_observation",
        "belongings": ["tas kain"],
    }
    assert (
        await client.post(f"/api/v1/cases/{first['case_id']}/admit", headers=headers(), json=admit)
    ).status_code == 200
    full = await client.post(
        f"/api/v1/cases/{second['case_id']}/admit", headers=headers(), json=admit
    )
    assert full.status_code == 409
    assert full.json()["detail"]["suggestions"][0]["shelter_name"] == "Rumah Singgah Batam"

    person = {
        "name": "Tanpa nama",
        "sex": "male",
        "estimated_age": 40,
        "nik": NIK,
        "identification": "ktp_seen",
    }
    saved = await client.put(
        f"/api/v1/cases/{first['case_id']}/person", headers=headers(), json=person
    )
    assert saved.status_code == 200, saved.text
    read = await client.get(f"/api/v1/cases/{first['case_id']}/person", headers=headers())
    assert read.json()["nik"] == NIK
    refused = await client.get(
        f"/api/v1/cases/{first['case_id']}/person", headers=headers(Role.CALL_CENTER)
    )
    elsewhere = await client.get(
        f"/api/v1/cases/{first['case_id']}/person", headers=headers(region="73.71")
    )
    assert (refused.status_code, elsewhere.status_code) == (403, 404)
    async with platform.sessions() as session:
        audit = [(a.actor, a.action) for a in (await session.exec(select(PersonAudit))).all()]
        stored = (await session.exec(text("SELECT nik_sealed, nik_search FROM person"))).one()  # type: ignore[call-overload]
        admitted = await session.get(Case, first["case_id"])
    assert audit == [("wati", "create"), ("wati", "read")]
    assert NIK not in str(stored) and stored[1] == app.state.vault.search_key(NIK)
    assert (
        admitted is not None
        and admitted.state == "admitted"
        and admitted.belongings == ["tas kain"]
    )
    [moved] = await tail.wait("case.status_changed")
    assert (moved["to_state"], moved["section"]) == ("admitted", "odgj_observation")


async def test_a_referral_to_another_region_arrives_there_and_its_answer_comes_back(
    shelter: Any,
) -> None:
    """Batam refers a person home to Makassar, which runs its shelters on the same system: the
    referral arrives in Makassar as an event, Makassar accepts it (a case awaiting admission
    opens there) and Batam's referral and timeline show the answer. The secured incident's
    channel is kept on the case for the figures."""
    app, client, tail = shelter
    platform: Platform = app.state.platform
    secured = IncidentStatusChanged(
        incident_id="inc-7",
        from_state=IncidentState.ON_SCENE,
        to_state=IncidentState.SECURED,
        changed_at=datetime.now(UTC),
        actor="member:m1",
        category="gepeng",
        people_count=1,
        channel=Channel.PATROL,
    )
    producer = AIOKafkaProducer(bootstrap_servers=platform.settings.kafka.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            platform.settings.kafka.topic("trc.incidents.v1"),
            make_envelope(
                secured, producer="dispatch", region_code=REGION, correlation_id="inc-7"
            ).to_bytes(),
            key=REGION.encode(),
        )
    finally:
        await producer.stop()
    [opened] = await tail.wait("case.opened")
    async with platform.sessions() as session:
        case = await session.get(Case, opened["case_id"])
    assert case is not None and case.channel == "patrol"
    makassar = "73.71"
    made = await client.post(
        f"/api/v1/regions/{makassar}/shelters",
        headers=headers(Role.SUPERVISOR, makassar),
        json={
            "code": "mattirodeceng",
            "name": "UPT Mattirodeceng",
            "kind": "upt",
            "sections": [{"section": "male", "capacity": 10}],
        },
    )
    assert made.status_code == 200, made.text
    sent = await client.post(
        f"/api/v1/cases/{opened['case_id']}/referrals",
        headers=headers(),
        json={
            "to_kind": "region_of_origin",
            "to_region_code": makassar,
            "reason": "Berasal dari Makassar; keluarga ditemukan",
        },
    )
    assert sent.status_code == 200, sent.text
    [referred] = await tail.wait("case.referred")
    assert referred["to_region_code"] == makassar and "name" not in referred

    async def incoming() -> list[dict[str, Any]]:
        answer = await client.get(
            f"/api/v1/regions/{makassar}/referrals",
            params={"direction": "incoming"},
            headers=headers(region=makassar),
        )
        return list(answer.json())

    for _ in range(100):
        if found := await incoming():
            break
        await asyncio.sleep(0.1)
    [received] = found
    assert (received["origin_region_code"], received["state"]) == (REGION, "pending")
    answered = await client.post(
        f"/api/v1/referrals/{received['referral_id']}/answer",
        headers=headers(region=makassar),
        json={"accepted": True, "reason": "Diterima; dijemput di pelabuhan"},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["case_id"]  # a case awaiting admission in Makassar
    await tail.wait("case.referral_answered")

    async def ours() -> dict[str, Any]:
        answer = await client.get(
            f"/api/v1/regions/{REGION}/referrals",
            params={"direction": "outgoing"},
            headers=headers(),
        )
        return dict(answer.json()[0])

    for _ in range(100):
        if (mine := await ours())["state"] != "pending":
            break
        await asyncio.sleep(0.1)
    assert (mine["state"], mine["answered_by"]) == ("accepted", f"region:{makassar}")
    timeline = (await client.get(f"/api/v1/cases/{opened['case_id']}", headers=headers())).json()
    assert timeline["timeline"][-1]["detail"]["reason"] == "Diterima; dijemput di pelabuhan"
    there = (
        await client.get(f"/api/v1/regions/{makassar}/cases", headers=headers(region=makassar))
    ).json()
    assert [(c["state"], c["category"]) for c in there] == [("awaiting_admission", "gepeng")]
