"""Kafka entrypoints of shelter: a secured incident opens its cases."""

from __future__ import annotations

from services.shelter.cases import on_incident_secured
from shared.clock import Clock
from shared.contracts.events import IncidentStatusChanged
from shared.messaging.handler import Handler, HandlerContext


def build_handlers(clock: Clock) -> dict[str, dict[str, Handler]]:
    async def status_changed(ctx: HandlerContext) -> None:
        assert isinstance(ctx.payload, IncidentStatusChanged)
        await on_incident_secured(
            ctx.session, ctx.emit, ctx.envelope.region_code, ctx.payload, clock()
        )

    return {"trc.incidents.v1": {"incident.status_changed": status_changed}}
