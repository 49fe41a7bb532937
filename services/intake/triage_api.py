"""The triage queue over HTTP, for call-center staff and supervisors of the report's region.

Each waiting report comes with what the operator needs to decide (the page ``/triase`` shows
it): the classifier's suggestion (``category``, the place fields) and what weighed for it, the
places an ambiguous name may be, the time in the region's zone and who holds a claim.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from services.intake import triage
from services.intake.domain.decision import AMBIGUOUS_PLACE
from services.intake.ingest import InvalidSubmission
from services.intake.links import GUESSED
from services.intake.models import Report
from services.intake.staff_api import ReportView, _view
from shared.auth import Role, Staff, require
from shared.contracts.events import Location
from shared.contracts.vocabulary import DangerFlag
from shared.http import platform_of
from shared.messaging.uow import UnitOfWork
from shared.regions import format_local

Operator = Annotated[Staff, Depends(require(Role.CALL_CENTER, Role.SUPERVISOR))]
Lang = Annotated[str, Query(pattern="^(id|en)$", description="Language of received_local")]
CANDIDATE = re.compile(r"(.+?) \(Kec\. ([^)]+)\)(?:, |$)")  # "Mekarsari (Kec. Patrol), …"


class PlaceCandidate(BaseModel):
    kecamatan: str
    kelurahan: str = Field(description="The kelurahan or desa of that name in the kecamatan")


class TriageItem(ReportView):
    claimed_by: str | None
    claim_expires_at: datetime | None
    received_local: str = Field(description="In the region's zone, e.g. 22 Nov 2026 20.05 WIB")
    explanation: list[str] = Field(
        default_factory=list,
        description="What weighed in the classifier's reading, whose suggestion is the report's "
        "category and place fields",
        examples=[["kata kunci / keywords: pengemis", "model: pengemis (71%: minta, <ngem)"]],
    )
    category_guessed: bool = Field(
        default=False, description="The category is only the model's unsure guess"
    )
    candidates: list[PlaceCandidate] = Field(
        default_factory=list,
        description="lokasi ambigu: the kecamatan a kelurahan/desa name the text gives is in",
    )


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
    async def list_queue(request: Request, staff: Operator, lang: Lang = "id") -> list[TriageItem]:
        async with platform_of(request).sessions() as session:
            reports = await triage.queue(session, staff.covers)
        return [_item(r, lang) for r in reports]

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
                uow.session, report_id, staff.username, body.reason, now, emit=uow.emit
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


def _item(report: Report, lang: str = "id") -> TriageItem:
    view = _view(report, show_reporter=True)
    ambiguous = f"{AMBIGUOUS_PLACE}: "
    places = [m[len(ambiguous) :] for m in report.classifier_matched if m.startswith(ambiguous)]
    return TriageItem(
        **view.model_dump(),
        claimed_by=report.claimed_by,
        claim_expires_at=report.claim_expires_at,
        received_local=format_local(report.received_at, report.region_code, lang=lang),
        explanation=[m for m in report.classifier_matched if not m.startswith(ambiguous)],
        category_guessed=bool(report.extra.get(GUESSED)),
        candidates=[
            PlaceCandidate(kelurahan=name, kecamatan=kecamatan)
            for line in places[:1]
            for name, kecamatan in CANDIDATE.findall(line)
        ],
    )
