"""How an announced P1 leaves the triage queue is told (``report.triaged``, for the supervisors'
chat) through the outbox: completed and sent on, or dismissed with the reason; a P3 that was
never announced is dismissed without a word."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake import triage
from services.intake.models import Report
from shared.auth import AuthSettings, Role
from shared.contracts.events import Location
from shared.db import create_engine
from shared.messaging.outbox import OutboxSignal
from shared.messaging.tables import OutboxMessage
from shared.messaging.uow import UnitOfWork
from tests.integration.intake_support import intake_http
from tests.integration.test_intake_triage_alert import (
    BEGGAR_NO_PLACE,
    T0,
    URGENT_NO_PLACE,
    outbox,
    submit,
)
from tests.support import staff_headers

pytestmark = pytest.mark.integration
LATER = T0 + timedelta(minutes=12)


async def _decide(sessions: Any, report: Report, action: str) -> list[dict[str, Any]]:
    """Claim it as rina and dispatch or dismiss it; the events the decision emitted."""
    before = len(await outbox(sessions))
    async with UnitOfWork(sessions, producer="intake", signal=OutboxSignal()) as uow:
        await triage.claim(uow.session, report.id, "rina", LATER)
        if action == "dispatch":
            await triage.dispatch(
                uow.session,
                report.id,
                "rina",
                category="anak_balita_terlantar",
                location=Location(kecamatan="Lubuk Baja", kelurahan="Baloi Indah"),
                danger_flags=[],
                emit=uow.emit,
                now=LATER,
            )
        else:
            await triage.dismiss(
                uow.session, report.id, "rina", "iklan / an advertisement", LATER, emit=uow.emit
            )
        await uow.commit()
    return (await outbox(sessions))[before:]


async def test_completing_an_announced_p1_tells_it_was_dispatched(intake_sessions: Any) -> None:
    report = await submit(intake_sessions, URGENT_NO_PLACE, "post-1")
    events = await _decide(intake_sessions, report, "dispatch")
    assert [e["event_type"] for e in events] == ["report.received", "report.triaged"]
    told = events[1]
    assert (told["region_code"], told["correlation_id"]) == ("21.71", report.id)
    p = told["payload"]
    assert (p["report_id"], p["priority"], p["outcome"], p["operator"]) == (
        report.id,
        "P1",
        "dispatched",
        "rina",
    )
    assert (p["category"], p["kecamatan"], p["reason"]) == (
        "anak_balita_terlantar",
        "Lubuk Baja",
        None,
    )
    assert p["description"] == URGENT_NO_PLACE
    assert p["decided_at"].startswith("2026-11-22T18:52:00")


async def test_dismissing_an_announced_p1_tells_it_with_the_reason(intake_sessions: Any) -> None:
    report = await submit(intake_sessions, URGENT_NO_PLACE, "post-2")
    [told] = await _decide(intake_sessions, report, "dismiss")
    assert told["event_type"] == "report.triaged"
    p = told["payload"]
    assert (p["outcome"], p["operator"], p["reason"]) == (
        "dismissed",
        "rina",
        "iklan / an advertisement",
    )
    assert (p["category"], p["kecamatan"]) == (None, None)


async def test_dismissing_a_p3_that_was_never_announced_emits_nothing(
    intake_sessions: Any,
) -> None:
    report = await submit(intake_sessions, BEGGAR_NO_PLACE, "post-3")
    assert report.priority == "P3" and report.triage_announced_at is None
    assert await _decide(intake_sessions, report, "dismiss") == []


async def test_the_triage_api_passes_the_dismissal_on(new_database: Any) -> None:
    url = new_database("intake")
    auth = AuthSettings(secret="q" * 48)
    operator = staff_headers(auth, Role.CALL_CENTER, "21.71", "rina")
    async with intake_http(url, auth) as client:
        body = {"region_code": "21.71", "description": URGENT_NO_PLACE}
        saved = (await client.post("/api/v1/reports", json=body, headers=operator)).json()
        assert saved["status"] == "needs_triage"
        base = f"/api/v1/triage/{saved['report_id']}"
        assert (await client.post(f"{base}/claim", headers=operator)).status_code == 200
        reason = {"reason": "spam / bukan laporan"}
        done = await client.post(f"{base}/dismiss", json=reason, headers=operator)
        assert done.status_code == 200
    engine = create_engine(url)
    try:
        async with AsyncSession(engine) as session:
            query = select(OutboxMessage).order_by(col(OutboxMessage.id))
            kinds = [json.loads(m.value)["event_type"] for m in (await session.exec(query)).all()]
    finally:
        await engine.dispose()
    assert kinds == ["report.awaiting_triage", "report.triaged"]
