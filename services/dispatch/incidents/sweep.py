"""Time-driven dispatch: missed acknowledgment deadlines, on-scene check-ins, shift handovers
and roster gaps. Timers are data (deadlines in the tables), so a restart loses none: every
sweep finds what fell due, in any process, and handles it under the region's lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.shifts import handovers, on_duty
from services.dispatch.domain.states import WORKING
from services.dispatch.incidents import unassigned
from services.dispatch.incidents.assignment import assign_waiting, current_assignment, release
from services.dispatch.incidents.capacity import holding
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.region_lock import lock_region
from services.dispatch.incidents.timeline import escalate, move
from services.dispatch.models import Assignment, Incident, RegionState, ShiftDefinition, Team
from services.dispatch.roster.duty import parse_time, region_duties
from services.dispatch.roster.gap_warning import warn_of_gap_ahead
from services.dispatch.roster.writes import announce_duty
from shared.contracts.events import AssignmentTimedOut, CheckinRequested, ShiftHandover
from shared.contracts.vocabulary import IncidentState, Priority
from shared.regions import region_zone


@dataclass(frozen=True)
class _Timer:
    """One kind of timer: the column holding its instant, on the rows where it counts. Written
    once here, so what :func:`due_regions` finds, what :func:`next_due` waits for and what
    :func:`sweep_region` handles cannot drift apart."""

    at: Any
    region: Any
    where: tuple[Any, ...] = ()

    def due(self, now: datetime) -> Any:
        return and_(*self.where, col(self.at) <= now)


_ON_SCENE = col(Incident.state) == IncidentState.ON_SCENE.value
_ACK = _Timer(
    Assignment.ack_deadline,
    Assignment.region_code,
    (col(Assignment.state) == "pending", col(Assignment.is_current)),
)
_CHECKIN = _Timer(Incident.checkin_due_at, Incident.region_code, (_ON_SCENE,))
_CHECKIN_ESCALATE = _Timer(Incident.checkin_escalate_at, Incident.region_code, (_ON_SCENE,))
# Both are empty for every incident that has a team (see unassigned.remind).
_REMIND = _Timer(Incident.remind_at, Incident.region_code)
_RETRY_MISSED = _Timer(Incident.retry_missed_at, Incident.region_code)
_TIMERS = (_ACK, _CHECKIN, _CHECKIN_ESCALATE, _REMIND, _RETRY_MISSED)
# A region whose shift changes were never checked is due since always.
_ALWAYS = datetime.min.replace(tzinfo=UTC)
_DAY = timedelta(days=1)


async def due_regions(
    session: AsyncSession, now: datetime, gap_warning: timedelta = timedelta(0)
) -> set[str]:
    """Regions with a deadline, a check-in, a reminder about an incident with no team, a team
    that missed an incident allowed to have it again, a shift change, or a shift end
    ``gap_warning`` ahead (where a roster gap may begin) due (cheap, indexed queries)."""
    regions: set[str] = set()
    for timer in _TIMERS:
        regions |= set((await session.exec(select(timer.region).where(timer.due(now)))).all())
    shifts = await _shift_instants(session, gap_warning)
    return regions | {region for region, at in shifts if at <= now}


async def next_due(session: AsyncSession, gap_warning: timedelta = timedelta(0)) -> datetime | None:
    """The earliest instant from which :func:`due_regions` finds a region (``None``: nothing is
    pending), so the timer can sleep until then instead of polling. Past means due already."""
    # One statement for every kind of deadline: the timer asks after each commit that emitted.
    earliest = select(*(select(func.min(t.at)).where(*t.where).scalar_subquery() for t in _TIMERS))
    instants: list[datetime | None] = list((await session.exec(earliest)).one())
    instants += [at for _, at in await _shift_instants(session, gap_warning)]
    return min((at for at in instants if at is not None), default=None)


async def _shift_instants(session: AsyncSession, warning: timedelta) -> list[tuple[str, datetime]]:
    """Per shift: when its region next needs a handover check — the first shift boundary (or
    shift end's warning instant) after the region's last check."""
    done = {
        r.region_code: r.handovers_done_until
        for r in (await session.exec(select(RegionState))).all()
    }
    return [
        (shift.region_code, _shift_due_at(shift, done.get(shift.region_code), warning))
        for shift in (await session.exec(select(ShiftDefinition))).all()
    ]


def _shift_due_at(shift: ShiftDefinition, last: datetime | None, warning: timedelta) -> datetime:
    return _ALWAYS if last is None else _next_boundary(shift, last, warning)


def _next_boundary(shift: ShiftDefinition, since: datetime, warning: timedelta) -> datetime:
    """The first start, end or end-minus-``warning`` of ``shift`` after ``since``, on the wall
    clock of the region's zone. Indonesia's zones keep one offset all year, so each of them
    comes back every 24 hours: plain arithmetic, cheap for every shift of the country at every
    look of the timer."""
    since_of_day = _local_of_day(shift.region_code, since)
    marks = (_of_day(shift.starts), _of_day(shift.ends), _of_day(shift.ends) - warning)
    return since + min((mark - since_of_day) % _DAY or _DAY for mark in marks)


@lru_cache(maxsize=4096)  # a region's shifts share its last check
def _local_of_day(region_code: str, moment: datetime) -> timedelta:
    local = moment.astimezone(region_zone(region_code).zone)
    return local - local.replace(hour=0, minute=0, second=0, microsecond=0)


@cache
def _of_day(text: str) -> timedelta:
    at = parse_time(text)
    return timedelta(hours=at.hour, minutes=at.minute)


async def sweep_region(ctx: Ctx, region_code: str) -> None:
    """Everything time-driven that fell due in one region, in one transaction."""
    region = await lock_region(ctx.session, region_code)
    await _ack_timeouts(ctx, region_code)
    await _checkins(ctx, region_code)
    await _handovers(ctx, region)
    await assign_waiting(ctx, region_code)
    await unassigned.remind(ctx, region_code)  # what is still without a team after that


async def _ack_timeouts(ctx: Ctx, region_code: str) -> None:
    late = (
        await ctx.session.exec(
            select(Assignment).where(Assignment.region_code == region_code, _ACK.due(ctx.now))
        )
    ).all()
    for assignment in late:
        incident = await ctx.session.get(Incident, assignment.incident_id)
        assert incident is not None
        ctx.publish(
            AssignmentTimedOut(
                assignment_id=assignment.id,
                incident_id=incident.id,
                team_id=assignment.team_id,
                priority=Priority(incident.priority),
                deadline=assignment.ack_deadline,
                timed_out_at=ctx.now,
            ),
            region_code,
            incident.id,
        )
        await release(ctx, assignment, "timed_out")
        incident.excluded_teams = sorted({*incident.excluded_teams, assignment.team_id})
        incident.retry_missed_at = ctx.now + ctx.rules.deadlines.retry_missed
        incident.team_id = None
        move(ctx, incident, IncidentState.QUEUED, "system", "acknowledgment deadline missed")
        team = await ctx.session.get(Team, assignment.team_id)
        escalate(
            ctx,
            incident,
            region_code,
            "ack_timeout",
            f"{team.name if team else assignment.team_id} tidak menerima tepat waktu; "
            "dialihkan ke tim berikutnya / did not accept in time; reassigning",
            team_id=assignment.team_id,
        )


async def _checkins(ctx: Ctx, region_code: str) -> None:
    rows = (
        await ctx.session.exec(
            select(Incident).where(
                Incident.region_code == region_code,
                _CHECKIN.due(ctx.now) | _CHECKIN_ESCALATE.due(ctx.now),
            )
        )
    ).all()
    rules = ctx.rules.deadlines
    for incident in rows:
        assignment = await current_assignment(ctx.session, incident.id)
        if incident.checkin_escalate_at is not None and incident.checkin_escalate_at <= ctx.now:
            escalate(
                ctx,
                incident,
                region_code,
                "checkin_missed",
                "Tim di lokasi tidak melapor / the team on scene has not checked in",
                team_id=incident.team_id,
            )
            incident.checkin_escalate_at = None
            incident.checkin_due_at = ctx.now + rules.checkin_after
        elif incident.checkin_due_at is not None and assignment is not None:
            answer_by = ctx.now + rules.checkin_grace
            ctx.publish(
                CheckinRequested(
                    assignment_id=assignment.id,
                    incident_id=incident.id,
                    team_id=assignment.team_id,
                    on_scene_since=incident.on_scene_at or ctx.now,
                    answer_by=answer_by,
                ),
                region_code,
                incident.id,
            )
            ctx.note(incident, region_code, "checkin_requested", "system")
            incident.checkin_due_at, incident.checkin_escalate_at = None, answer_by


async def _handovers(ctx: Ctx, region: RegionState) -> None:
    since = region.handovers_done_until
    region.handovers_done_until = ctx.now
    if since is None or since >= ctx.now:
        return
    since = max(since, ctx.now - timedelta(days=1))  # after a long stop: only the last day
    ahead = ctx.now - since + timedelta(hours=1)
    duties = await region_duties(ctx.session, region.region_code, since, ahead=ahead)
    for change in handovers(duties, since, ctx.now):
        await _hand_over(ctx, region.region_code, change.at, change.leaving, change.arriving)
    if any(since < d.start <= ctx.now or since < d.end <= ctx.now for d in duties):
        await announce_duty(ctx.session, ctx.emit, region.region_code, ctx.now)
    await warn_of_gap_ahead(ctx, region)
    if not on_duty(duties, ctx.now) and (
        region.gap_alerted_from is None or region.gap_alerted_from < since
    ):
        region.gap_alerted_from = ctx.now
        escalate(
            ctx,
            None,
            region.region_code,
            "roster_gap",
            "Tidak ada tim yang bertugas sekarang / no team is on duty now",
        )


async def _hand_over(
    ctx: Ctx, region_code: str, at: datetime, leaving: tuple[str, ...], arriving: tuple[str, ...]
) -> None:
    moved: list[Incident] = []
    kept: list[str] = []
    for team_id in leaving:
        for assignment in await holding(ctx.session, team_id):
            incident = await ctx.session.get(Incident, assignment.incident_id)
            assert incident is not None
            on_scene = incident.state == IncidentState.ON_SCENE.value
            if on_scene and ctx.rules.keep_on_scene_at_handover:
                kept.append(incident.id)
                continue
            await release(ctx, assignment, "handover")
            incident.team_id = None
            if IncidentState(incident.state) in WORKING:
                move(ctx, incident, IncidentState.QUEUED, "system", "shift handover")
            moved.append(incident)
    await assign_waiting(ctx, region_code)
    handed = [{"incident_id": i.id, "to_team_id": i.team_id or "queued"} for i in moved]
    ctx.publish(
        ShiftHandover(
            at=at,
            leaving_team_ids=list(leaving),
            arriving_team_ids=list(arriving),
            handed_over=handed,
            kept=kept,
        ),
        region_code,
        f"handover:{region_code}:{at.isoformat()}",
    )
    ctx.note(
        None,
        region_code,
        "handover",
        "system",
        leaving=list(leaving),
        arriving=list(arriving),
        handed_over=handed,
        kept=kept,
    )
