"""A P1 report that must wait in the triage queue is announced (``report.awaiting_triage``, for
the supervisors' chat) through the outbox with the report; a P3 that waits, a P1 a team can be
sent to and a P1 follow-up joined to an open report are not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from services.intake.ingest import Submission, ingest
from services.intake.models import Report
from shared.contracts.events import Location
from shared.messaging.outbox import OutboxSignal
from shared.messaging.tables import OutboxMessage
from shared.messaging.uow import UnitOfWork

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 22, 18, 40, tzinfo=UTC)  # 01.40 WIB: nobody is looking at /triase
URGENT_NO_PLACE = "tolong ada bayi ditinggal sendirian di emperan toko, nangis terus dari tadi"
BEGGAR_NO_PLACE = "Ada pengemis minta minta"
FOUND_PLACE = Location(kecamatan="Lubuk Baja", kelurahan="Baloi Indah")


async def submit(
    sessions: Any,
    text: str,
    ref: str,
    *,
    location: Location | None = None,
    phone: str | None = None,
) -> Report:
    async with UnitOfWork(sessions, producer="intake", signal=OutboxSignal()) as uow:
        sub = Submission(
            region_code="21.71",
            channel="social_media" if phone is None else "call_center",
            source_ref=ref,
            description=text,
            location=location or Location(),
            reporter_phone=phone,
            reported_at=T0,
        )
        report = (await ingest(uow.session, sub, uow.emit, now=T0)).report
        await uow.commit()
    return report


async def outbox(sessions: Any) -> list[dict[str, Any]]:
    async with sessions() as session:
        rows = (await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all()
    return [json.loads(row.value) for row in rows]


async def test_a_p1_waiting_for_a_place_is_announced_through_the_outbox(
    intake_sessions: Any,
) -> None:
    report = await submit(intake_sessions, URGENT_NO_PLACE, "post-1")
    assert (report.status, report.priority) == ("needs_triage", "P1")
    [event] = await outbox(intake_sessions)
    assert (event["event_type"], event["version"]) == ("report.awaiting_triage", 1)
    assert (event["region_code"], event["correlation_id"]) == ("21.71", report.id)
    payload = event["payload"]
    assert payload["report_id"] == report.id and payload["priority"] == "P1"
    assert payload["triage_reason"] == report.triage_reason == "lokasi tidak jelas / unclear place"
    assert payload["description"] == URGENT_NO_PLACE and payload["channel"] == "social_media"
    assert payload["category"] == report.category
    assert payload["received_at"].startswith("2026-11-22T18:40:00")


async def test_a_p3_waiting_for_a_place_is_not_announced(intake_sessions: Any) -> None:
    report = await submit(intake_sessions, BEGGAR_NO_PLACE, "post-2")
    assert (report.status, report.priority) == ("needs_triage", "P3")
    assert await outbox(intake_sessions) == []


async def test_a_p1_a_team_can_be_sent_to_goes_to_dispatch_only(intake_sessions: Any) -> None:
    report = await submit(intake_sessions, URGENT_NO_PLACE, "post-3", location=FOUND_PLACE)
    assert (report.status, report.priority) == ("open", "P1")
    assert [e["event_type"] for e in await outbox(intake_sessions)] == ["report.received"]


async def test_a_p1_follow_up_joined_to_an_open_report_is_not_announced(
    intake_sessions: Any,
) -> None:
    phone = "0812-7777-1111"
    first = await submit(
        intake_sessions, URGENT_NO_PLACE, "call-1", location=FOUND_PLACE, phone=phone
    )
    again = await submit(intake_sessions, URGENT_NO_PLACE, "call-2", phone=phone)
    assert (again.status, again.duplicate_of, again.priority) == ("linked", first.id, "P1")
    assert [e["event_type"] for e in await outbox(intake_sessions)] == [
        "report.received",
        "report.received",
    ]
