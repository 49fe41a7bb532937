"""Choosing and recording assignments: the region's waiting incidents go to teams on duty as
the policy says, and a team gives one back (released, or completed with an outcome). Callers
hold the region lock (:func:`~.region_lock.lock_region`)."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain import policy
from services.dispatch.domain.states import WAITING
from services.dispatch.incidents.capacity import held_by, team_loads, team_states
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.timeline import escalate, location_of, move
from services.dispatch.models import Assignment, Incident, Team
from services.dispatch.roster.duty import region_duties
from shared.contracts.events import AssignmentCreated, AssignmentReleased
from shared.contracts.vocabulary import Channel, DangerFlag, IncidentState, Priority
from shared.logging import get_logger

log = get_logger(__name__)


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
    teams = await team_states(ctx.session, on_duty)
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
        team = await ctx.session.get(Team, decision.team_id)
        assert team is not None  # read as active in this transaction
        await assign(
            ctx,
            by_id.pop(decision.incident_id),
            team,
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
