"""Cases over HTTP: the region's cases and the overdue ones; admission, timeline entries,
outcome, close and a supervisor's correction; a case with its plan, timeline and referrals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from services.shelter.api.access import Manager, Worker, on_case
from services.shelter.api.schemas import (
    Admit,
    CaseView,
    Correction,
    Entry,
    OutcomeIn,
    case_view,
    referral_view,
)
from services.shelter.cases import lifecycle, referrals
from services.shelter.cases.store import CaseStore, SqlCaseStore, newest_of_region, timeline
from services.shelter.domain.plan import plan
from services.shelter.models import Case
from shared.auth import Staff, ensure_covers
from shared.contracts.envelope import RegionCode
from shared.http import platform_of


async def _changed(
    request: Request, staff: Staff, case_id: str, step: Callable[..., Awaitable[Case]]
) -> CaseView:
    """Take a step of the case's life (``step(store, case, now=…)``); the case as it is after."""

    async def go(store: CaseStore, case: Case, now: datetime) -> CaseView:
        return case_view(await step(store, case, now=now))

    return await on_case(request, staff, case_id, go)


def add_case_routes(router: APIRouter) -> None:
    @router.get(
        "/regions/{region_code}/cases", response_model=list[CaseView], summary="The region's cases"
    )
    async def region_cases(
        region_code: RegionCode, request: Request, staff: Worker, state: str | None = None
    ) -> list[CaseView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            found = await newest_of_region(session, Case, region_code, Case.opened_at, state=state)
            return [case_view(c) for c in found]

    @router.post(
        "/cases/{case_id}/admit",
        response_model=CaseView,
        summary="Admit to a shelter section (409 + suggestions when full)",
    )
    async def admit(case_id: str, body: Admit, request: Request, staff: Worker) -> CaseView:
        step = partial(
            lifecycle.admit,
            shelter_id=body.shelter_id,
            section=body.section,
            belongings=body.belongings,
            actor=staff.username,
        )
        return await _changed(request, staff, case_id, step)

    @router.post(
        "/cases/{case_id}/entries",
        response_model=CaseView,
        summary="Assessment, service, stage done, tracing or reunification step, note",
    )
    async def entry(case_id: str, body: Entry, request: Request, staff: Worker) -> CaseView:
        step = partial(
            lifecycle.record_entry, kind=body.kind, detail=body.as_detail(), actor=staff.username
        )
        return await _changed(request, staff, case_id, step)

    @router.post("/cases/{case_id}/outcome", response_model=CaseView, summary="How the case ended")
    async def outcome(case_id: str, body: OutcomeIn, request: Request, staff: Worker) -> CaseView:
        step = partial(
            lifecycle.record_outcome,
            outcome=body.outcome,
            detail=body.detail,
            destination=body.destination_region_code,
            actor=staff.username,
        )
        return await _changed(request, staff, case_id, step)

    @router.post(
        "/cases/{case_id}/close", response_model=CaseView, summary="Close (read-only afterwards)"
    )
    async def close(case_id: str, request: Request, staff: Worker) -> CaseView:
        step = partial(lifecycle.close, actor=staff.username)
        return await _changed(request, staff, case_id, step)

    @router.post(
        "/cases/{case_id}/correct",
        response_model=CaseView,
        summary="A supervisor's audited correction of an ended case",
    )
    async def correct(case_id: str, body: Correction, request: Request, staff: Manager) -> CaseView:
        step = partial(
            lifecycle.correct,
            field=body.field,
            value=body.value,
            reason=body.reason,
            actor=staff.username,
        )
        return await _changed(request, staff, case_id, step)

    @router.get(
        "/regions/{region_code}/cases/overdue",
        summary="Cases whose next rehabilitation stage is past due",
    )
    async def overdue(
        region_code: RegionCode, request: Request, staff: Worker
    ) -> list[dict[str, Any]]:
        ensure_covers(staff, region_code)
        rules, now = request.app.state.rules, datetime.now(UTC)
        async with platform_of(request).sessions() as session:
            store = SqlCaseStore.reading(session)
            late = await lifecycle.overdue_cases(store, region_code, now, rules)
        return [asdict(item) for item in late]

    @router.get(
        "/cases/{case_id}",
        summary="A case: its rehabilitation plan with due dates, timeline and referrals",
    )
    async def case_detail(case_id: str, request: Request, staff: Worker) -> dict[str, Any]:
        async with platform_of(request).sessions() as session:
            case = await session.get(Case, case_id)
            if case is None or not staff.covers(case.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such case in your region")
            entries = await timeline(session, case.id)
            sent = await referrals.of_case(session, case.id)
        rules, now = request.app.state.rules, datetime.now(UTC)
        return {
            "case": case_view(case).model_dump(mode="json"),
            "stage": case.stage,
            "plan": [asdict(step) for step in plan(case, entries, rules, now)],
            "timeline": [
                {"kind": e.kind, "at": e.at, "by": e.by, "detail": e.detail} for e in entries
            ],
            "referrals": [referral_view(r).model_dump(mode="json") for r in sent],
        }
