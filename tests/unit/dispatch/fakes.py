"""In-memory stand-ins for the ports of dispatch's use cases: incidents in a dict, a timeline and
an outbox that keep what was written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.dispatch.domain.rules import DispatchRules
from services.dispatch.models import Incident
from shared.contracts.events import Payload


@dataclass
class FakeIncidents:
    """:class:`~services.dispatch.incidents.ports.IncidentRepository` in memory."""

    rows: dict[str, Incident] = field(default_factory=dict)
    locked: list[str] = field(default_factory=list)

    def put(self, *incidents: Incident) -> None:
        self.rows.update((i.id, i) for i in incidents)

    async def lock_region(self, region_code: str) -> None:
        self.locked.append(region_code)

    async def get(self, incident_id: str) -> Incident | None:
        return self.rows.get(incident_id)

    async def due_for_reminder(self, region_code: str, now: datetime) -> Sequence[Incident]:
        return [
            i
            for i in self.rows.values()
            if i.region_code == region_code and _passed(now, i.remind_at, i.retry_missed_at)
        ]


def _passed(now: datetime, *instants: datetime | None) -> bool:
    return any(at is not None and at <= now for at in instants)


@dataclass
class FakeUnit:
    """:class:`~services.dispatch.incidents.ports.DispatchUnit` in memory."""

    now: datetime
    incidents: FakeIncidents = field(default_factory=FakeIncidents)
    rules: DispatchRules = field(default_factory=DispatchRules)
    notes: list[tuple[str | None, str, dict[str, Any]]] = field(default_factory=list)
    published: list[Payload] = field(default_factory=list)

    def note(
        self, incident: Incident | None, region: str, kind: str, actor: str, **detail: Any
    ) -> None:
        self.notes.append((incident.id if incident else None, kind, {"actor": actor, **detail}))

    def publish(self, payload: Payload, region_code: str, correlation_id: str) -> None:
        self.published.append(payload)
