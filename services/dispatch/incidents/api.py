"""Incidents over HTTP: the region's list, one incident's timeline, a supervisor's manual actions
(each with a reason, audited), and the service levels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from services.dispatch.console.api import personal
from services.dispatch.console.board import CaseBrief, case_briefs, without_personal
from services.dispatch.domain.levels import Spread, Timings, service_levels
from services.dispatch.domain.states import OPEN
from services.dispatch.incidents import manual_actions, unassigned
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.linked_reports import LinkedReport, linked_reports
from services.dispatch.models import Assignment, Incident, IncidentLog
from shared.auth import Role, Staff, ensure_covers, require
from shared.contracts.envelope import RegionCode
from shared.contracts.vocabulary import IncidentState, NoTeamAlternative, Priority
from shared.http import platform_of

Reader = Annotated[
    Staff, Depends(require(Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.CALL_CENTER))
]
Supervisor = Annotated[Staff, Depends(require(Role.SUPERVISOR))]


class IncidentView(BaseModel):
    incident_id: str
    number: str
    region_code: str
    state: str
    priority: str
    category: str
    channel: str
    description: str | None = Field(description="Null for call-center accounts")
    kecamatan: str | None
    kelurahan: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    people_count: int
    danger_flags: list[str]
    report_ids: list[str]
    team_id: str | None
    escalations: int
    received_at: datetime
    assigned_at: datetime | None
    acknowledged_at: datetime | None
    on_scene_at: datetime | None
    closed_at: datetime | None
    no_team_alternative: str | None = Field(
        default=None, description="A supervisor recorded no TRC team can go: what was done instead"
    )
    no_team_at: datetime | None = None


class AssignmentView(BaseModel):
    assignment_id: str
    team_id: str
    state: str
    current: bool
    reasons: list[str]
    assigned_by: str
    created_at: datetime
    ack_deadline: datetime
    acknowledged_at: datetime | None
    released_at: datetime | None
    release_reason: str | None


class LogView(BaseModel):
    at: datetime
    kind: str
    actor: str
    detail: dict[str, Any]


class IncidentDetail(IncidentView):
    assignments: list[AssignmentView]
    timeline: list[LogView]
    cases: list[CaseBrief] = Field(description="Shelter cases of the people brought in")
    reports: list[LinkedReport] = Field(
        default_factory=list, description="Its reports, the first first: any other may be split"
    )


class Reason(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class AssignBody(Reason):
    team_id: str = Field(min_length=1, max_length=40)


class PriorityBody(Reason):
    priority: Priority


class CloseBody(Reason):
    outcome: IncidentState | None = Field(
        default=None, description="How it ended, when a team still holds it"
    )


class NoTeamBody(Reason):
    alternative: NoTeamAlternative = Field(description="What was done instead")


class SpreadView(BaseModel):
    count: int
    p50_s: float | None
    p90_s: float | None
    within_target: float | None


def _view(i: Incident) -> dict[str, Any]:
    return {
        "incident_id": i.id, "number": i.number, "region_code": i.region_code, "state": i.state,
        "priority": i.priority, "category": i.category, "channel": i.channel,
        "description": i.description, "kecamatan": i.kecamatan, "kelurahan": i.kelurahan,
        "address": i.address, "latitude": i.latitude, "longitude": i.longitude,
        "people_count": i.people_count, "danger_flags": i.danger_flags, "report_ids": i.report_ids,
        "team_id": i.team_id, "escalations": i.escalations, "received_at": i.received_at,
        "assigned_at": i.assigned_at, "acknowledged_at": i.acknowledged_at,
        "on_scene_at": i.on_scene_at, "closed_at": i.closed_at,
        "no_team_alternative": i.no_team_alternative, "no_team_at": i.no_team_at,
    }  # fmt: skip


def build_incidents_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["incidents"])

    @router.get("/incidents", response_model=list[IncidentView], summary="A region's incidents")
    async def incidents(
        request: Request,
        staff: Reader,
        region_code: RegionCode,
        open_only: Annotated[bool, Query(alias="open")] = True,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[IncidentView]:
        ensure_covers(staff, region_code)
        query = select(Incident).where(Incident.region_code == region_code)
        if open_only:
            query = query.where(col(Incident.state).in_(sorted(s.value for s in OPEN)))
        query = query.order_by(col(Incident.priority), col(Incident.received_at)).limit(limit)
        async with platform_of(request).sessions() as session:
            rows = (await session.exec(query)).all()
        shown = _view if personal(staff) else lambda i: without_personal(_view(i))
        return [IncidentView(**shown(i)) for i in rows]

    @router.get("/incidents/{incident_id}", response_model=IncidentDetail, summary="One incident")
    async def incident(incident_id: str, request: Request, staff: Reader) -> IncidentDetail:
        async with platform_of(request).sessions() as session:
            found = await session.get(Incident, incident_id)
            if found is None or not staff.covers(found.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such incident in your region")
            assignments = (
                await session.exec(
                    select(Assignment)
                    .where(Assignment.incident_id == incident_id)
                    .order_by(col(Assignment.created_at))
                )
            ).all()
            timeline = (
                await session.exec(
                    select(IncidentLog)
                    .where(IncidentLog.incident_id == incident_id)
                    .order_by(col(IncidentLog.id))
                )
            ).all()
            cases = (await case_briefs(session, [incident_id])).get(incident_id, [])
            reports = await linked_reports(session, found)
        view = _view(found) if personal(staff) else without_personal(_view(found))
        return IncidentDetail(
            **view,
            cases=cases,
            reports=reports,
            assignments=[
                AssignmentView(
                    assignment_id=a.id,
                    team_id=a.team_id,
                    state=a.state,
                    current=a.is_current,
                    reasons=a.reasons,
                    assigned_by=a.assigned_by,
                    created_at=a.created_at,
                    ack_deadline=a.ack_deadline,
                    acknowledged_at=a.acknowledged_at,
                    released_at=a.released_at,
                    release_reason=a.release_reason,
                )
                for a in assignments
            ],
            timeline=[
                LogView(at=e.at, kind=e.kind, actor=e.actor, detail=e.detail) for e in timeline
            ],
        )

    async def act(
        request: Request,
        incident_id: str,
        staff: Staff,
        action: Callable[[Ctx, str], Awaitable[Incident]],
    ) -> IncidentView:
        platform = platform_of(request)
        async with platform.sessions() as session:
            found = await session.get(Incident, incident_id)
        if found is None or not staff.covers(found.region_code):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such incident in your region")
        async with platform.uow() as uow:
            ctx = Ctx(uow.session, uow.emit, request.app.state.clock(), request.app.state.rules)
            try:
                result = await action(ctx, found.region_code)
            except manual_actions.ManualError as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
            await uow.commit()
        return IncidentView(**_view(result))

    @router.post(
        "/incidents/{incident_id}/assign",
        response_model=IncidentView,
        summary="Assign or reassign to a team on duty",
    )
    async def assign(
        incident_id: str, body: AssignBody, request: Request, staff: Supervisor
    ) -> IncidentView:
        return await act(
            request,
            incident_id,
            staff,
            lambda ctx, region: manual_actions.assign_to(
                ctx, region, incident_id, body.team_id, staff.username, body.reason
            ),
        )

    @router.post(
        "/incidents/{incident_id}/priority",
        response_model=IncidentView,
        summary="Change the priority",
    )
    async def priority(
        incident_id: str, body: PriorityBody, request: Request, staff: Supervisor
    ) -> IncidentView:
        return await act(
            request,
            incident_id,
            staff,
            lambda ctx, region: manual_actions.reprioritise(
                ctx, region, incident_id, body.priority, staff.username, body.reason
            ),
        )

    @router.post(
        "/incidents/{incident_id}/cancel",
        response_model=IncidentView,
        summary="Cancel (duplicate or false report)",
    )
    async def cancel(
        incident_id: str, body: Reason, request: Request, staff: Supervisor
    ) -> IncidentView:
        return await act(
            request,
            incident_id,
            staff,
            lambda ctx, region: manual_actions.cancel(
                ctx, region, incident_id, staff.username, body.reason
            ),
        )

    @router.post(
        "/incidents/{incident_id}/close",
        response_model=IncidentView,
        summary="Close (with the outcome if a team holds it)",
    )
    async def close(
        incident_id: str, body: CloseBody, request: Request, staff: Supervisor
    ) -> IncidentView:
        return await act(
            request,
            incident_id,
            staff,
            lambda ctx, region: manual_actions.close(
                ctx, region, incident_id, staff.username, body.reason, body.outcome
            ),
        )

    @router.post(
        "/incidents/{incident_id}/no-team",
        response_model=IncidentView,
        summary="Record that no TRC team can go, and what was done instead",
    )
    async def no_team(
        incident_id: str, body: NoTeamBody, request: Request, staff: Supervisor
    ) -> IncidentView:
        return await act(
            request,
            incident_id,
            staff,
            lambda ctx, region: unassigned.record_no_team(
                ctx, region, incident_id, body.alternative, staff.username, body.reason
            ),
        )

    @router.get(
        "/regions/{region_code}/service-levels",
        response_model=dict[str, SpreadView],
        summary="Service levels (seconds, percentiles)",
    )
    async def levels(
        region_code: RegionCode,
        request: Request,
        staff: Reader,
        days: Annotated[int, Query(ge=1, le=366)] = 30,
    ) -> dict[str, SpreadView]:
        ensure_covers(staff, region_code)
        since = request.app.state.clock() - timedelta(days=days)
        async with platform_of(request).sessions() as session:
            rows = (
                await session.exec(
                    select(Incident).where(
                        Incident.region_code == region_code, col(Incident.received_at) >= since
                    )
                )
            ).all()
        found = service_levels(
            Timings(i.received_at, i.assigned_at, i.acknowledged_at, i.on_scene_at) for i in rows
        )
        return {name: SpreadView(**_spread(s)) for name, s in found.items()}

    return router


def _spread(s: Spread) -> dict[str, Any]:
    return {"count": s.count, "p50_s": s.p50_s, "p90_s": s.p90_s, "within_target": s.within_target}
