"""Events of ``trc.incidents.v1``: the incident lifecycle — every state change, escalations,
priority changes, no team recorded, shift handovers."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import (
    CategoryCode,
    DangerFlags,
    IncidentId,
    IncidentNumber,
    Location,
    PeopleCount,
    SupervisorReason,
    SupervisorUsername,
    When,
)
from shared.contracts.vocabulary import Channel, IncidentState, NoTeamAlternative, Priority


class IncidentStatusChanged(Payload):
    EVENT_TYPE = "incident.status_changed"
    VERSION = 1
    EXAMPLE = {
        "incident_id": "inc-000001",
        "from_state": "on_scene",
        "to_state": "secured",
        "changed_at": "2026-11-22T13:40:00Z",
        "actor": "team-batam-a",
        "category": "odgj_terlantar",
        "people_count": 1,
        "reason": None,
        "incident_number": "21.71-261122-0001",
        "priority": "P2",
        "team_id": "team-batam-a",
        "location": {"kecamatan": "Lubuk Baja", "kelurahan": "Baloi Indah"},
        "danger_flags": [],
        "report_ids": ["01933b6e-8a3e-7c4a-9a1e-3f2b4c5d6e7f"],
        "channel": "call_center",
    }

    incident_id: IncidentId
    from_state: IncidentState | None = Field(
        description="State before the change; None for a new incident"
    )
    to_state: IncidentState = Field(description="State after the change")
    changed_at: When = Field(description="When the state changed (UTC)")
    actor: str = Field(description="Team, member or supervisor id, or 'system'")
    category: CategoryCode
    people_count: PeopleCount
    reason: str | None = Field(
        default=None,
        max_length=1000,
        description="Why, when a person decided it (cancel, reassign, close)",
    )
    incident_number: IncidentNumber = None
    priority: Priority | None = Field(default=None, description="P1 … P4 at the time of change")
    team_id: str | None = Field(default=None, description="The team holding it, if any")
    location: Location | None = Field(default=None, description="Where the person(s) are")
    danger_flags: DangerFlags = Field(
        default_factory=list, description="Conditions that raised the priority"
    )
    report_ids: list[str] = Field(
        default_factory=list, description="Intake's reports joined in this incident"
    )
    channel: Channel | None = Field(
        default=None, description="How the incident's first report arrived"
    )


class IncidentEscalated(Payload):
    """Something needs a supervisor: a missed deadline, a missed check-in, nobody on duty."""

    EVENT_TYPE = "incident.escalated"
    VERSION = 1
    EXAMPLE = {
        "incident_id": "inc-000001",
        "incident_number": "21.71-261122-0001",
        "kind": "ack_timeout",
        "level": 1,
        "team_id": "team-batam-a",
        "priority": "P1",
        "detail": "Tim A tidak menerima dalam 2 menit; dialihkan ke Tim B",
        "escalated_at": "2026-11-22T13:07:01Z",
    }

    incident_id: str | None = Field(description="None for a region-wide alert (roster gap)")
    incident_number: IncidentNumber = None
    kind: str = Field(
        description="ack_timeout | checkin_missed | roster_gap | roster_gap_ahead (a gap starts"
        " soon; once per gap) | no_team | unassigned (a reminder: still no team, repeated per"
        " priority until a supervisor acts)"
    )
    level: int = Field(ge=1, description="1 for the first miss, 2 for the second, …")
    team_id: str | None = Field(default=None, description="The team concerned, if any")
    priority: Priority | None = Field(default=None, description="Of the incident, if any")
    detail: str = Field(max_length=1000, description="What happened, for the supervisors' chat")
    escalated_at: When


class IncidentPriorityChanged(Payload):
    """A supervisor changed an open incident's priority (the state stays as it was)."""

    EVENT_TYPE = "incident.priority_changed"
    VERSION = 1
    EXAMPLE = {
        "incident_id": "inc-000001",
        "incident_number": "21.71-261122-0001",
        "from_priority": "P3",
        "to_priority": "P1",
        "actor": "kabid.batam",
        "reason": "Warga melapor ada pisau",
        "changed_at": "2026-11-22T13:10:00Z",
    }

    incident_id: IncidentId
    incident_number: IncidentNumber = None
    from_priority: Priority = Field(description="Priority before")
    to_priority: Priority = Field(description="Priority after")
    actor: SupervisorUsername
    reason: SupervisorReason
    changed_at: When


class IncidentNoTeamRecorded(Payload):
    """A supervisor recorded that no TRC team can go to a waiting incident, and what was done
    instead; the reminders stop and the policy no longer offers it to a team by itself."""

    EVENT_TYPE = "incident.no_team_recorded"
    VERSION = 1
    EXAMPLE = {
        "incident_id": "inc-000001",
        "incident_number": "21.71-261122-0001",
        "alternative": "police",
        "actor": "kabid.batam",
        "reason": "Semua tim di lapangan; Polsek Lubuk Baja mengamankan",
        "recorded_at": "2026-11-22T13:10:00Z",
    }

    incident_id: IncidentId
    incident_number: IncidentNumber = None
    alternative: NoTeamAlternative = Field(description="What was done instead")
    actor: SupervisorUsername
    reason: SupervisorReason
    recorded_at: When


class ShiftHandover(Payload):
    """A shift ended: open incidents of the leaving team go to the arriving one (or stay)."""

    EVENT_TYPE = "shift.handover"
    VERSION = 1
    EXAMPLE = {
        "at": "2026-11-22T08:00:00Z",
        "leaving_team_ids": ["team-batam-a"],
        "arriving_team_ids": ["team-batam-b"],
        "handed_over": [{"incident_id": "inc-000001", "to_team_id": "team-batam-b"}],
        "kept": [],
    }

    at: When = Field(description="The shift change (UTC)")
    leaving_team_ids: list[str] = Field(description="Teams whose shift ended")
    arriving_team_ids: list[str] = Field(description="Teams whose shift began")
    handed_over: list[dict[str, str]] = Field(
        default_factory=list, description="incident_id and to_team_id (or queued) per incident"
    )
    kept: list[str] = Field(
        default_factory=list, description="Incidents the leaving team keeps (on scene)"
    )
