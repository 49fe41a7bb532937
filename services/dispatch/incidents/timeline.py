"""What happens to an incident, said twice: a line in its timeline and an event through the
outbox — its state changes (along the state machine) and its escalations."""

from __future__ import annotations

from services.dispatch.domain.states import WAITING, check
from services.dispatch.incidents.ports import DispatchUnit
from services.dispatch.models import Incident
from shared.contracts.events import IncidentEscalated, IncidentStatusChanged, Location
from shared.contracts.vocabulary import Channel, DangerFlag, IncidentState, Priority
from shared.logging import get_logger

log = get_logger(__name__)


def location_of(incident: Incident) -> Location:
    return Location(
        address=incident.address,
        kecamatan=incident.kecamatan,
        kelurahan=incident.kelurahan,
        zone_code=incident.zone_code,
        latitude=incident.latitude,
        longitude=incident.longitude,
    )


def move(
    ctx: DispatchUnit,
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


def announce_new(ctx: DispatchUnit, incident: Incident) -> None:
    _announce(ctx, incident, None, "system", None)


def announce_current(ctx: DispatchUnit, incident: Incident, actor: str, reason: str) -> None:
    """Say the incident's state again, unchanged (``from_state`` = ``to_state``), for what
    changed beside it — e.g. more people once consumers have acted on the old count."""
    state = IncidentState(incident.state)
    _announce(ctx, incident, state, actor, reason)


def _announce(
    ctx: DispatchUnit,
    incident: Incident,
    before: IncidentState | None,
    actor: str,
    reason: str | None,
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
    ctx: DispatchUnit,
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
