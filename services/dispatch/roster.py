"""A region's duty picture from the database: the region lock, who is on duty, team loads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.policy import Held, TeamState, zone_key
from services.dispatch.domain.shifts import (
    Duty,
    RosterEntry,
    ShiftDef,
    duties,
    gaps,
    on_duty,
    roster_days,
)
from services.dispatch.models import (
    Assignment,
    Incident,
    Member,
    RegionState,
    RosterSlot,
    ShiftDefinition,
    Team,
    TeamMember,
)
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


@dataclass(frozen=True)
class DutyPicture:
    """Team ids on duty now and in the next shift, and where nobody is in the next 24 hours."""

    on_now: set[str]
    next: set[str]
    gaps: list[tuple[datetime, datetime]]


async def duty_picture(session: AsyncSession, region_code: str, now: datetime) -> DutyPicture:
    day = timedelta(hours=24)
    found = await region_duties(session, region_code, now, ahead=day)
    upcoming = sorted({d.start for d in found if d.start > now})
    following = on_duty(found, upcoming[0]) if upcoming else set()
    return DutyPicture(on_duty(found, now), following, gaps(found, now, now + day))


@dataclass(frozen=True)
class TeamMemberLink:
    team_id: str
    code: str
    name: str  # staff, not a reported person
    telegram_user_id: int | None


async def team_members(session: AsyncSession, region_code: str) -> list[TeamMemberLink]:
    """The active members of the region's teams (a member in two teams appears twice)."""
    rows = await session.exec(
        select(TeamMember.team_id, Member.code, Member.name, Member.telegram_user_id)
        .join(Member, col(Member.id) == col(TeamMember.member_id))
        .where(Member.region_code == region_code, col(Member.active))
    )
    return [TeamMemberLink(*row) for row in rows.all()]


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
