"""A region's duty picture from the database: the region lock, who is on duty, team loads."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.policy import TeamState, zone_key
from services.dispatch.domain.shifts import Duty, RosterEntry, ShiftDef, duties, roster_days
from services.dispatch.models import Assignment, RegionState, RosterSlot, ShiftDefinition, Team
from shared.regions import region_zone

HOLDING = ("pending", "acknowledged")  # assignment states that take a team's capacity


async def lock_region(session: AsyncSession, region_code: str) -> RegionState:
    """Take the region's lock for this transaction (a row lock on PostgreSQL; SQLite has one
    writer at a time anyway). Every change of a region's dispatch state starts here."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.exec(
            pg_insert(RegionState).values(region_code=region_code).on_conflict_do_nothing()
        )
        query = select(RegionState).where(RegionState.region_code == region_code).with_for_update()
        return (await session.exec(query)).one()
    state = await session.get(RegionState, region_code)
    if state is None:
        state = RegionState(region_code=region_code)
        session.add(state)
        await session.flush()
    return state


def parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


async def shift_defs(session: AsyncSession, region_code: str) -> list[ShiftDef]:
    rows = await session.exec(
        select(ShiftDefinition).where(ShiftDefinition.region_code == region_code)
    )
    return [ShiftDef(r.code, parse_time(r.starts), parse_time(r.ends)) for r in rows]


async def region_duties(
    session: AsyncSession, region_code: str, at: datetime, *, ahead: timedelta = timedelta(0)
) -> list[Duty]:
    """The duties that can touch [at, at + ahead] (yesterday's night shift included)."""
    zone = region_zone(region_code).zone
    days = roster_days(at, zone, ahead=ahead)
    slots = await session.exec(
        select(RosterSlot).where(
            RosterSlot.region_code == region_code,
            col(RosterSlot.day) >= days[0],
            col(RosterSlot.day) <= days[-1],
        )
    )
    entries = [RosterEntry(s.day, s.shift, s.team_id) for s in slots]
    return duties(await shift_defs(session, region_code), entries, zone)


async def team_states(
    session: AsyncSession, team_ids: set[str]
) -> tuple[list[TeamState], dict[str, Team]]:
    """Active teams among ``team_ids`` with their current load (and their rows, by id)."""
    if not team_ids:
        return [], {}
    teams = (
        await session.exec(select(Team).where(col(Team.id).in_(sorted(team_ids)), Team.active))
    ).all()
    loads = await team_loads(session, [t.id for t in teams])
    states = [
        TeamState(
            team_id=t.id,
            zones=frozenset(filter(None, (zone_key(z) for z in t.zones))),
            capacity=max(t.capacity, 1),
            load=loads.get(t.id, 0),
            free_since=t.free_since,
        )
        for t in teams
    ]
    return states, {t.id: t for t in teams}


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
