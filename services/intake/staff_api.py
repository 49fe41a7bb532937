"""The call-center API: staff log phone reports and read them back, within their region.

The reporter's name and phone are returned only to the roles that need them (call-center staff
and supervisors); every other caller gets the report without them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from services.intake.api import Accepted, accept
from services.intake.domain.duplicates import Candidate, Match
from services.intake.domain.gazetteer import village_word
from services.intake.ingest import LINK_HISTORY, InvalidSubmission, nearby_reports, unlink
from services.intake.links import hints_of
from services.intake.models import Report
from services.intake.suggestions import Suggestion, SuggestRequest, suggest
from shared.auth import Role, Staff, current_staff, ensure_covers, require
from shared.contracts.envelope import RegionCode
from shared.contracts.events import Location
from shared.contracts.vocabulary import Channel, DangerFlag
from shared.http import platform_of
from shared.regions import format_local

SEES_REPORTER = (Role.CALL_CENTER, Role.SUPERVISOR)
NEARBY_LIMIT = 10
# Module-level, so FastAPI can resolve the (postponed) annotations that use it.
ReportWriter = Annotated[Staff, Depends(require(Role.CALL_CENTER, Role.SUPERVISOR))]


class PhoneReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region_code: RegionCode
    description: str = Field(min_length=1, max_length=4000)
    category: str | None = Field(default=None, max_length=60, description="None: classify")
    location: Location = Field(default_factory=Location)
    people_count: int = Field(default=1, ge=1, le=500)
    danger_flags: list[DangerFlag] = Field(default_factory=list)
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_phone: str | None = Field(default=None, max_length=40)
    channel: Channel = Field(default=Channel.CALL_CENTER, description="call_center or integration")
    attach_to: str | None = Field(
        default=None, max_length=40, description="The open report this call is about (see /nearby)"
    )


class NearbyReport(BaseModel):
    """An open report the operator may attach the call to (no reporter identity)."""

    report_id: str
    category: str | None
    priority: str
    kecamatan: str | None
    kelurahan: str | None
    address: str | None
    people_count: int
    danger_flags: list[str]
    summary: str = Field(description="The start of the description")
    why_near: str = Field(examples=["320 m, 35 min", "same kelurahan, 80 min"])
    minutes_ago: int
    received_local: str = Field(description="In the region's zone, e.g. 22 Nov 2026 20.05 WIB")


class Unlink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=200, examples=["orang yang berbeda"])


class LinkChange(BaseModel):
    action: str = Field(examples=["unlinked"])
    from_report: str
    link_reason: str = Field(description="Why it had been linked")
    reason: str = Field(description="Why the operator separated it")
    by: str = Field(description="Username of the operator")
    at: datetime


class ReportView(BaseModel):
    report_id: str
    region_code: str
    channel: str
    status: str
    category: str | None
    priority: str
    priority_reasons: list[str]
    description: str
    kecamatan: str | None
    kelurahan: str | None
    address: str | None
    people_count: int
    danger_flags: list[str]
    duplicate_of: str | None
    duplicate_reason: str | None = Field(
        default=None, description="Why it joined the report it is linked to"
    )
    link_hints: list[str] = Field(
        default_factory=list,
        description="A link proposed but not made (same caller, similar report nearby): read both",
        examples=[["penelepon yang sama dengan laporan 0193… (kategori lain) / same caller as …"]],
    )
    link_history: list[LinkChange] = Field(
        default_factory=list, description="Separations from a report it had been linked to"
    )
    triage_reason: str | None
    received_at: datetime
    reporter_name: str | None = Field(default=None, description="Only for roles that need it")
    reporter_phone: str | None = Field(default=None, description="Only for roles that need it")


def build_staff_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/reports", tags=["call center"])

    @router.post(
        "",
        response_model=Accepted,
        status_code=status.HTTP_201_CREATED,
        summary="Log a phone report (send an Idempotency-Key: a retry makes no second report)",
    )
    async def log_report(
        body: PhoneReport,
        request: Request,
        response: Response,
        staff: ReportWriter,
        idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
    ) -> Accepted:
        ensure_covers(staff, body.region_code)
        now = datetime.now(UTC)
        ref = f"key:{staff.account_id}:{idempotency_key}" if idempotency_key else f"at:{now}"
        return await accept(
            request,
            response,
            region_code=body.region_code,
            channel=body.channel,
            source_ref=ref,
            description=body.description,
            category=body.category,
            location=body.location,
            people_count=body.people_count,
            danger_flags=body.danger_flags,
            reported_at=now,
            reporter_name=body.reporter_name,
            reporter_phone=body.reporter_phone,
            extra={"logged_by": staff.username},
            attach_to=body.attach_to,
        )

    @router.post(
        "/suggest",
        response_model=Suggestion,
        summary="What intake would make of a description being typed: category, priority, "
        "danger, place and the words that weighed (nothing is stored)",
    )
    async def suggestion(body: SuggestRequest, staff: ReportWriter) -> Suggestion:
        ensure_covers(staff, body.region_code)
        return suggest(body, datetime.now(UTC))

    @router.get(
        "/nearby",
        response_model=list[NearbyReport],
        summary="Open reports of a category near a place, to attach a call to instead",
    )
    async def nearby(
        request: Request,
        staff: ReportWriter,
        region_code: RegionCode,
        category: Annotated[str, Query(min_length=1, max_length=60)],
        kecamatan: Annotated[str | None, Query(max_length=100)] = None,
        kelurahan: Annotated[str | None, Query(max_length=100)] = None,
        latitude: Annotated[float | None, Query(ge=-90, le=90)] = None,
        longitude: Annotated[float | None, Query(ge=-180, le=180)] = None,
        lang: Annotated[str, Query(pattern="^(id|en)$")] = "id",
    ) -> list[NearbyReport]:
        ensure_covers(staff, region_code)
        now = datetime.now(UTC)
        probe = Candidate(
            "", category, now, kelurahan, kecamatan, latitude, longitude,
            village_word=village_word(region_code),
        )  # fmt: skip
        async with platform_of(request).sessions() as session:
            found = await nearby_reports(
                session, region_code, probe, request.app.state.duplicate_policy
            )
        return [_nearby(report, match, now, lang) for report, match in found[:NEARBY_LIMIT]]

    @router.post(
        "/{report_id}/unlink",
        response_model=ReportView,
        summary="Separate a report wrongly linked as a duplicate (dispatch then handles it alone)",
    )
    async def unlink_report(
        report_id: str, body: Unlink, request: Request, staff: ReportWriter
    ) -> ReportView:
        platform = platform_of(request)
        async with platform.uow() as uow:
            report = await uow.session.get(Report, report_id)
            if report is None or not staff.covers(report.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such report in your region")
            try:
                report = await unlink(
                    uow.session, report_id, actor=staff.username, reason=body.reason, emit=uow.emit
                )
            except InvalidSubmission as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
            await uow.commit()
        return _view(report, show_reporter=True)

    @router.get("/{report_id}", response_model=ReportView, summary="One report")
    async def get_report(
        report_id: str, request: Request, staff: Annotated[Staff, Depends(current_staff)]
    ) -> ReportView:
        async with platform_of(request).sessions() as session:
            report = await session.get(Report, report_id)
        if report is None or not staff.covers(report.region_code):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such report in your region")
        return _view(report, show_reporter=staff.has(*SEES_REPORTER))

    return router


def _nearby(report: Report, match: Match, now: datetime, lang: str) -> NearbyReport:
    summary = report.description[:160] + ("…" if len(report.description) > 160 else "")
    return NearbyReport(
        report_id=report.id,
        category=report.category,
        priority=report.priority,
        kecamatan=report.kecamatan,
        kelurahan=report.kelurahan,
        address=report.address,
        people_count=report.people_count,
        danger_flags=report.danger_flags,
        summary=summary,
        why_near=match.reason,
        minutes_ago=int((now - report.received_at).total_seconds() // 60),
        received_local=format_local(report.received_at, report.region_code, lang=lang),
    )


def _view(report: Report, *, show_reporter: bool) -> ReportView:
    return ReportView(
        report_id=report.id,
        region_code=report.region_code,
        channel=report.channel,
        status=report.status,
        category=report.category,
        priority=report.priority,
        priority_reasons=report.priority_reasons,
        description=report.description,
        kecamatan=report.kecamatan,
        kelurahan=report.kelurahan,
        address=report.address,
        people_count=report.people_count,
        danger_flags=report.danger_flags,
        duplicate_of=report.duplicate_of,
        duplicate_reason=report.duplicate_reason,
        link_hints=hints_of(report),
        link_history=[LinkChange.model_validate(e) for e in report.extra.get(LINK_HISTORY, [])],
        triage_reason=report.triage_reason,
        received_at=report.received_at,
        reporter_name=report.reporter_name if show_reporter else None,
        reporter_phone=report.reporter_phone if show_reporter else None,
    )
