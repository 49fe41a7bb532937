"""One transaction's worth of dispatch work in one region (:class:`Ctx`): the session, the
outbox, the clock and the rules — production's :class:`~.ports.DispatchUnit`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.rules import DispatchRules
from services.dispatch.incidents.store import SqlIncidents
from services.dispatch.models import Incident, IncidentLog
from shared.contracts.events import Payload

Emit = Callable[..., object]  # emit(payload, region_code=..., correlation_id=...)


@dataclass
class Ctx:
    """One transaction's worth of dispatch work in one region."""

    session: AsyncSession
    emit: Emit
    now: datetime
    rules: DispatchRules = field(default_factory=DispatchRules)

    @property
    def incidents(self) -> SqlIncidents:
        return SqlIncidents(self.session)

    def publish(self, payload: Payload, region_code: str, correlation_id: str) -> None:
        self.emit(payload, region_code=region_code, correlation_id=correlation_id)

    def note(
        self, incident: Incident | None, region: str, kind: str, actor: str, **detail: Any
    ) -> None:
        self.session.add(
            IncidentLog(
                incident_id=incident.id if incident else None,
                region_code=region,
                at=self.now,
                kind=kind,
                actor=actor,
                detail=detail,
            )
        )
