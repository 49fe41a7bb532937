"""Teams, members, shifts and the roster of a region: written as a whole or not at all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.sheets import MemberRow, RosterRow, SheetErrors, TeamRow
from services.dispatch.models import Member, RosterSlot, ShiftDefinition, Team, TeamMember
from services.dispatch.roster.duty import region_duties
from shared.contracts.events import DutyChanged, OnDuty, TeamMemberRef, TeamUpdated

Emit = Callable[..., object]


async def teams_by_code(session: AsyncSession, region_code: str) -> dict[str, Team]:
    rows = await session.exec(select(Team).where(Team.region_code == region_code))
    return {t.code: t for t in rows}


async def save_teams(
    session: AsyncSession, region_code: str, rows: Sequence[TeamRow]
) -> list[Team]:
    known = await teams_by_code(session, region_code)
    saved = []
    for row in rows:
        team = known.get(row.code) or Team(region_code=region_code, code=row.code, name=row.name)
        team.name, team.capacity, team.zones, team.active = (
            row.name,
            row.capacity,
            list(row.zones),
            True,
        )
        session.add(team)
        saved.append(team)
    await session.flush()
    return saved


async def save_members(
    session: AsyncSession, region_code: str, rows: Sequence[MemberRow]
) -> list[Member]:
    teams = await teams_by_code(session, region_code)
    errors = [
        (row.line, f"team {code!r} does not exist in {region_code}")
        for row in rows
        for code in row.teams
        if code not in teams
    ]
    if errors:
        raise SheetErrors(errors)
    known = {
        m.code: m
        for m in await session.exec(select(Member).where(Member.region_code == region_code))
    }
    saved = []
    for row in rows:
        member = known.get(row.code) or Member(
            region_code=region_code, code=row.code, name=row.name
        )
        member.name, member.kind, member.role = row.name, row.kind, row.role
        member.telegram_user_id, member.username, member.active = (
            row.telegram_user_id,
            row.username,
            True,
        )
        session.add(member)
        await session.flush()
        await session.exec(delete(TeamMember).where(col(TeamMember.member_id) == member.id))
        for code in dict.fromkeys(row.teams):  # a team named twice is one membership
            session.add(TeamMember(team_id=teams[code].id, member_id=member.id))
        saved.append(member)
    await session.flush()
    return saved


async def save_shifts(
    session: AsyncSession, region_code: str, shifts: Sequence[tuple[str, str, str]]
) -> None:
    await session.exec(
        delete(ShiftDefinition).where(col(ShiftDefinition.region_code) == region_code)
    )
    for code, starts, ends in shifts:
        session.add(ShiftDefinition(region_code=region_code, code=code, starts=starts, ends=ends))
    await session.flush()


async def save_roster(
    session: AsyncSession, region_code: str, rows: Sequence[RosterRow], *, replace_days: bool
) -> int:
    """Add the rows; with ``replace_days`` the file is the whole roster of the days it names."""
    teams = await teams_by_code(session, region_code)
    shifts = {
        s.code
        for s in await session.exec(
            select(ShiftDefinition).where(ShiftDefinition.region_code == region_code)
        )
    }
    errors = []
    defined = ", ".join(sorted(shifts)) or "none"
    for row in rows:
        if row.shift not in shifts:
            errors.append(
                (
                    row.line,
                    f"shift {row.shift!r} is not defined (defined: {defined})",
                )
            )
        if row.team not in teams:
            errors.append((row.line, f"team {row.team!r} does not exist in {region_code}"))
    if errors:
        raise SheetErrors(errors)
    days: set[date] = {r.day for r in rows}
    if replace_days and days:
        await session.exec(
            delete(RosterSlot).where(
                col(RosterSlot.region_code) == region_code, col(RosterSlot.day).in_(sorted(days))
            )
        )
    existing = set()
    if not replace_days:
        existing = {
            (s.day, s.shift, s.team_id)
            for s in await session.exec(
                select(RosterSlot).where(
                    RosterSlot.region_code == region_code, col(RosterSlot.day).in_(sorted(days))
                )
            )
        }
    added = 0
    for key in {(r.day, r.shift, teams[r.team].id) for r in rows} - existing:
        session.add(RosterSlot(region_code=region_code, day=key[0], shift=key[1], team_id=key[2]))
        added += 1
    await session.flush()
    return added


async def announce_teams(session: AsyncSession, emit: Emit, region_code: str) -> int:
    """Publish every team of the region as it is now (``team.updated``): notify learns from it
    who may press a team's buttons. A region has a handful of teams; all are sent."""
    await session.flush()
    teams = (await session.exec(select(Team).where(Team.region_code == region_code))).all()
    rows = (
        await session.exec(
            select(TeamMember.team_id, Member)
            .join(Member, col(Member.id) == col(TeamMember.member_id))
            .where(Member.region_code == region_code, col(Member.active))
        )
    ).all()
    for team in teams:
        members = [
            TeamMemberRef(
                member_id=m.id,
                code=m.code,
                name=m.name,
                role=m.role,
                telegram_user_id=m.telegram_user_id,
            )
            for team_id, m in sorted(rows, key=lambda row: row[1].code)
            if team_id == team.id
        ]
        emit(
            TeamUpdated(
                team_id=team.id, code=team.code, name=team.name, active=team.active, members=members
            ),
            region_code=region_code,
            correlation_id=team.id,
        )
    return len(teams)


async def announce_duty(session: AsyncSession, emit: Emit, region_code: str, now: datetime) -> None:
    """Publish who is on duty now (``duty.changed``): notify answers /shift from it."""
    duties = [d for d in await region_duties(session, region_code, now) if d.covers(now)]
    teams = {t.id: t for t in (await teams_by_code(session, region_code)).values()}
    on_duty = [
        OnDuty(
            team_id=d.team_id, code=teams[d.team_id].code, name=teams[d.team_id].name, until=d.end
        )
        for d in duties
        if d.team_id in teams
    ]
    emit(
        DutyChanged(at=now, on_duty=on_duty),
        region_code=region_code,
        correlation_id=f"duty:{region_code}",
    )
