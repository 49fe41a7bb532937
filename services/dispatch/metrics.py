"""Dispatch's own gauge: open incidents by region and state, counted when scraped."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col

from services.dispatch.domain.states import OPEN
from services.dispatch.models import Incident
from shared.platform import Platform

OPEN_STATES = sorted(state.value for state in OPEN)


def watch_open_incidents(platform: Platform) -> None:
    """``trc_incidents_open``: a count on the (region_code, state) index at each scrape."""
    gauge = platform.metrics.gauge(
        "trc_incidents_open", "Incidents neither closed nor cancelled", "region_code", "state"
    )

    async def count() -> None:
        query = (
            sa_select(col(Incident.region_code), col(Incident.state), func.count())
            .where(col(Incident.state).in_(OPEN_STATES))
            .group_by(col(Incident.region_code), col(Incident.state))
        )
        async with platform.sessions() as session:
            connection = await session.connection()  # plain rows (Core), no ORM objects
            rows = (await connection.execute(query)).all()
        gauge.clear()
        for region in {region for region, _state, _count in rows}:
            for state in OPEN_STATES:  # a state emptied shows 0, not a stale number
                gauge.labels(platform.service, region, state).set(0)
        for region, state, number in rows:
            gauge.labels(platform.service, region, state).set(number)

    platform.metrics.on_scrape("open_incidents", count)
