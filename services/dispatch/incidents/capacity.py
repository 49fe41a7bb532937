"""What the teams hold: the assignments that take a team's capacity, each team's load, and the
teams as the assignment policy sees them."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.policy import Held, TeamState, zone_key
from services.dispatch.models import Assignment, Incident, Team

HOLDING = ("pending", "acknowledged")  # assignment states that take a team's capacity


async def team_states(session: AsyncSession, team_ids: set[str]) -> list[TeamState]:
    """Active teams among ``team_ids`` with their current load. Plain columns, not team rows:
    it runs for every report, over every team on duty (a hundred rows built as models cost
    more than the rest of the decision)."""
    if not team_ids:
        return []
    query = select(Team.id, Team.zones, Team.capacity, Team.free_since).where(
        col(Team.id).in_(sorted(team_ids)), Team.active
    )
    teams = list((await session.exec(query)).all())
    loads = await team_loads(session, [team_id for team_id, *_ in teams])
    return [
        TeamState(
            team_id=team_id,
            zones=frozenset(filter(None, (zone_key(z) for z in zones))),
            capacity=max(capacity, 1),
            load=loads.get(team_id, 0),
            free_since=free_since,
        )
        for team_id, zones, capacity, free_since in teams
    ]


async def team_loads(session: AsyncSession, team_ids: list[str]) -> dict[str, int]:
    if not team_ids:
        return {}
    query = (
        select(Assignment.team_id, func.count())
        .where(
            col(Assignment.team_id).in_(team_ids),
            col(Assignment.is_current),
            col(Assignment.state).in_(HOLDING),
        )
        .group_by(Assignment.team_id)
    )
    return {team_id: count for team_id, count in (await session.exec(query)).all()}


async def held_by(session: AsyncSession, team_ids: list[str]) -> dict[str, tuple[Held, ...]]:
    """What each team holds now (only asked when a P1 may borrow a busy team)."""
    if not team_ids:
        return {}
    query = (
        select(Assignment.team_id, Assignment.created_at, Incident)
        .join(Incident, col(Incident.id) == col(Assignment.incident_id))
        .where(
            col(Assignment.team_id).in_(team_ids),
            col(Assignment.is_current),
            col(Assignment.state).in_(HOLDING),
        )
    )
    found: dict[str, tuple[Held, ...]] = {}
    for team_id, assigned_at, i in (await session.exec(query)).all():
        held = Held(i.id, i.priority, i.state, assigned_at, i.number)
        found[team_id] = (*found.get(team_id, ()), held)
    return found


async def holding(session: AsyncSession, team_id: str) -> list[Assignment]:
    query = select(Assignment).where(
        Assignment.team_id == team_id,
        col(Assignment.is_current),
        col(Assignment.state).in_(HOLDING),
    )
    return list((await session.exec(query)).all())
