"""Kafka entrypoints of dispatch: reports from intake, button presses from notify, shelter's
cases and shelters and notify's blocked chats (copied for the console); and the sweep that
handles what fell due (deadlines, check-ins, shift changes)."""

from __future__ import annotations

from functools import partial

from services.dispatch.console import blocked_chats, shelter_copy
from services.dispatch.domain.rules import DispatchRules
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.field_updates import on_field_update
from services.dispatch.incidents.reports import on_report, on_unlinked
from services.dispatch.incidents.sweep import due_regions, sweep_region
from shared.clock import Clock
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseStatusChanged,
    FieldUpdate,
    ReportReceived,
    ReportUnlinked,
    ShelterUpdated,
    TelegramChatStatusChanged,
)
from shared.faults import is_expected_fault
from shared.logging import get_logger
from shared.messaging.handler import Handler, HandlerContext
from shared.platform import Platform

log = get_logger(__name__)


def _ctx(ctx: HandlerContext, rules: DispatchRules, clock: Clock) -> Ctx:
    return Ctx(ctx.session, ctx.emit, clock(), rules)


async def report_received(ctx: HandlerContext, *, rules: DispatchRules, clock: Clock) -> None:
    assert isinstance(ctx.payload, ReportReceived)
    await on_report(_ctx(ctx, rules, clock), ctx.envelope.region_code, ctx.payload)


async def report_unlinked(ctx: HandlerContext, *, rules: DispatchRules, clock: Clock) -> None:
    assert isinstance(ctx.payload, ReportUnlinked)
    await on_unlinked(_ctx(ctx, rules, clock), ctx.envelope.region_code, ctx.payload)


async def field_update(ctx: HandlerContext, *, rules: DispatchRules, clock: Clock) -> None:
    assert isinstance(ctx.payload, FieldUpdate)
    await on_field_update(_ctx(ctx, rules, clock), ctx.envelope.region_code, ctx.payload)


async def case_opened(ctx: HandlerContext) -> None:
    assert isinstance(ctx.payload, CaseOpened)
    await shelter_copy.on_case_opened(ctx.session, ctx.envelope.region_code, ctx.payload)


async def case_status(ctx: HandlerContext) -> None:
    assert isinstance(ctx.payload, CaseStatusChanged)
    await shelter_copy.on_case_status(ctx.session, ctx.envelope.region_code, ctx.payload)


async def case_outcome(ctx: HandlerContext) -> None:
    assert isinstance(ctx.payload, CaseOutcomeRecorded)
    await shelter_copy.on_case_outcome(ctx.session, ctx.envelope.region_code, ctx.payload)


async def shelter_updated(ctx: HandlerContext) -> None:
    assert isinstance(ctx.payload, ShelterUpdated)
    await shelter_copy.on_shelter_updated(ctx.session, ctx.payload)


async def chat_status(ctx: HandlerContext) -> None:
    assert isinstance(ctx.payload, TelegramChatStatusChanged)
    await blocked_chats.on_chat_status(ctx.session, ctx.envelope.region_code, ctx.payload)


def build_handlers(rules: DispatchRules, clock: Clock) -> dict[str, dict[str, Handler]]:
    bind = partial(partial, rules=rules, clock=clock)
    return {
        "trc.reports.v1": {
            "report.received": bind(report_received),
            "report.unlinked": bind(report_unlinked),
        },
        "trc.field-updates.v1": {"field.update": bind(field_update)},
        "trc.cases.v1": {
            "case.opened": case_opened,
            "case.status_changed": case_status,
            "case.outcome": case_outcome,
            "shelter.updated": shelter_updated,
        },
        "trc.notify.v1": {"telegram.chat_status": chat_status},
    }


async def sweep(platform: Platform, rules: DispatchRules, clock: Clock) -> int:
    """Handle every region with something due, each in its own transaction."""
    now = clock()
    async with platform.sessions() as session:
        regions = await due_regions(session, now, rules.gap_warning)
    for region in sorted(regions):
        try:
            async with platform.uow() as uow:
                await sweep_region(Ctx(uow.session, uow.emit, now, rules), region)
                await uow.commit()
        except Exception as exc:  # one region's trouble must not stop the others' deadlines
            if is_expected_fault(exc):  # the database restarting: the next sweep retries
                log.warning("sweep_failed", region=region, error=repr(exc), next="the next sweep")
            else:
                log.exception("sweep_failed", region=region)
    return len(regions)
