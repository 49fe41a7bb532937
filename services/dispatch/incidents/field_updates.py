"""Button presses from the field move the incident — only when they come from a member of the
team that holds the current assignment, and only along the state machine."""

from __future__ import annotations

from sqlmodel import col, select

from services.dispatch.domain.states import ACTION_STATE, OUTCOMES, IllegalTransition
from services.dispatch.incidents.assignment import assign_waiting, complete
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.region_lock import lock_region
from services.dispatch.incidents.timeline import move
from services.dispatch.models import Assignment, Incident, Member, TeamMember
from shared.contracts.events import AssignmentAcknowledged, FieldUpdate, FieldUpdateRefused
from shared.contracts.vocabulary import FieldAction, IncidentState
from shared.logging import get_logger

log = get_logger(__name__)


async def on_field_update(ctx: Ctx, region_code: str, update: FieldUpdate) -> str | None:
    """Apply a press; returns None when applied, else the reason it was refused."""
    await lock_region(ctx.session, region_code)
    assignment = await ctx.session.get(Assignment, update.assignment_id)
    incident = await ctx.session.get(Incident, update.incident_id)
    if assignment is None or incident is None or assignment.incident_id != incident.id:
        return _refuse(ctx, region_code, update, "unknown_assignment")
    member = await _member_of_team(ctx, assignment.team_id, update.member_telegram_id)
    if member is None:
        return _refuse(ctx, region_code, update, "not_in_team")
    if not assignment.is_current or assignment.state == "released":
        return _refuse(ctx, region_code, update, "not_current")
    actor = f"member:{member.id}"
    ctx.note(
        incident,
        region_code,
        "field_update",
        actor,
        action=update.action.value,
        note=update.note,
        pressed_at=update.pressed_at.isoformat(),
    )
    incident.last_update_at = ctx.now
    if IncidentState(incident.state) == IncidentState.ON_SCENE:
        incident.checkin_due_at = ctx.now + ctx.rules.deadlines.checkin_after
        incident.checkin_escalate_at = None
    target = ACTION_STATE[update.action]
    if target is None or target.value == incident.state:
        _acknowledge(ctx, assignment, member.id, update)  # a note or a repeat: nothing moves
        return None
    try:
        move(ctx, incident, target, actor)
    except IllegalTransition:
        return _refuse(ctx, region_code, update, "illegal_transition")
    _acknowledge(ctx, assignment, member.id, update)
    await _after(ctx, incident, assignment, target)
    return None


async def _member_of_team(ctx: Ctx, team_id: str, telegram_id: int) -> Member | None:
    """Matched on the numeric Telegram user id (never the username)."""
    query = (
        select(Member)
        .join(TeamMember, col(TeamMember.member_id) == col(Member.id))
        .where(
            TeamMember.team_id == team_id,
            Member.telegram_user_id == telegram_id,
            col(Member.active),
        )
    )
    return (await ctx.session.exec(query)).first()


def _acknowledge(ctx: Ctx, assignment: Assignment, member_id: str, update: FieldUpdate) -> None:
    """Any press on a pending assignment accepts it (a team that pressed "Tiba" has accepted)."""
    if assignment.state != "pending" or update.action == FieldAction.NOTE:
        return
    assignment.state = "acknowledged"
    assignment.acknowledged_at = ctx.now
    assignment.acknowledged_by = member_id
    ctx.publish(
        AssignmentAcknowledged(
            assignment_id=assignment.id,
            incident_id=assignment.incident_id,
            team_id=assignment.team_id,
            member_id=member_id,
            acknowledged_at=ctx.now,
        ),
        assignment.region_code,
        assignment.incident_id,
    )


async def _after(
    ctx: Ctx, incident: Incident, assignment: Assignment, state: IncidentState
) -> None:
    if state in (IncidentState.ACKNOWLEDGED, IncidentState.EN_ROUTE, IncidentState.ON_SCENE):
        incident.acknowledged_at = incident.acknowledged_at or ctx.now
    if state == IncidentState.ON_SCENE:
        incident.on_scene_at = incident.on_scene_at or ctx.now
        incident.checkin_due_at = ctx.now + ctx.rules.deadlines.checkin_after
    if state in OUTCOMES:
        incident.outcome_at = ctx.now
        incident.checkin_due_at = incident.checkin_escalate_at = None
        await complete(ctx, assignment)
        await assign_waiting(ctx, incident.region_code)  # the team is free: the queue moves


def _refuse(ctx: Ctx, region_code: str, update: FieldUpdate, reason: str) -> str:
    log.warning(
        "field_update_refused",
        region=region_code,
        incident_id=update.incident_id,
        assignment_id=update.assignment_id,
        reason=reason,
    )
    ctx.publish(
        FieldUpdateRefused(
            assignment_id=update.assignment_id,
            incident_id=update.incident_id,
            member_telegram_id=update.member_telegram_id,
            telegram_update_id=update.telegram_update_id,
            action=update.action,
            reason=reason,
        ),
        region_code,
        update.incident_id,
    )
    return reason
