"""Linking across services on the real broker: intake decides what joins what, dispatch keeps
every person counted, an operator's split becomes an incident of its own with the reason in both
timelines, and shelter opens a case for a person who joins a secured incident."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlmodel import select

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from services.shelter.cases.lifecycle import on_incident_secured
from services.shelter.cases.store import SqlCaseStore
from services.shelter.models import TABLES as SHELTER_TABLES
from services.shelter.models import Case
from shared import db
from shared.auth import Role, Staff, issue_token
from shared.contracts import make_envelope
from shared.contracts.events import IncidentStatusChanged, Location, ReportSubmitted
from shared.messaging.tables import PLATFORM_TABLES
from shared.settings import KafkaSettings
from tests.integration.dispatch_support import (
    AUTH,
    REGION,
    Dispatch,
    running_dispatch,
    set_up_batam,
)

pytestmark = pytest.mark.integration
TODAY = "2026-11-22"
EVERY_TEAM = [{"day": TODAY, "shift": "pagi", "team_code": code} for code in "ABC"]


@pytest.fixture
async def stack(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Dispatch]]:
    """Intake (HTTP and the Kafka ingress) feeding dispatch, on one broker."""
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    intake = create_app(IntakeSettings(database_url=new_database("intake"), kafka=kafka, auth=AUTH))
    dispatch = running_dispatch(kafka_bootstrap, topic_prefix, new_database("dispatch"))
    async with dispatch as d, intake.router.lifespan_context(intake):
        for _ in range(300):
            if intake.state.platform.connected:
                break
            await asyncio.sleep(0.05)
        transport = httpx.ASGITransport(app=intake)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as c:
            c.headers["Authorization"] = "Bearer " + issue_token(
                Staff("u1", "rina", frozenset({Role.CALL_CENTER}), frozenset({REGION})), AUTH
            )
            yield c, d


async def incidents(d: Dispatch, count: int, timeout: float = 30) -> list[dict[str, Any]]:
    deadline = asyncio.get_running_loop().time() + timeout
    found: list[dict[str, Any]] = []
    while asyncio.get_running_loop().time() < deadline:
        found = await d.api("GET", "/api/v1/incidents", params={"region_code": REGION})
        if len(found) >= count:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"{count} incidents expected, saw {len(found)}")


async def settled(d: Dispatch, reports: int, timeout: float = 60) -> list[dict[str, Any]]:
    """The incidents once every one of ``reports`` reports has reached one of them."""
    deadline = asyncio.get_running_loop().time() + timeout
    found: list[dict[str, Any]] = []
    while asyncio.get_running_loop().time() < deadline:
        found = await d.api("GET", "/api/v1/incidents", params={"region_code": REGION})
        if sum(len(i["report_ids"]) for i in found) >= reports:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"{reports} reports expected in incidents, saw {found}")


async def test_a_split_report_becomes_its_own_incident_with_the_reason_in_both_timelines(
    stack,
) -> None:
    client, d = stack
    await set_up_batam(d, EVERY_TEAM)
    call = {
        "region_code": REGION,
        "description": "ODGJ bicara sendiri di depan ruko",
        "category": "odgj_terlantar",
        "location": {"kecamatan": "Lubuk Baja", "kelurahan": "Baloi Indah"},
        "reporter_phone": "0812-7777-1111",
    }
    first = (await client.post("/api/v1/reports", json=call)).json()
    again = await client.post(
        "/api/v1/reports",
        json={**call, "description": "Masih di situ, sekarang ada dua orang", "people_count": 2},
    )
    follow_up = again.json()
    assert (follow_up["status"], follow_up["duplicate_of"]) == ("linked", first["report_id"])
    [joined] = await settled(d, 2)
    assert joined["people_count"] == 2  # the follow-up counts more: the incident counts them
    listed = (await d.api("GET", f"/api/v1/incidents/{joined['incident_id']}"))["reports"]
    assert [(r["report_id"], r["first"], r["people_count"]) for r in listed] == [
        (first["report_id"], True, 1),
        (follow_up["report_id"], False, 2),
    ]
    assert listed[1]["duplicate_reason"].endswith("follow-up from the same caller")  # intake's why
    assert "0812" not in str(listed) and "ruko" not in str(listed)  # nobody's phone, no story

    split = await client.post(
        f"/api/v1/reports/{follow_up['report_id']}/unlink",
        json={"reason": "orang yang berbeda, bukan kasus yang sama"},
    )
    assert split.status_code == 200, split.text
    [history] = split.json()["link_history"]
    assert (history["from_report"], history["by"]) == (first["report_id"], "rina")
    assert history["reason"] == "orang yang berbeda, bukan kasus yang sama"

    both = await incidents(d, 2)
    old = next(i for i in both if first["report_id"] in i["report_ids"])
    new = next(i for i in both if follow_up["report_id"] in i["report_ids"])
    assert (old["report_ids"], old["people_count"]) == ([first["report_id"]], 1)
    assert new["people_count"] == 2
    old_log = (await d.api("GET", f"/api/v1/incidents/{old['incident_id']}"))["timeline"]
    new_log = (await d.api("GET", f"/api/v1/incidents/{new['incident_id']}"))["timeline"]
    [unlinked] = [e for e in old_log if e["kind"] == "report_unlinked"]
    [split_from] = [e for e in new_log if e["kind"] == "split_from"]
    for entry in (unlinked, split_from):
        assert entry["actor"] == "rina"
        assert entry["detail"]["reason"] == "orang yang berbeda, bukan kasus yang sama"
    assert unlinked["detail"]["split_to"] == new["number"]
    assert (unlinked["detail"]["split_to_id"], split_from["detail"]["split_from_id"]) == (
        new["incident_id"],
        old["incident_id"],
    )  # the console links one to the other
    old_reports = (await d.api("GET", f"/api/v1/incidents/{old['incident_id']}"))["reports"]
    new_reports = (await d.api("GET", f"/api/v1/incidents/{new['incident_id']}"))["reports"]
    assert [r["report_id"] for r in old_reports] == [first["report_id"]]
    assert [(r["first"], r["duplicate_reason"]) for r in new_reports] == [(True, None)]
    created = await d.tail.wait("assignment.created", 2)
    assert new["incident_id"] in {a["incident_id"] for a in created}  # dispatched


HOUSEHOLDS = [3, 5, 4, 4, 6, 2, 7, 4]  # along one flooded street, 220 m apart


async def test_a_flood_surge_through_the_ingress_keeps_every_household_and_person(stack) -> None:
    _, d = stack
    await set_up_batam(d, EVERY_TEAM)
    submitted = [household(n, people, 220.0 * n, f"h{n}") for n, people in enumerate(HOUSEHOLDS)]
    submitted.append(household(90, 4, 220.0 * 2 + 12, "h2-neighbour"))  # the same house again
    follow_up = household(4, 8, None, "h4-again")  # the same caller: "now there are eight"
    await ingress(d, [*submitted, follow_up])

    found = await settled(d, len(submitted) + 1)
    expected = sum(HOUSEHOLDS) - HOUSEHOLDS[4] + 8
    assert len(found) == len(HOUSEHOLDS)  # one incident per household
    assert sum(i["people_count"] for i in found) == expected


async def test_a_person_who_joins_a_secured_incident_gets_a_shelter_case(
    new_database: Any,
) -> None:
    engine = db.create_engine(new_database("shelter"))
    await db.create_tables(engine, [*PLATFORM_TABLES, *SHELTER_TABLES])
    sessions = db.session_factory(engine)
    secured = IncidentStatusChanged.model_validate(
        {**IncidentStatusChanged.EXAMPLE, "people_count": 2}
    )
    again = secured.model_copy(update={"from_state": secured.to_state, "people_count": 3})
    try:
        for event in (secured, again, again):  # a replay opens nothing more
            async with sessions() as session:
                store = SqlCaseStore(session, lambda *a, **k: None)
                await on_incident_secured(store, REGION, event, NOW)
                await session.commit()
        async with sessions() as session:
            cases = (await session.exec(select(Case.seq))).all()
    finally:
        await engine.dispose()
    assert sorted(cases) == [1, 2, 3]


NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def household(caller: int, people: int, north_m: float | None, ref: str) -> ReportSubmitted:
    place = (
        Location(latitude=1.1301 + north_m / 111_195, longitude=104.0529)
        if north_m is not None
        else Location()
    )
    return ReportSubmitted(
        source_system="112-batam",
        external_ref=ref,
        category="korban_bencana_alam",
        description=f"Banjir, keluarga {people} orang terjebak di rumah",
        location=place,
        people_count=people,
        reported_at=NOW,
        reporter_phone=f"0812-5555-{caller:04d}",
    )


async def ingress(d: Dispatch, posts: list[ReportSubmitted]) -> None:
    kafka = d.platform.settings.kafka
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
    await producer.start()
    try:
        for post in posts:
            envelope = make_envelope(
                post, producer="112-batam", region_code=REGION, correlation_id=post.external_ref
            )
            await producer.send_and_wait(
                kafka.topic("trc.ingress.reports.v1"), envelope.to_bytes(), key=REGION.encode()
            )
    finally:
        await producer.stop()
