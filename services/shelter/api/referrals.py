"""Referrals over HTTP: a case referred on, the region's referrals sent and received, and the
answer to one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, status

from services.shelter.api.access import Worker, on_case, refusals_as_conflicts
from services.shelter.api.schemas import AnswerIn, ReferralIn, ReferralView, referral_view
from services.shelter.cases import referrals
from services.shelter.cases.store import SqlCaseStore
from services.shelter.models import Case, Referral
from shared.auth import ensure_covers
from shared.contracts.envelope import RegionCode
from shared.http import platform_of


def add_referral_routes(router: APIRouter) -> None:
    @router.post(
        "/cases/{case_id}/referrals",
        response_model=ReferralView,
        summary="Refer to a hospital, an institution or the region of origin",
    )
    async def refer(
        case_id: str, body: ReferralIn, request: Request, staff: Worker
    ) -> ReferralView:
        async def go(store: SqlCaseStore, case: Case, now: datetime) -> ReferralView:
            made = await referrals.refer(
                store,
                case,
                body.to_kind,
                body.to_name,
                body.to_region_code,
                body.reason,
                staff.username,
                now,
            )
            return referral_view(made)

        return await on_case(request, staff, case_id, go)

    @router.get(
        "/regions/{region_code}/referrals",
        response_model=list[ReferralView],
        summary="The region's referrals, sent and received",
    )
    async def region_referrals(
        region_code: RegionCode,
        request: Request,
        staff: Worker,
        direction: Literal["outgoing", "incoming"] | None = None,
        state: Literal["pending", "accepted", "rejected"] | None = None,
    ) -> list[ReferralView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            found = await referrals.of_region(session, region_code, direction, state)
            return [referral_view(r) for r in found]

    @router.post(
        "/referrals/{referral_id}/answer",
        response_model=ReferralView,
        summary="Accept or refuse a referral, with the reason",
    )
    async def answer(
        referral_id: str, body: AnswerIn, request: Request, staff: Worker
    ) -> ReferralView:
        async with platform_of(request).uow() as uow:
            referral = await uow.session.get(Referral, referral_id)
            if referral is None or not staff.covers(referral.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such referral in your region")
            store = SqlCaseStore(uow.session, uow.emit)
            with refusals_as_conflicts():
                await referrals.answer(
                    store, referral, body.accepted, body.reason, staff.username, datetime.now(UTC)
                )
            view = referral_view(referral)
            await uow.commit()
        return view
