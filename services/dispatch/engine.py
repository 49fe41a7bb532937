"""Dispatch's use cases on one region's state: incidents from reports, assignments by the
policy, releases, state changes — each announced through the outbox and written to the
incident's timeline. Callers hold the region lock (:func:`roster.lock_region`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain import policy
from services.dispatch.domain.deadlines import DEFAULT, Deadlines
from services.dispatch.domain.states import check
from services.dispatch.models import Assignment, Incident, IncidentLog, RegionState, Team
from services.dispatch.roster import HOLDING, held_by, region_duties, team_loads, team_states
from shared.contracts.events import (
    AssignmentCreated,
    AssignmentReleased,
    IncidentEscalated,
    IncidentStatusChanged,
    Location,
    Payload,
)
from shared.contracts.vocabulary import Channel, DangerFlag, IncidentState, Priority
from shared.logging import get_logger
from shared.regions import to_local

log = get_logger(__name__)
Emit = Callable[..., object]  # emit(payload, region_code=..., correlation_id=...)
WAITING = (IncidentState.RECEIVED.value, IncidentState.QUEUED.value)


@dataclass(frozen=True)
class DispatchRules:
    deadlines: Deadlines = DEFAULT
    keep_on_scene_at_handover: bool = True  # a team on scene finishes what it started
    p1_borrows_busy_team: bool = True  # a P1 nobody has room for goes to the least-urgent busy team
    gap_warning: timedelta = timedelta(hours=2)  # a roster gap starting this soon is told ahead


@dataclass
class Ctx:
    """One transaction's worth of dispatch work in one region."""

    session: AsyncSession
    emit: Emit
    now: datetime
    rules: DispatchRules = field(default_factory=DispatchRules)

    def publish(self, payload: Payload, region_code: str, correlation_id: str) -> None:
        self.emit(payload, region_code=region_code, correlation_id=correlation_id)

    def note(
        self, incident: Incident | None, region: str, kind: str, actor: str, **detail: Any
    ) -> None:
        self.session.add(
            IncidentLog(
                incident_id=incident.id if incident else None,
                region_code=region,
                at=self.now,
                kind=kind,
                actor=actor,
                detail=detail,
            )
        )


def location_of(incident: Incident) -> Location:
    return Location(
        address=incident.address,
        kecamatan=incident.kecamatan,
        kelurahan=incident.kelurahan,
        zone_code=incident.zone_code,
        latitude=incident.latitude,
        longitude=incident.longitude,
    )


def next_number(region: RegionState, now: datetime) -> str:
    """``21.71-261122-0001``: per region and local day (the lock is held)."""
    day = to_local(now, region.region_code).strftime("%y%m%d")
    if region.incident_seq_day != day:
        region.incident_seq_day, region.incident_seq = day, 0
    region.incident_seq += 1
    return f"{region.region_code}-{day}-{region.incident_seq:04d}"


def move(
    ctx: Ctx,
    incident: Incident,
    to: IncidentState,
    actor: str,
    reason: str | None = None,
    *,
    supervisor: bool = False,
) -> None:
    """Change the incident's state (raises IllegalTransition, applying nothing) and say so."""
    before = IncidentState(incident.state)
    check(before, to, supervisor=supervisor)
    incident.state = to.value
    if to == IncidentState.QUEUED and incident.no_team_at is None:  # no team: keep reminding
        reminder = ctx.rules.deadlines.first_reminder(incident.priority, ctx.now)
        incident.remind_at = incident.remind_at or reminder
    elif to.value not in WAITING:
        incident.remind_at = None
    _announce(ctx, incident, before, actor, reason)


def announce_new(ctx: Ctx, incident: Incident) -> None:
    _announce(ctx, incident, None, "system", None)


def announce_current(ctx: Ctx, incident: Incident, actor: str, reason: str) -> None:
    """Say the incident's state again, unchanged (``from_state`` = ``to_state``), for what
    changed beside it — e.g. more people once consumers have acted on the old count."""
    state = IncidentState(incident.state)
    _announce(ctx, incident, state, actor, reason)


def _announce(
    ctx: Ctx, incident: Incident, before: IncidentState | None, actor: str, reason: str | None
) -> None:
    """The timeline line and the ``incident.status_changed`` of the incident's current state."""
    ctx.note(incident, incident.region_code, "state", actor, to=incident.state, reason=reason)
    ctx.publish(
        IncidentStatusChanged(
            incident_id=incident.id,
            from_state=before,
            to_state=IncidentState(incident.state),
            changed_at=ctx.now,
            actor=actor,
            category=incident.category,
            people_count=incident.people_count,
            reason=reason,
            incident_number=incident.number,
            priority=Priority(incident.priority),
            team_id=incident.team_id,
            location=location_of(incident),
            danger_flags=[DangerFlag(f) for f in incident.danger_flags],
            report_ids=incident.report_ids,
            channel=Channel(incident.channel),
        ),
        incident.region_code,
        incident.id,
    )


def escalate(
    ctx: Ctx,
    incident: Incident | None,
    region: str,
    kind: str,
    detail: str,
    team_id: str | None = None,
) -> None:
    level = 1
    if incident is not None:
        incident.escalations += 1
        level = incident.escalations
    ctx.note(incident, region, "escalation", "system", escalation=kind, level=level, detail=detail)
    log.warning(
        "incident_escalated",
        region=region,
        kind=kind,
        level=level,
        incident_id=incident.id if incident else None,
    )
    ctx.publish(
        IncidentEscalated(
            incident_id=incident.id if incident else None,
            incident_number=incident.number if incident else None,
            kind=kind,
            level=level,
            team_id=team_id,
            priority=Priority(incident.priority) if incident else None,
            detail=detail,
            escalated_at=ctx.now,
        ),
        region,
        incident.id if incident else region,
    )


async def current_assignment(session: AsyncSession, incident_id: str) -> Assignment | None:
    query = select(Assignment).where(
        Assignment.incident_id == incident_id, col(Assignment.is_current)
    )
    return (await session.exec(query)).first()


async def assign(
    ctx: Ctx,
    incident: Incident,
    team: Team,
    reasons: list[str],
    by: str,
    replaces: Assignment | None = None,
    borrowed_from: policy.Held | None = None,
) -> Assignment:
    """Give ``incident`` to ``team`` (the caller released any current assignment first;
    ``borrowed_from``: the team is busy with that, and takes this one over its capacity)."""
    deadline = ctx.rules.deadlines.ack_deadline(incident.priority, ctx.now)
    assignment = Assignment(
        incident_id=incident.id,
        region_code=incident.region_code,
        team_id=team.id,
        state="pending",
        reasons=reasons,
        assigned_by=by,
        created_at=ctx.now,
        ack_deadline=deadline,
    )
    ctx.session.add(assignment)
    incident.team_id = team.id
    incident.assigned_at = incident.assigned_at or ctx.now
    move(ctx, incident, IncidentState.ASSIGNED, by, "; ".join(reasons))
    ctx.publish(
        AssignmentCreated(
            assignment_id=assignment.id,
            incident_id=incident.id,
            team_id=team.id,
            priority=Priority(incident.priority),
            category=incident.category,
            channel=Channel(incident.channel),
            description=incident.description,
            location=location_of(incident),
            people_count=incident.people_count,
            danger_flags=[DangerFlag(f) for f in incident.danger_flags],
            ack_deadline=deadline,
            reasons=reasons,
            incident_number=incident.number,
            team_name=team.name,
            replaces_assignment_id=replaces.id if replaces else None,
            borrowed_from_priority=Priority(borrowed_from.priority) if borrowed_from else None,
            borrowed_from_number=(borrowed_from.number or borrowed_from.incident_id)
            if borrowed_from
            else None,
        ),
        incident.region_code,
        incident.id,
    )
    log.info(
        "assignment_created",
        region=incident.region_code,
        incident_id=incident.id,
        team_id=team.id,
        by=by,
        borrowed=borrowed_from is not None,
    )
    return assignment


async def release(
    ctx: Ctx,
    assignment: Assignment,
    reason: str,
    note: str | None = None,
    *,
    keep_record: bool = False,
) -> None:
    """The team no longer holds it. ``keep_record``: still the incident's current assignment
    (closed or cancelled: the record of who handled it), only its capacity is given back."""
    assignment.state = "released"
    assignment.released_at = ctx.now
    assignment.release_reason = reason
    assignment.is_current = keep_record
    await ctx.session.flush()
    ctx.publish(
        AssignmentReleased(
            assignment_id=assignment.id,
            incident_id=assignment.incident_id,
            team_id=assignment.team_id,
            reason=reason,
            note=note,
            released_at=ctx.now,
        ),
        assignment.region_code,
        assignment.incident_id,
    )
    await mark_free(ctx, assignment.team_id)


async def complete(ctx: Ctx, assignment: Assignment) -> None:
    """The team reached an outcome: the assignment stays the record, its capacity comes back."""
    assignment.state = "completed"
    await ctx.session.flush()
    await mark_free(ctx, assignment.team_id)


async def mark_free(ctx: Ctx, team_id: str) -> None:
    if (await team_loads(ctx.session, [team_id])).get(team_id, 0) == 0:
        team = await ctx.session.get(Team, team_id)
        if team is not None:
            team.free_since = ctx.now


async def assign_waiting(ctx: Ctx, region_code: str) -> int:
    """Assign the region's waiting incidents to teams on duty now, as the policy says; what
    cannot be assigned waits in the queue (and a queue with nobody on duty is escalated).
    Incidents a supervisor marked "no TRC team can go" wait for a person, not the policy."""
    waiting = (
        await ctx.session.exec(
            select(Incident).where(
                Incident.region_code == region_code,
                col(Incident.state).in_(WAITING),
                col(Incident.no_team_at).is_(None),  # a supervisor said no team goes
            )
        )
    ).all()
    if not waiting:
        return 0
    on_duty = {
        d.team_id
        for d in await region_duties(ctx.session, region_code, ctx.now)
        if d.covers(ctx.now)
    }
    teams, team_rows = await team_states(ctx.session, on_duty)
    by_id = {i.id: i for i in waiting}
    queue = [
        policy.QueuedIncident(
            incident_id=i.id,
            priority=i.priority,
            received_at=i.received_at,
            zones=frozenset(
                filter(None, (policy.zone_key(i.kecamatan), policy.zone_key(i.zone_code)))
            ),
            excluded=frozenset(i.excluded_teams),
            retry_missed_at=i.retry_missed_at,
        )
        for i in waiting
    ]
    borrow = ctx.rules.p1_borrows_busy_team and any(i.priority == "P1" for i in waiting)
    if borrow:  # what the teams hold, so a P1 can borrow the one doing the least urgent work
        held = await held_by(ctx.session, [t.team_id for t in teams])
        teams = [replace(t, holding=held.get(t.team_id, ())) for t in teams]
    decisions = policy.plan(queue, teams, ctx.now, borrow=borrow)
    for decision in decisions:
        await assign(
            ctx,
            by_id.pop(decision.incident_id),
            team_rows[decision.team_id],
            list(decision.reasons),
            "policy",
            borrowed_from=decision.borrowed_from,
        )
    for incident in by_id.values():
        if incident.state == IncidentState.RECEIVED.value:
            move(ctx, incident, IncidentState.QUEUED, "system", "no free team on duty")
            if not teams:
                escalate(
                    ctx,
                    incident,
                    region_code,
                    "no_team",
                    "Tidak ada tim yang bertugas / no team on duty (roster gap)",
                )  # that is the first word: the reminders follow at the interval
                incident.remind_at = ctx.rules.deadlines.next_reminder(incident.priority, ctx.now)
    return len(decisions)


async def holding(session: AsyncSession, team_id: str) -> list[Assignment]:
    query = select(Assignment).where(
        Assignment.team_id == team_id,
        col(Assignment.is_current),
        col(Assignment.state).in_(HOLDING),
    )
    return list((await session.exec(query)).all())
