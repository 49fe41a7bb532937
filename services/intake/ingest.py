"""One use case for every channel: a submission becomes one report, classified, prioritised,
checked against open reports, stored, and announced to dispatch through the outbox (a P1 that
must wait in the triage queue is announced too, for the region's supervisors)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.domain.classifier import Classifier
from services.intake.domain.decision import Verdict, decide
from services.intake.domain.duplicates import (
    Candidate,
    DuplicatePolicy,
    Match,
    find_nearby,
)
from services.intake.domain.elsewhere import ElsewhereFinder
from services.intake.domain.gazetteer import UnknownRegionData, gazetteer
from services.intake.domain.phones import normalise_phone
from services.intake.domain.priority import PriorityDecision, decide_priority
from services.intake.domain.taxonomy import default_taxonomy
from services.intake.domain.textmodel import shipped_model
from services.intake.links import GUESSED, candidate, link, link_duplicate, thread_follow_up
from services.intake.models import Report, ReportStatus
from shared.contracts.envelope import RegionCode, UtcDatetime
from shared.contracts.events import (
    Location,
    Payload,
    ReportAwaitingTriage,
    ReportReceived,
    ReportTriaged,
    ReportUnlinked,
)
from shared.contracts.vocabulary import Channel, DangerFlag, Priority
from shared.regions import to_local

Emit = Callable[..., object]  # emit(payload, region_code=..., correlation_id=...)
LINK_HISTORY = "link_history"  # in Report.extra: every separation, with who, when and why


class InvalidSubmission(ValueError):
    """A submission that can never become a report as sent (names the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class Submission(BaseModel):
    """What every channel hands to intake, already in intake's words."""

    model_config = ConfigDict(extra="forbid")

    region_code: RegionCode
    channel: Channel
    source_ref: str = Field(min_length=1, max_length=255, description="Unique per channel")
    description: str = Field(min_length=1, max_length=4000)
    category: str | None = Field(default=None, max_length=60)
    location: Location = Field(default_factory=Location)
    people_count: int = Field(default=1, ge=1, le=500)
    danger_flags: list[DangerFlag] = Field(default_factory=list)
    reported_at: UtcDatetime
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_phone: str | None = Field(default=None, max_length=40)
    extra: dict[str, str] = Field(default_factory=dict)
    attach_to: str | None = Field(
        default=None, max_length=40, description="An open report the operator says this is about"
    )


@dataclass(frozen=True)
class IngestResult:
    report: Report
    created: bool  # False: the same submission came before (idempotent)


async def ingest(
    session: AsyncSession,
    submission: Submission,
    emit: Emit,
    *,
    policy: DuplicatePolicy | None = None,
    now: datetime | None = None,
) -> IngestResult:
    existing = await _by_source(session, submission.channel.value, submission.source_ref)
    if existing is not None:
        return IngestResult(existing, created=False)
    report = _build_report(submission, now or datetime.now(UTC))
    if submission.attach_to:
        await _attach(session, report, submission.attach_to)
    policy = policy or DuplicatePolicy()
    # A follow-up call threads on even when it alone would not be dispatchable ("he moved on"),
    # but only onto the case it is about (services/intake/domain/linking.py).
    followed = report.status == ReportStatus.LINKED or await thread_follow_up(
        session, report, policy
    )
    if report.status == ReportStatus.OPEN and not followed:
        await link_duplicate(session, report, policy)
    session.add(report)
    if report.status in (ReportStatus.OPEN, ReportStatus.LINKED):
        emit(received_event(report), region_code=report.region_code, correlation_id=report.id)
    elif report.status == ReportStatus.NEEDS_TRIAGE and report.priority == Priority.P1.value:
        # A danger happening now that no team can be sent to yet: the supervisors hear of it at
        # once (notify), not only whoever next opens /triase; reminders follow (reminders.py).
        report.triage_announced_at = report.received_at
        emit(awaiting_event(report), region_code=report.region_code, correlation_id=report.id)
    return IngestResult(report, created=True)


async def _by_source(session: AsyncSession, channel: str, source_ref: str) -> Report | None:
    query = select(Report).where(Report.channel == channel, Report.source_ref == source_ref)
    return (await session.exec(query)).first()


def _build_report(submission: Submission, now: datetime) -> Report:
    taxonomy = default_taxonomy()
    if submission.category is not None and submission.category not in taxonomy:
        raise InvalidSubmission("category", f"unknown category {submission.category!r}")
    phone = None
    if submission.reporter_phone:
        try:
            phone = normalise_phone(submission.reporter_phone)
        except ValueError as exc:
            raise InvalidSubmission("reporter_phone", str(exc)) from None
    location = submission.location
    reading = read_report(
        submission.region_code,
        submission.description,
        location,
        reported_at=submission.reported_at,
        category=submission.category,
        danger_flags=submission.danger_flags,
    )
    verdict, decision, flags = reading.verdict, reading.priority, reading.danger_flags
    category = verdict.category
    guess = verdict.location
    kecamatan = location.kecamatan or (guess.kecamatan if guess else None)
    kelurahan = location.kelurahan or (
        guess.kelurahan if guess and not location.kecamatan else None
    )
    status = ReportStatus.OPEN if verdict.dispatch else ReportStatus.NEEDS_TRIAGE
    triage = verdict.triage_reason
    return Report(
        region_code=submission.region_code,
        channel=submission.channel.value,
        source_ref=submission.source_ref,
        category=category,
        priority=decision.priority.value,
        priority_reasons=list(decision.reasons),
        classifier_matched=list(verdict.explanation),
        description=submission.description,
        address=location.address or verdict.address,
        kecamatan=kecamatan,
        kecamatan_code=location.zone_code or (guess.kecamatan_code if guess else None),
        kelurahan=kelurahan,
        latitude=location.latitude,
        longitude=location.longitude,
        people_count=submission.people_count,
        danger_flags=sorted(flag.value for flag in flags),
        status=status,
        triage_reason=triage,
        reporter_name=submission.reporter_name,
        reporter_phone=phone,
        reported_at=submission.reported_at,
        received_at=now,
        extra={**submission.extra, GUESSED: True} if verdict.category_guessed else submission.extra,
    )


@dataclass(frozen=True)
class Reading:
    """What intake makes of a report before any database: the triage verdict, the danger flags
    (the operator's and the text's) and the priority with its reasons."""

    verdict: Verdict
    danger_flags: frozenset[DangerFlag]
    priority: PriorityDecision


def read_report(
    region_code: str,
    description: str,
    location: Location,
    *,
    reported_at: datetime,
    category: str | None = None,
    danger_flags: Iterable[DangerFlag] = (),
) -> Reading:
    """The one reading of a report's text: the pipeline stores it, the call-center form shows it
    as a suggestion while the operator types (``services/intake/suggestions.py``). Pure."""
    text = " ".join(filter(None, [description, location.address]))
    verdict = decide(
        text,
        classifier_for(region_code),
        shipped_model(),
        elsewhere_for(region_code),
        has_place=bool(
            location.kecamatan or location.kelurahan or location.address
            or location.latitude is not None
        ),
        category=category,
    )  # fmt: skip
    flags = frozenset(danger_flags) | frozenset(verdict.danger_flags)
    priority = decide_priority(
        category=verdict.category,
        danger_flags=frozenset(danger_flags) | frozenset(verdict.urgent_flags),
        local_time=_local(reported_at, region_code),
        alone=verdict.mentions_alone,
        night_in_text=verdict.mentions_night,
        sensed=verdict.model_danger,
        infant_alone=verdict.mentions_infant_alone,
    )
    return Reading(verdict, flags, priority)


async def _attach(session: AsyncSession, report: Report, target_id: str) -> None:
    """The operator saw the nearby hint and says this call is about an open report."""
    target = await session.get(Report, target_id)
    open_states = (ReportStatus.OPEN, ReportStatus.LINKED)
    if (
        target is None
        or target.region_code != report.region_code
        or target.status not in open_states
    ):
        raise InvalidSubmission("attach_to", "no open report with this id in the region")
    link(report, target, "dikaitkan oleh operator / attached by the operator")


@cache
def elsewhere_for(region_code: str) -> ElsewhereFinder:
    """Finds other regions named in a text; the region's own places do not count, the places of
    the province's other kabupaten/kota do."""
    try:
        places = gazetteer(region_code)
    except UnknownRegionData:
        return ElsewhereFinder(region_code)
    return ElsewhereFinder(region_code, tuple(p.name for p in places.places), places.nearby)


@cache
def classifier_for(region_code: str) -> Classifier:
    """One classifier per region (its keywords and places are normalised once)."""
    try:
        places = gazetteer(region_code)
    except UnknownRegionData:
        places = None
    return Classifier(default_taxonomy(), places)


def _local(reported_at: datetime, region_code: str) -> datetime:
    try:
        return to_local(reported_at, region_code)
    except ValueError:
        return reported_at


async def open_reports(
    session: AsyncSession, region_code: str, category: str | None, since: datetime
) -> list[Report]:
    """Open reports of one category in a region received since ``since`` (duplicate candidates)."""
    query = select(Report).where(
        Report.region_code == region_code,
        Report.category == category,
        Report.status == ReportStatus.OPEN,
        col(Report.received_at) >= since,
    )
    return list((await session.exec(query)).all())


async def nearby_reports(
    session: AsyncSession, region_code: str, probe: Candidate, policy: DuplicatePolicy
) -> list[tuple[Report, Match]]:
    """Open reports an operator should see before saving ``probe``: closest first, the same
    kecamatan included (wider than what links on its own)."""
    reports = await open_reports(
        session, region_code, probe.category, probe.received_at - policy.window
    )
    by_id = {r.id: r for r in reports}
    matches = find_nearby(probe, [candidate(r) for r in reports], policy, same_kecamatan=True)
    return [(by_id[m.report_id], m) for m in matches]


def received_event(report: Report) -> Payload:
    return ReportReceived(
        report_id=report.id,
        channel=Channel(report.channel),
        category=report.category or "",
        priority=Priority(report.priority),
        description=report.description,
        location=Location(
            address=report.address,
            kecamatan=report.kecamatan,
            kelurahan=report.kelurahan,
            zone_code=report.kecamatan_code,
            latitude=report.latitude,
            longitude=report.longitude,
        ),
        people_count=report.people_count,
        danger_flags=[DangerFlag(f) for f in report.danger_flags],
        received_at=report.received_at,
        duplicate_of=report.duplicate_of,
        duplicate_reason=report.duplicate_reason,
    )


def awaiting_event(report: Report, reminder: int = 0) -> Payload:
    """A report waiting in the triage queue, as the supervisors' chat is told of it (0: the
    first notice, then each reminder's number); announced at ``triage_announced_at``."""
    return ReportAwaitingTriage(
        report_id=report.id,
        channel=Channel(report.channel),
        priority=Priority(report.priority),
        triage_reason=report.triage_reason or "",
        category=report.category,
        description=report.description,
        danger_flags=[DangerFlag(f) for f in report.danger_flags],
        received_at=report.received_at,
        reminder=reminder,
        announced_at=report.triage_announced_at,
    )


def triaged_event(
    report: Report,
    outcome: Literal["dispatched", "dismissed"],
    operator: str,
    now: datetime,
    reason: str | None = None,
) -> Payload:
    """How an announced P1 left the triage queue: sent on (with the category and kecamatan the
    operator gave) or dismissed (with the reason); announced as P1, whatever it is now."""
    dispatched = outcome == "dispatched"
    return ReportTriaged(
        report_id=report.id,
        priority=Priority.P1,
        outcome=outcome,
        operator=operator,
        reason=None if dispatched else (reason or "")[:200] or None,
        category=report.category if dispatched else None,
        kecamatan=report.kecamatan if dispatched else None,
        description=report.description,
        decided_at=now,
    )


async def unlink(
    session: AsyncSession,
    report_id: str,
    *,
    actor: str,
    reason: str,
    emit: Emit,
    now: datetime | None = None,
) -> Report:
    """An operator separates a wrongly linked report: it becomes a case of its own. Who, when,
    why and from which report stay on the report (its link history) and go to dispatch."""
    report = await session.get(Report, report_id)
    if report is None or report.status != ReportStatus.LINKED or not report.duplicate_of:
        raise InvalidSubmission("report_id", "this report is not linked to another")
    at = now or datetime.now(UTC)
    previous = report.duplicate_of
    entry = {
        "action": "unlinked",
        "from_report": previous,
        "link_reason": report.duplicate_reason or "",
        "reason": reason,
        "by": actor,
        "at": at.isoformat(),
    }
    report.status, report.duplicate_of, report.duplicate_reason = ReportStatus.OPEN, None, None
    history = [*report.extra.get(LINK_HISTORY, []), entry]
    report.extra = {**report.extra, "unlinked_by": actor, LINK_HISTORY: history}
    emit(
        ReportUnlinked(
            report_id=report.id,
            previously_linked_to=previous,
            reason=reason,
            actor=actor,
            unlinked_at=at,
        ),
        region_code=report.region_code,
        correlation_id=report.id,
    )
    return report
