"""Teams, members, shifts and the roster over HTTP (supervisors and admins of the region), with
CSV import from the department's spreadsheet, and who is on duty now, next, and where the
roster leaves nobody in the next 24 hours."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from services.dispatch.domain.sheets import (
    MemberRow,
    RosterRow,
    SheetErrors,
    TeamRow,
    parse_members,
    parse_roster,
    parse_teams,
)
from services.dispatch.domain.shifts import UnknownShift
from services.dispatch.incidents.assignment import assign_waiting
from services.dispatch.incidents.capacity import team_loads
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.region_lock import lock_region
from services.dispatch.models import Member, RosterSlot, ShiftDefinition, Team, TeamMember
from services.dispatch.roster import writes
from services.dispatch.roster.duty import duty_picture, team_members
from services.dispatch.roster.gap_warning import warn_of_gap_ahead
from shared.auth import Role, Staff, ensure_covers, require
from shared.contracts.envelope import RegionCode
from shared.http import platform_of
from shared.regions import UnknownRegion, format_local, region_zone

Reader = Annotated[
    Staff, Depends(require(Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.CALL_CENTER))
]
Manager = Annotated[Staff, Depends(require(Role.SUPERVISOR))]
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class ShiftIn(BaseModel):
    code: str = Field(min_length=1, max_length=20, examples=["pagi"])
    starts: str = Field(pattern=HHMM, examples=["07:00"])
    ends: str = Field(pattern=HHMM, examples=["15:00"], description="≤ starts: past midnight")


class TeamIn(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    capacity: int = Field(default=2, ge=1, le=50)
    zones: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=100)


class MemberIn(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["staff", "bko"] = "staff"
    role: Literal["leader", "member", "driver", "social_worker"] = "member"
    telegram_user_id: int | None = Field(default=None, ge=1, lt=2**63)
    teams: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=20)
    username: str | None = Field(default=None, max_length=60)


class SlotIn(BaseModel):
    day: date
    shift: str = Field(min_length=1, max_length=20)
    team_code: str = Field(min_length=1, max_length=40)


class TeamView(BaseModel):
    team_id: str
    code: str
    name: str
    capacity: int
    load: int
    zones: list[str]
    active: bool
    members: list[str] = Field(description="Member codes")
    members_without_telegram: list[str]


class MemberView(BaseModel):
    member_id: str
    code: str
    name: str
    kind: str
    role: str
    telegram_linked: bool
    teams: list[str]


class DutyView(BaseModel):
    at: str
    on_duty: list[str] = Field(description="Team codes on duty now")
    next: list[str] = Field(description="Team codes of the next shift")
    gaps_next_24h: list[dict[str, str]] = Field(description="From/to, local time: nobody rostered")


class Imported(BaseModel):
    kind: str
    rows: int


@asynccontextmanager
async def _writing(request: Request, region_code: str) -> AsyncIterator[Ctx]:
    """One transaction under the region's lock; queued incidents move if the change frees a team."""
    async with platform_of(request).uow() as uow:
        ctx = Ctx(uow.session, uow.emit, request.app.state.clock(), request.app.state.rules)
        region = await lock_region(uow.session, region_code)
        try:
            yield ctx
            await warn_of_gap_ahead(ctx, region)  # a change that leaves a gap soon says so now
            await writes.announce_teams(ctx.session, ctx.emit, region_code)
            await writes.announce_duty(ctx.session, ctx.emit, region_code, ctx.now)
            await assign_waiting(ctx, region_code)
        except SheetErrors as exc:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                [{"line": line, "msg": message} for line, message in exc.errors],
            ) from None
        except UnknownShift as exc:  # shifts redefined without one the roster still names
            raise HTTPException(
                status.HTTP_409_CONFLICT, f"{exc}, but the roster still uses it: change it first"
            ) from None
        except UnknownRegion as exc:  # shifts are local times: the region's zone must be known
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        await uow.commit()


def build_teams_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/regions/{region_code}", tags=["teams and roster"])

    @router.get("/shifts", response_model=list[ShiftIn], summary="The region's shifts")
    async def shifts(region_code: RegionCode, request: Request, staff: Reader) -> list[ShiftIn]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            rows = await session.exec(
                select(ShiftDefinition).where(ShiftDefinition.region_code == region_code)
            )
            return [ShiftIn(code=r.code, starts=r.starts, ends=r.ends) for r in rows]

    @router.put("/shifts", response_model=list[ShiftIn], summary="Define the shifts (local time)")
    async def put_shifts(
        region_code: RegionCode,
        body: Annotated[list[ShiftIn], Body(max_length=12)],
        request: Request,
        staff: Manager,
    ) -> list[ShiftIn]:
        ensure_covers(staff, region_code)
        if len({s.code for s in body}) != len(body):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "shift codes must differ")
        async with _writing(request, region_code) as ctx:
            await writes.save_shifts(
                ctx.session, region_code, [(s.code.casefold(), s.starts, s.ends) for s in body]
            )
        return body

    @router.get("/teams", response_model=list[TeamView], summary="Teams, load and members")
    async def teams(region_code: RegionCode, request: Request, staff: Reader) -> list[TeamView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            rows = (
                await session.exec(
                    select(Team).where(Team.region_code == region_code).order_by(Team.code)
                )
            ).all()
            loads = await team_loads(session, [t.id for t in rows])
            links = await team_members(session, region_code)
        return [
            TeamView(
                team_id=t.id,
                code=t.code,
                name=t.name,
                capacity=t.capacity,
                load=loads.get(t.id, 0),
                zones=t.zones,
                active=t.active,
                members=sorted(m.code for m in links if m.team_id == t.id),
                members_without_telegram=sorted(
                    m.code for m in links if m.team_id == t.id and m.telegram_user_id is None
                ),
            )
            for t in rows
        ]

    @router.post("/teams", response_model=list[TeamView], summary="Add or update teams (by code)")
    async def post_teams(
        region_code: RegionCode,
        body: Annotated[list[TeamIn], Body(max_length=500)],
        request: Request,
        staff: Manager,
    ) -> list[TeamView]:
        ensure_covers(staff, region_code)
        if len({t.code for t in body}) != len(body):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "team codes must differ")
        rows = [
            TeamRow(n + 1, t.code, t.name, t.capacity, tuple(t.zones)) for n, t in enumerate(body)
        ]
        async with _writing(request, region_code) as ctx:
            await writes.save_teams(ctx.session, region_code, rows)
        return await teams(region_code, request, staff)

    @router.get("/members", response_model=list[MemberView], summary="Members (no phone numbers)")
    async def members(region_code: RegionCode, request: Request, staff: Reader) -> list[MemberView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            rows = (
                await session.exec(
                    select(Member).where(Member.region_code == region_code).order_by(Member.code)
                )
            ).all()
            links = (
                await session.exec(
                    select(TeamMember.member_id, Team.code)
                    .join(Team, col(Team.id) == col(TeamMember.team_id))
                    .where(Team.region_code == region_code)
                )
            ).all()
        return [
            MemberView(
                member_id=m.id,
                code=m.code,
                name=m.name,
                kind=m.kind,
                role=m.role,
                telegram_linked=m.telegram_user_id is not None,
                teams=sorted(code for member_id, code in links if member_id == m.id),
            )
            for m in rows
        ]

    @router.post(
        "/members", response_model=list[MemberView], summary="Add or update members (by code)"
    )
    async def post_members(
        region_code: RegionCode,
        body: Annotated[list[MemberIn], Body(max_length=2000)],
        request: Request,
        staff: Manager,
    ) -> list[MemberView]:
        ensure_covers(staff, region_code)
        if len({m.code for m in body}) != len(body):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "member codes must differ")
        rows = [
            MemberRow(
                n + 1,
                m.code,
                m.name,
                m.kind,
                m.role,
                m.telegram_user_id,
                tuple(m.teams),
                m.username,
            )
            for n, m in enumerate(body)
        ]
        async with _writing(request, region_code) as ctx:
            await writes.save_members(ctx.session, region_code, rows)
        return await members(region_code, request, staff)

    @router.get("/roster", response_model=list[SlotIn], summary="Who works which shift, by day")
    async def roster(
        region_code: RegionCode,
        request: Request,
        staff: Reader,
        start: Annotated[date, Query(alias="from")],
        end: Annotated[date, Query(alias="to")],
    ) -> list[SlotIn]:
        ensure_covers(staff, region_code)
        if (end - start).days > 92:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "at most 92 days at a time")
        async with platform_of(request).sessions() as session:
            codes = {
                t.id: t.code for t in (await writes.teams_by_code(session, region_code)).values()
            }
            rows = await session.exec(
                select(RosterSlot)
                .where(
                    RosterSlot.region_code == region_code,
                    col(RosterSlot.day) >= start,
                    col(RosterSlot.day) <= end,
                )
                .order_by(col(RosterSlot.day), col(RosterSlot.shift))
            )
            return [
                SlotIn(day=r.day, shift=r.shift, team_code=codes.get(r.team_id, r.team_id))
                for r in rows
            ]

    @router.post("/roster", response_model=Imported, summary="Add roster slots")
    async def post_roster(
        region_code: RegionCode,
        body: Annotated[list[SlotIn], Body(max_length=5000)],
        request: Request,
        staff: Manager,
    ) -> Imported:
        ensure_covers(staff, region_code)
        rows = [
            RosterRow(n + 1, s.day, s.shift.casefold(), s.team_code) for n, s in enumerate(body)
        ]
        async with _writing(request, region_code) as ctx:
            added = await writes.save_roster(ctx.session, region_code, rows, replace_days=False)
        return Imported(kind="roster", rows=added)

    @router.post(
        "/import/{kind}",
        response_model=Imported,
        summary="Import a CSV of teams, members or roster; a bad row imports nothing",
        openapi_extra={
            "requestBody": {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "required": True,
            }
        },
    )
    async def import_csv(
        region_code: RegionCode,
        kind: Literal["teams", "members", "roster"],
        request: Request,
        staff: Manager,
    ) -> Imported:
        ensure_covers(staff, region_code)
        raw = await request.body()
        if len(raw) > 2_000_000:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "at most 2 MB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # spreadsheets saved the Windows way
        async with _writing(request, region_code) as ctx:
            if kind == "teams":
                count = len(await writes.save_teams(ctx.session, region_code, parse_teams(text)))
            elif kind == "members":
                count = len(
                    await writes.save_members(ctx.session, region_code, parse_members(text))
                )
            else:
                rows = parse_roster(text)
                await writes.save_roster(ctx.session, region_code, rows, replace_days=True)
                count = len(rows)
        return Imported(kind=kind, rows=count)

    @router.get(
        "/duty", response_model=DutyView, summary="On duty now, next, and roster gaps in 24 h"
    )
    async def duty(region_code: RegionCode, request: Request, staff: Reader) -> DutyView:
        ensure_covers(staff, region_code)
        now: datetime = request.app.state.clock()
        try:
            region_zone(region_code)
        except UnknownRegion as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        async with platform_of(request).sessions() as session:
            picture = await duty_picture(session, region_code, now)
            codes = {
                t.id: t.code for t in (await writes.teams_by_code(session, region_code)).values()
            }
        return DutyView(
            at=format_local(now, region_code),
            on_duty=sorted(codes.get(t, t) for t in picture.on_now),
            next=sorted(codes.get(t, t) for t in picture.next),
            gaps_next_24h=[
                {"from": format_local(a, region_code), "to": format_local(b, region_code)}
                for a, b in picture.gaps
            ],
        )

    return router
