"""A P1 that still waits in the triage queue, unclaimed, is announced again: the reminder job
(driven here with an explicit ``now``, never by sleeping) emits ``report.awaiting_triage`` with
the reminder's number through the outbox and records it on the report; nothing while an
operator holds a claim, nothing once the report is dismissed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from services.intake import triage
from services.intake.ingest import Submission, ingest
from services.intake.models import Report
from services.intake.reminders import TriageReminders
from shared.contracts.events import Location
from shared.messaging.outbox import OutboxSignal
from shared.messaging.tables import OutboxMessage
from shared.messaging.uow import UnitOfWork

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 22, 18, 40, tzinfo=UTC)  # 01.40 WIB
URGENT_NO_PLACE = "tolong ada bayi ditinggal sendirian di emperan toko, nangis terus dari tadi"
EVERY = timedelta(minutes=10)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def job(sessions: Any) -> TriageReminders:
    return TriageReminders(
        lambda: UnitOfWork(sessions, producer="intake", signal=OutboxSignal()), EVERY
    )


async def submit(sessions: Any) -> Report:
    async with UnitOfWork(sessions, producer="intake", signal=OutboxSignal()) as uow:
        sub = Submission(
            region_code="21.71",
            channel="social_media",
            source_ref="post-1",
            description=URGENT_NO_PLACE,
            location=Location(),
            reported_at=T0,
        )
        report = (await ingest(uow.session, sub, uow.emit, now=T0)).report
        await uow.commit()
    assert (report.status, report.priority) == ("needs_triage", "P1")
    return report


async def announcements(sessions: Any) -> list[dict[str, Any]]:
    async with sessions() as session:
        rows = (await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all()
    events = [json.loads(row.value) for row in rows]
    return [e["payload"] for e in events if e["event_type"] == "report.awaiting_triage"]


async def stored(sessions: Any, report_id: str) -> Report:
    async with sessions() as session:
        report = await session.get(Report, report_id)
    assert report is not None
    return report


async def test_the_first_notice_is_recorded_on_the_report(intake_sessions: Any) -> None:
    report = await submit(intake_sessions)
    row = await stored(intake_sessions, report.id)
    assert (row.triage_announced_at, row.triage_reminders) == (T0, 0)
    [first] = await announcements(intake_sessions)
    assert first["reminder"] == 0 and first["announced_at"].startswith("2026-11-22T18:40:00")


async def test_a_reminder_when_ten_minutes_have_passed_then_the_next_ten_later(
    intake_sessions: Any,
) -> None:
    report = await submit(intake_sessions)
    remind = job(intake_sessions)
    assert await remind(now=at(4)) == 60  # the next is due in 6 minutes: sleep the cap
    assert await remind(now=at(9.5)) == 30
    assert len(await announcements(intake_sessions)) == 1
    assert await remind(now=at(10)) == 60
    assert await remind(now=at(15)) == 60  # counted from the reminder: nothing yet
    assert await remind(now=at(20.5)) == 60
    first, one, two = await announcements(intake_sessions)
    assert [one["reminder"], two["reminder"]] == [1, 2]
    assert one["report_id"] == two["report_id"] == report.id
    assert one["received_at"] == first["received_at"]
    assert two["announced_at"].startswith("2026-11-22T19:00:30")
    row = await stored(intake_sessions, report.id)
    assert (row.triage_announced_at, row.triage_reminders) == (at(20.5), 2)


async def test_nothing_while_an_operator_holds_a_claim(intake_sessions: Any) -> None:
    report = await submit(intake_sessions)
    async with intake_sessions() as session:
        await triage.claim(session, report.id, "rina", at(5))  # holds until 15 minutes
        await session.commit()
    remind = job(intake_sessions)
    assert await remind(now=at(12)) == 60
    assert len(await announcements(intake_sessions)) == 1
    await remind(now=at(15))  # the claim lapsed, nobody is on it: told again
    assert [a["reminder"] for a in await announcements(intake_sessions)] == [0, 1]


async def test_nothing_after_it_is_dismissed(intake_sessions: Any) -> None:
    report = await submit(intake_sessions)
    async with intake_sessions() as session:
        await triage.claim(session, report.id, "rina", at(1))
        await triage.dismiss(session, report.id, "rina", "laporan palsu", now=at(2))
        await session.commit()
    assert await job(intake_sessions)(now=at(30)) == 60
    assert len(await announcements(intake_sessions)) == 1
