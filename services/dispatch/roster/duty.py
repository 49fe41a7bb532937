"""Who is on duty, read from the database: a region's shifts and roster as duties, the duty
picture of the next 24 hours, and the members of its teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.shifts import (
    Duty,
    RosterEntry,
    ShiftDef,
    duties,
    gaps,
    on_duty,
    roster_days,
)
from services.dispatch.models import Member, RosterSlot, ShiftDefinition, TeamMember
from shared.regions import region_zone


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
    slots = await session.exec(  # plain columns: read for every report
        select(col(RosterSlot.day), col(RosterSlot.shift), col(RosterSlot.team_id)).where(
            RosterSlot.region_code == region_code,
            col(RosterSlot.day) >= days[0],
            col(RosterSlot.day) <= days[-1],
        )
    )
    entries = [RosterEntry(day, shift, team_id) for day, shift, team_id in slots]
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
