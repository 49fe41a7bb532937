"""The triage queue: reports that cannot be dispatched as they stand (no category, no place).

An operator claims a report while working on it; the others see who holds it and cannot take it
until the claim is released or expires. Resolving it either releases it to dispatch (with the
category and place the operator gave) or dismisses it (noise, a false report), with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.domain.duplicates import DuplicatePolicy
from services.intake.domain.priority import decide_priority
from services.intake.domain.taxonomy import default_taxonomy
from services.intake.ingest import Emit, InvalidSubmission, received_event, triaged_event
from services.intake.links import link_duplicate
from services.intake.models import Report, ReportStatus
from shared.contracts.events import Location
from shared.contracts.vocabulary import DangerFlag
from shared.regions import to_local

CLAIM_TTL = timedelta(minutes=10)


class TriageConflict(Exception):
    def __init__(self, holder: str) -> None:
        super().__init__(f"claimed by {holder}")
        self.holder = holder


class NotInTriage(LookupError):
    """The report is not (or no longer) waiting in the triage queue."""


async def queue(session: AsyncSession, covers: Callable[[str], bool]) -> list[Report]:
    """The waiting reports of the regions ``covers`` accepts: the most urgent first (a P1 that
    waits for a place or a category is read before an older P3), oldest first within each."""
    query = select(Report).where(Report.status == ReportStatus.NEEDS_TRIAGE)
    rows = (await session.exec(query.order_by(col(Report.priority), col(Report.received_at)))).all()
    return [r for r in rows if covers(r.region_code)]


def _holder(report: Report, now: datetime) -> str | None:
    if report.claimed_by and report.claim_expires_at and report.claim_expires_at > now:
        return report.claimed_by
    return None


async def _in_triage(session: AsyncSession, report_id: str) -> Report:
    report = await session.get(Report, report_id, with_for_update=True)
    if report is None or report.status != ReportStatus.NEEDS_TRIAGE:
        raise NotInTriage(report_id)
    return report


async def claim(session: AsyncSession, report_id: str, operator: str, now: datetime) -> Report:
    report = await _in_triage(session, report_id)
    holder = _holder(report, now)
    if holder not in (None, operator):
        raise TriageConflict(holder)
    report.claimed_by, report.claim_expires_at = operator, now + CLAIM_TTL
    return report


async def release(session: AsyncSession, report_id: str, operator: str, now: datetime) -> Report:
    report = await _in_triage(session, report_id)
    holder = _holder(report, now)
    if holder not in (None, operator):
        raise TriageConflict(holder)
    report.claimed_by, report.claim_expires_at = None, None
    return report


async def dispatch(
    session: AsyncSession,
    report_id: str,
    operator: str,
    *,
    category: str,
    location: Location,
    danger_flags: list[DangerFlag],
    emit: Emit,
    now: datetime | None = None,
) -> Report:
    """The operator completed the report: it goes to dispatch (or joins an open duplicate)."""
    now = now or datetime.now(UTC)
    report = await _held(session, report_id, operator, now)
    if category not in default_taxonomy():
        raise InvalidSubmission("category", f"unknown category {category!r}")
    if not (location.kecamatan or location.kelurahan or location.address or location.latitude):
        raise InvalidSubmission("location", "give a kecamatan, kelurahan, address or coordinates")
    announced = _announced_p1(report)
    flags = {DangerFlag(f) for f in report.danger_flags} | set(danger_flags)
    decision = decide_priority(
        category=category,
        danger_flags=flags,
        local_time=to_local(report.reported_at, report.region_code),
    )
    report.category = category
    report.kecamatan = location.kecamatan or report.kecamatan
    report.kelurahan = location.kelurahan or report.kelurahan
    report.address = location.address or report.address
    report.latitude = location.latitude if location.latitude is not None else report.latitude
    report.longitude = location.longitude if location.longitude is not None else report.longitude
    report.danger_flags = sorted(f.value for f in flags)
    report.priority, report.priority_reasons = decision.priority.value, list(decision.reasons)
    report.status, report.triage_reason = ReportStatus.OPEN, None
    report.claimed_by = report.claim_expires_at = None
    report.extra = {**report.extra, "triaged_by": operator}
    await link_duplicate(session, report, DuplicatePolicy())
    emit(received_event(report), region_code=report.region_code, correlation_id=report.id)
    if announced:
        _tell_outcome(report, "dispatched", operator, now, emit)
    return report


async def dismiss(
    session: AsyncSession,
    report_id: str,
    operator: str,
    reason: str,
    now: datetime | None = None,
    *,
    emit: Emit | None = None,
) -> Report:
    """The operator found it is not a report (noise, a false report): it leaves the queue. A P1
    the supervisors were told of is told again, dismissed, with the reason (when ``emit``)."""
    now = now or datetime.now(UTC)
    report = await _held(session, report_id, operator, now)
    announced = _announced_p1(report)
    report.status, report.triage_reason = ReportStatus.DISMISSED, reason
    report.claimed_by = report.claim_expires_at = None
    report.extra = {**report.extra, "dismissed_by": operator}
    if announced and emit is not None:
        _tell_outcome(report, "dismissed", operator, now, emit, reason=reason)
    return report


def _announced_p1(report: Report) -> bool:
    """A P1 whose wait was told in the supervisors' chat: they are told how it ended."""
    return report.priority == "P1" and report.triage_announced_at is not None


def _tell_outcome(
    report: Report,
    outcome: Literal["dispatched", "dismissed"],
    operator: str,
    now: datetime,
    emit: Emit,
    reason: str | None = None,
) -> None:
    event = triaged_event(report, outcome, operator, now, reason=reason)
    emit(event, region_code=report.region_code, correlation_id=report.id)


async def _held(session: AsyncSession, report_id: str, operator: str, now: datetime) -> Report:
    report = await _in_triage(session, report_id)
    holder = _holder(report, now)
    if holder != operator:
        raise TriageConflict(holder or "nobody: claim it first")
    return report
