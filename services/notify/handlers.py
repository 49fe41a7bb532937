"""Kafka entrypoints of notify: what dispatch says (and intake's P1 reports waiting for triage)
becomes deliveries to Telegram chats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from services.notify import projections as p
from services.notify.settings import NotifySettings
from shared.clock import Clock
from shared.messaging.handler import Handler, HandlerContext


def build_handlers(settings: NotifySettings, clock: Clock) -> dict[str, dict[str, Handler]]:
    lang = settings.language

    def handler(
        use: Callable[..., Awaitable[None]], *extra: Any, with_region: bool = False
    ) -> Handler:
        async def handle(ctx: HandlerContext) -> None:
            event_id = str(ctx.envelope.event_id)
            region = ctx.envelope.region_code
            head = (ctx.session, event_id, region) if with_region else (ctx.session, event_id)
            await use(*head, ctx.payload, clock(), lang, *extra)

        return handle

    async def team_updated(ctx: HandlerContext) -> None:
        await p.on_team_updated(ctx.session, ctx.envelope.region_code, ctx.payload)  # type: ignore[arg-type]

    async def duty_changed(ctx: HandlerContext) -> None:
        await p.on_duty(ctx.session, ctx.envelope.region_code, ctx.payload)  # type: ignore[arg-type]

    return {
        "trc.teams.v1": {"team.updated": team_updated, "duty.changed": duty_changed},
        "trc.assignments.v1": {
            "assignment.created": handler(
                p.on_assignment, settings.members_privately, with_region=True
            ),
            "assignment.acknowledged": handler(p.on_acknowledged),
            "assignment.released": handler(p.on_released),
            "assignment.checkin_requested": handler(p.on_checkin, with_region=True),
        },
        "trc.incidents.v1": {
            "incident.status_changed": handler(p.on_status),
            "incident.escalated": handler(p.on_escalated, with_region=True),
            "shift.handover": handler(p.on_handover, with_region=True),
        },
        # Its own consumer (notify.reports): report.received and report.unlinked, the topic's
        # bulk, are read and skipped.
        "trc.reports.v1": {
            "report.awaiting_triage": handler(p.on_awaiting_triage, with_region=True),
            "report.triaged": handler(p.on_triaged, with_region=True),
        },
    }
