"""Incidents with no team are never silent: the supervisors' chat hears of each again at an
interval per priority until a person acts — assigns it by hand, or records that no TRC team
can go and what was done instead (police, ambulance, puskesmas, the next patrol, other)."""

from __future__ import annotations

from datetime import timedelta

from services.dispatch.domain.states import WAITING
from services.dispatch.incidents.manual_actions import ManualError, audit, locked_incident
from services.dispatch.incidents.ports import DispatchUnit
from services.dispatch.incidents.timeline import escalate
from services.dispatch.models import Incident
from shared.contracts.events import IncidentNoTeamRecorded
from shared.contracts.vocabulary import NoTeamAlternative
from shared.logging import get_logger

log = get_logger(__name__)
REMINDER = "unassigned"  # the escalation kind of a reminder


async def remind(unit: DispatchUnit, region_code: str) -> None:
    """After the queue moved: remind of what still has no team; forget passed retry times (the
    policy compares them with the clock itself; cleared, they no longer make the region due)."""
    now = unit.now
    for incident in await unit.incidents.due_for_reminder(region_code, now):
        if incident.retry_missed_at is not None and incident.retry_missed_at <= now:
            incident.retry_missed_at = None
        if incident.remind_at is None or incident.remind_at > now:
            continue
        if incident.state not in WAITING or incident.no_team_at is not None:
            incident.remind_at = None
            continue
        escalate(unit, incident, region_code, REMINDER, reminder_text(now - incident.received_at))
        incident.remind_at = unit.rules.deadlines.next_reminder(incident.priority, now)


def reminder_text(waited: timedelta) -> str:
    return (
        f"Sudah menunggu {_duration(waited, 'jam', 'menit')} sejak laporan; belum ada tim yang "
        "menuju lokasi. Tugaskan tim, atau catat 'tidak ada tim TRC' di konsol / waiting "
        f"{_duration(waited, 'h', 'min')} since the report; no team is on the way. Assign a "
        "team, or record 'no TRC team can go' in the console"
    )


def _duration(span: timedelta, hours_word: str, minutes_word: str) -> str:
    minutes = max(int(span.total_seconds()) // 60, 0)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} {hours_word} {minutes} {minutes_word}"
    return f"{minutes} {minutes_word}" if minutes else f"< 1 {minutes_word}"


async def record_no_team(
    unit: DispatchUnit,
    region_code: str,
    incident_id: str,
    alternative: NoTeamAlternative,
    actor: str,
    reason: str,
) -> Incident:
    """A supervisor says no TRC team can go and what was done instead: the reminders stop, the
    board no longer shows a breach, and the policy no longer offers it by itself (a person may
    still assign it by hand, or cancel it)."""
    incident = await locked_incident(unit, incident_id, region_code)
    if incident.state not in WAITING:
        raise ManualError(f"an incident that is {incident.state} has a team or is over")
    audit(unit, incident, actor, "no_team", reason, alternative=alternative.value)
    incident.no_team_alternative, incident.no_team_at = alternative.value, unit.now
    incident.remind_at = None
    unit.publish(
        IncidentNoTeamRecorded(
            incident_id=incident.id,
            incident_number=incident.number,
            alternative=alternative,
            actor=actor,
            reason=reason,
            recorded_at=unit.now,
        ),
        region_code,
        incident.id,
    )
    log.info(
        "no_team_recorded",
        region=region_code,
        incident_id=incident.id,
        alternative=alternative.value,
    )
    return incident
