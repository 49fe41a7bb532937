"""The ports of the use cases that run without a database: the incidents one transaction reads
and changes, and the timeline and outbox it writes to (the database's side: :mod:`.store`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from services.dispatch.domain.rules import DispatchRules
from services.dispatch.models import Incident
from shared.contracts.events import Payload


class IncidentRepository(Protocol):
    """One transaction's incidents."""

    async def lock_region(self, region_code: str) -> None:
        """Hold the region's lock until the transaction ends (every change starts here)."""

    async def get(self, incident_id: str) -> Incident | None:
        """The incident, or None."""

    async def due_for_reminder(self, region_code: str, now: datetime) -> Sequence[Incident]:
        """The region's incidents whose reminder, or missed team's retry time, has come."""


class DispatchUnit(Protocol):
    """One transaction of dispatch work in a region: its incidents, its clock and rules, and
    what it writes to an incident's timeline and publishes through the outbox."""

    now: datetime
    rules: DispatchRules

    @property
    def incidents(self) -> IncidentRepository:
        """The transaction's incidents."""

    def note(
        self, incident: Incident | None, region: str, kind: str, actor: str, **detail: Any
    ) -> None:
        """A line in the incident's timeline (or the region's, without one)."""

    def publish(self, payload: Payload, region_code: str, correlation_id: str) -> None:
        """An event, published once the transaction commits."""
