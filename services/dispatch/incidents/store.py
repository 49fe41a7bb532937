"""The incidents port on the database (:class:`SqlIncidents`): what production's use cases read
and change through, in the caller's session, committed by its unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.incidents.region_lock import lock_region
from services.dispatch.models import Incident


class SqlIncidents:
    """:class:`~.ports.IncidentRepository` over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_region(self, region_code: str) -> None:
        await lock_region(self.session, region_code)

    async def get(self, incident_id: str) -> Incident | None:
        return await self.session.get(Incident, incident_id)

    async def due_for_reminder(self, region_code: str, now: datetime) -> Sequence[Incident]:
        query = select(Incident).where(
            Incident.region_code == region_code,
            (col(Incident.remind_at) <= now) | (col(Incident.retry_missed_at) <= now),
        )
        return (await self.session.exec(query)).all()
