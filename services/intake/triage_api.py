"""The triage queue over HTTP, for call-center staff and supervisors of the report's region."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field

from services.intake import triage
from services.intake.ingest import InvalidSubmission
from services.intake.models import Report
from services.intake.staff_api import ReportView, _view
from shared.auth import Role, Staff, require
from shared.contracts.events import Location
from shared.contracts.vocabulary import DangerFlag
from shared.http import platform_of
from shared.messaging.uow import UnitOfWork

Operator = Annotated[Staff, Depends(require(Role.CALL_CENTER, Role.SUPERVISOR))]


class TriageItem(ReportView):
    claimed_by: str | None
    claim_expires_at: datetime | None


class DispatchDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(max_length=60)
    location: Location
    danger_flags: list[DangerFlag] = Field(default_factory=list)


class Dismissal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=200, examples=["spam / bukan laporan"])


def build_triage_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/triage", tags=["triage"])

    @router.get("", response_model=list[TriageItem], summary="Reports waiting for an operator")
    async def list_queue(request: Request, staff: Operator) -> list[TriageItem]:
        async with platform_of(request).sessions() as session:
            reports = await triage.queue(session, staff.covers)
        return [_item(r) for r in reports]

    @router.post("/{report_id}/claim", response_model=TriageItem, summary="Take a report")
    async def claim(report_id: str, request: Request, staff: Operator) -> TriageItem:
        return await _run(
            request,
            staff,
            report_id,
            lambda uow, now: triage.claim(uow.session, report_id, staff.username, now),
        )

    @router.post("/{report_id}/release", response_model=TriageItem, summary="Give it back")
    async def release(report_id: str, request: Request, staff: Operator) -> TriageItem:
        return await _run(
            request,
            staff,
            report_id,
            lambda uow, now: triage.release(uow.session, report_id, staff.username, now),
        )

    @router.post("/{report_id}/dismiss", response_model=TriageItem, summary="Not a report")
    async def dismiss(
        report_id: str, body: Dismissal, request: Request, staff: Operator
    ) -> TriageItem:
        return await _run(
            request,
            staff,
            report_id,
            lambda uow, now: triage.dismiss(
                uow.session, report_id, staff.username, body.reason, now
            ),
        )

    @router.post(
        "/{report_id}/dispatch",
        response_model=TriageItem,
        summary="Complete it (category, place) and send it to dispatch",
    )
    async def dispatch(
        report_id: str, body: DispatchDecision, request: Request, staff: Operator
    ) -> TriageItem:
        return await _run(
            request,
            staff,
            report_id,
            lambda uow, now: triage.dispatch(
                uow.session,
                report_id,
                staff.username,
                category=body.category,
                location=body.location,
                danger_flags=body.danger_flags,
                emit=uow.emit,
                now=now,
            ),
        )

    return router


async def _run(
    request: Request,
    staff: Staff,
    report_id: str,
    action: Callable[[UnitOfWork, datetime], Awaitable[Report]],
) -> TriageItem:
    """One unit of work for a triage action in the staff member's region, errors as HTTP."""
    async with platform_of(request).uow() as uow:
        report = await uow.session.get(Report, report_id)
        if report is None or not staff.covers(report.region_code):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not in the triage queue")
        try:
            report = await action(uow, datetime.now(UTC))
        except InvalidSubmission as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        except triage.TriageConflict as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
        except triage.NotInTriage:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not in the triage queue") from None
        await uow.commit()
    return _item(report)


def _item(report: Report) -> TriageItem:
    view = _view(report, show_reporter=True)
    return TriageItem(
        **view.model_dump(), claimed_by=report.claimed_by, claim_expires_at=report.claim_expires_at
    )
