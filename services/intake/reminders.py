"""Intake's triage reminders: a P1 that still waits in the triage queue, unclaimed, is announced
again (``report.awaiting_triage`` with its reminder number) every few minutes, so that one
message missed at 2 a.m. is not the only one.

:func:`remind` is one turn in one unit of work: it reads the waiting P1 reports, emits a reminder
for each that is due (services/intake/domain/reminders.py) and records it on the row, all in the
same commit as the outbox rows. :class:`TriageReminders` is the job the platform runs
(``platform.until``): a turn, then the seconds until the next report falls due, capped so that a
report written by another process is found in time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.domain import reminders as rule
from services.intake.ingest import Emit, awaiting_event
from services.intake.models import Report, ReportStatus
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger(__name__)

CAP_S = 60.0  # longest sleep: a report stored since, here or elsewhere, is found within this


async def remind(
    session: AsyncSession, emit: Emit, now: datetime, every: timedelta
) -> datetime | None:
    """Announce again each waiting P1 that is due at ``now``; the instant the next falls due.
    The rows are locked (PostgreSQL), so two replicas do not both remind the same report."""
    query = (
        select(Report)
        .where(Report.status == ReportStatus.NEEDS_TRIAGE, Report.priority == rule.P1)
        .order_by(col(Report.received_at))
        .with_for_update()
    )
    waiting = list((await session.exec(query)).all())
    for report in rule.due(waiting, now, every):
        report.triage_reminders += 1
        report.triage_announced_at = now
        session.add(report)
        emit(
            awaiting_event(report, reminder=report.triage_reminders),
            region_code=report.region_code,
            correlation_id=report.id,
        )
        log.info(
            "triage_reminder",
            report_id=report.id,
            region=report.region_code,
            reminder=report.triage_reminders,
        )
    return rule.next_due(waiting, now, every)


def pause(next_at: datetime | None, now: datetime, cap_s: float = CAP_S) -> float:
    """Seconds to sleep until ``next_at``, never more than ``cap_s`` nor less than 0."""
    if next_at is None:
        return cap_s
    return min(cap_s, max(0.0, (next_at - now).total_seconds()))


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class TriageReminders:
    """One turn per call (the platform's ``until`` job): remind what is due, then return how
    long to sleep."""

    uow: Callable[[], UnitOfWork]
    every: timedelta
    cap_s: float = CAP_S
    clock: Callable[[], datetime] = _utcnow

    async def __call__(self, now: datetime | None = None) -> float:
        now = now or self.clock()
        async with self.uow() as uow:
            next_at = await remind(uow.session, uow.emit, now, self.every)
            await uow.commit()
        return pause(next_at, now, self.cap_s)
