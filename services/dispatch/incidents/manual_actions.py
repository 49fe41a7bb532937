"""What a supervisor may do by hand — assign, reassign, re-prioritise, cancel, close — each with
a reason, each audited (who, when, why) in the incident's timeline."""

from __future__ import annotations

from services.dispatch.domain.states import OUTCOMES, TERMINAL, WAITING, WORKING, IllegalTransition
from services.dispatch.incidents.assignment import (
    assign,
    assign_waiting,
    complete,
    current_assignment,
    release,
)
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.ports import DispatchUnit
from services.dispatch.incidents.timeline import move
from services.dispatch.models import Incident, Team
from services.dispatch.roster.duty import region_duties
from shared.contracts.events import IncidentPriorityChanged
from shared.contracts.vocabulary import IncidentState, Priority


class ManualError(Exception):
    """The action cannot be done as asked (the message says why, for the supervisor)."""


async def locked_incident(unit: DispatchUnit, incident_id: str, region_code: str) -> Incident:
    """The region's incident, with the region's lock held (ManualError if it has none such)."""
    await unit.incidents.lock_region(region_code)
    incident = await unit.incidents.get(incident_id)
    if incident is None or incident.region_code != region_code:
        raise ManualError("no such incident in this region")
    return incident


def audit(
    unit: DispatchUnit, incident: Incident, actor: str, action: str, reason: str, **detail: str
) -> None:
    """The timeline's record of a person's action: who, what and why."""
    unit.note(
        incident, incident.region_code, "manual", actor, action=action, reason=reason, **detail
    )


async def assign_to(
    ctx: Ctx, region_code: str, incident_id: str, team_id: str, actor: str, reason: str
) -> Incident:
    """Assign a waiting incident, or move a working one to another team."""
    incident = await locked_incident(ctx, incident_id, region_code)
    state = IncidentState(incident.state)
    if state.value not in WAITING and state not in WORKING:
        raise ManualError(f"an incident that is {state.value} cannot be assigned")
    team = await ctx.session.get(Team, team_id)
    if team is None or team.region_code != region_code or not team.active:
        raise ManualError("no such active team in this region")
    duties = await region_duties(ctx.session, region_code, ctx.now)
    if not any(d.team_id == team_id and d.covers(ctx.now) for d in duties):
        raise ManualError("that team is not on duty now")
    old = await current_assignment(ctx.session, incident.id)
    if old is not None and old.team_id == team_id and old.state != "released":
        raise ManualError("that team already holds this incident")
    audit(ctx, incident, actor, "reassign" if old else "assign", reason, team_id=team_id)
    if old is not None:
        await release(ctx, old, "reassigned", reason)
    await assign(ctx, incident, team, [f"manual: {reason}"], actor, replaces=old)
    return incident


async def reprioritise(
    ctx: Ctx, region_code: str, incident_id: str, priority: Priority, actor: str, reason: str
) -> Incident:
    incident = await locked_incident(ctx, incident_id, region_code)
    if IncidentState(incident.state) in TERMINAL:
        raise ManualError("the incident is no longer open")
    audit(ctx, incident, actor, "priority", reason, before=incident.priority, after=priority.value)
    before, incident.priority = incident.priority, priority.value
    if incident.remind_at is not None:  # a raised priority is reminded of sooner
        sooner = ctx.rules.deadlines.next_reminder(priority.value, ctx.now)
        incident.remind_at = min(incident.remind_at, sooner)
    ctx.publish(
        IncidentPriorityChanged(
            incident_id=incident.id,
            incident_number=incident.number,
            from_priority=Priority(before),
            to_priority=priority,
            actor=actor,
            reason=reason,
            changed_at=ctx.now,
        ),
        region_code,
        incident.id,
    )
    await assign_waiting(ctx, region_code)  # a raised priority may jump the queue
    return incident


async def cancel(ctx: Ctx, region_code: str, incident_id: str, actor: str, reason: str) -> Incident:
    incident = await locked_incident(ctx, incident_id, region_code)
    if IncidentState(incident.state) in TERMINAL:
        raise ManualError("the incident is no longer open")
    audit(ctx, incident, actor, "cancel", reason)
    assignment = await current_assignment(ctx.session, incident.id)
    if assignment is not None and assignment.state in ("pending", "acknowledged"):
        await release(ctx, assignment, "cancelled", reason, keep_record=True)
    incident.closed_at = ctx.now
    move(ctx, incident, IncidentState.CANCELLED, actor, reason)
    await assign_waiting(ctx, region_code)
    return incident


async def close(
    ctx: Ctx,
    region_code: str,
    incident_id: str,
    actor: str,
    reason: str,
    outcome: IncidentState | None = None,
) -> Incident:
    """Close an incident that reached an outcome; a working one needs the outcome to record."""
    incident = await locked_incident(ctx, incident_id, region_code)
    state = IncidentState(incident.state)
    if state in WORKING:
        if outcome not in OUTCOMES:
            raise ManualError(
                "say how it ended: secured, not_found, resolved_on_site, refused, referred"
            )
        try:
            move(ctx, incident, outcome, actor, reason, supervisor=True)
        except IllegalTransition as exc:
            raise ManualError(str(exc)) from None
        incident.outcome_at = ctx.now
        assignment = await current_assignment(ctx.session, incident.id)
        if assignment is not None and assignment.state in ("pending", "acknowledged"):
            await complete(ctx, assignment)
    elif state not in OUTCOMES:
        raise ManualError(f"an incident that is {state.value} cannot be closed; cancel it instead")
    audit(ctx, incident, actor, "close", reason, outcome=incident.state)
    incident.closed_at = ctx.now
    incident.checkin_due_at = incident.checkin_escalate_at = None
    move(ctx, incident, IncidentState.CLOSED, actor, reason)
    await assign_waiting(ctx, region_code)
    return incident
