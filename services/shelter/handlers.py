"""Kafka entrypoints of shelter: a secured incident opens its cases; another region's referral
arrives, and the answer to ours."""

from __future__ import annotations

from services.shelter.cases.lifecycle import on_incident_secured
from services.shelter.cases.referrals import on_case_referred, on_referral_answered
from services.shelter.cases.store import SqlCaseStore
from shared.clock import Clock
from shared.contracts.events import CaseReferralAnswered, CaseReferred, IncidentStatusChanged
from shared.messaging.handler import Handler, HandlerContext


def build_handlers(clock: Clock) -> dict[str, dict[str, Handler]]:
    async def status_changed(ctx: HandlerContext) -> None:
        assert isinstance(ctx.payload, IncidentStatusChanged)
        store = SqlCaseStore(ctx.session, ctx.emit)
        await on_incident_secured(store, ctx.envelope.region_code, ctx.payload, clock())

    async def referred(ctx: HandlerContext) -> None:
        assert isinstance(ctx.payload, CaseReferred)
        await on_case_referred(ctx.session, ctx.payload, clock())

    async def answered(ctx: HandlerContext) -> None:
        assert isinstance(ctx.payload, CaseReferralAnswered)
        await on_referral_answered(SqlCaseStore(ctx.session, ctx.emit), ctx.payload, clock())

    return {
        "trc.incidents.v1": {"incident.status_changed": status_changed},
        "trc.cases.v1": {"case.referred": referred, "case.referral_answered": answered},
    }
