"""Events of ``trc.assignments.v1``: assignments to teams — created, acknowledged, timed out,
released, check-ins asked for, and button presses refused."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import (
    AssignmentId,
    CategoryCode,
    DangerFlags,
    IncidentId,
    IncidentNumber,
    PeopleCount,
    Place,
    PressedButton,
    PriorityLevel,
    ReportChannel,
    ReportText,
    TeamId,
    TelegramUpdateId,
    When,
)
from shared.contracts.vocabulary import Priority

_EXAMPLE_IDS = {
    "assignment_id": "asg-000001",
    "incident_id": "inc-000001",
    "team_id": "team-batam-a",
}


# Base of the events about one team's assignment to an incident. No docstring: the AsyncAPI
# documents describe an event without one of its own by the nearest, Payload's.
class AssignmentEvent(Payload):
    assignment_id: AssignmentId
    incident_id: IncidentId
    team_id: TeamId


class AssignmentCreated(AssignmentEvent):
    """An incident given to a team: what the team needs to go (notify sends it with its buttons)."""

    EVENT_TYPE = "assignment.created"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "priority": "P1",
        "category": "anak_jalanan",
        "channel": "call_center",
        "description": "Anak kecil sendirian di tepi jalan, tampak terluka.",
        "location": {"kecamatan": "Batam Kota", "kelurahan": "Belian"},
        "people_count": 1,
        "danger_flags": ["child", "medical"],
        "ack_deadline": "2026-11-22T13:07:00Z",
        "reasons": ["zone match", "load 1/3"],
        "incident_number": "21.71-261122-0001",
        "team_name": "Tim A Batam Kota",
        "replaces_assignment_id": None,
        "borrowed_from_priority": None,
        "borrowed_from_number": None,
    }

    priority: PriorityLevel
    category: CategoryCode
    channel: ReportChannel
    description: ReportText
    location: Place
    people_count: PeopleCount
    danger_flags: DangerFlags = Field(default_factory=list)
    ack_deadline: When = Field(description="The team must accept before this instant (UTC)")
    reasons: list[str] = Field(default_factory=list, description="Why the policy chose this team")
    incident_number: IncidentNumber = Field(
        default=None, description="The number people read out, e.g. 21.71-261122-0001"
    )
    team_name: str | None = Field(default=None, description="The team's name, for messages")
    replaces_assignment_id: str | None = Field(
        default=None, description="Set on a reassignment: the assignment this one replaces"
    )
    borrowed_from_priority: Priority | None = Field(
        default=None,
        description="A P1 nobody had room for: the team was borrowed from work of this priority "
        "and takes the P1 over its capacity (None: an ordinary assignment)",
    )
    borrowed_from_number: str | None = Field(
        default=None, description="The number of the incident the borrowed team is busy with"
    )


class AssignmentAcknowledged(AssignmentEvent):
    """A member of the team accepted the assignment before its deadline."""

    EVENT_TYPE = "assignment.acknowledged"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "member_id": "mem-014",
        "acknowledged_at": "2026-11-22T13:06:10Z",
    }

    member_id: str = Field(description="Dispatch's member id of who accepted")
    acknowledged_at: When = Field(description="When the team accepted (UTC)")


class AssignmentTimedOut(AssignmentEvent):
    """Nobody on the team accepted before the deadline: dispatch escalates and reassigns."""

    EVENT_TYPE = "assignment.timed_out"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "priority": "P1",
        "deadline": "2026-11-22T13:07:00Z",
        "timed_out_at": "2026-11-22T13:07:01Z",
    }

    priority: PriorityLevel
    deadline: When = Field(description="The acknowledgment deadline that passed (UTC)")
    timed_out_at: When = Field(description="When dispatch noticed (UTC)")


class AssignmentReleased(AssignmentEvent):
    """A team no longer holds an assignment: it missed the deadline, a supervisor moved it, the
    shift ended (handover), or the incident was cancelled. Notify tells the team it is released."""

    EVENT_TYPE = "assignment.released"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "reason": "timed_out",
        "note": None,
        "released_at": "2026-11-22T13:07:01Z",
    }

    team_id: TeamId = Field(description="The team released")
    reason: str = Field(description="timed_out | reassigned | handover | cancelled | closed")
    note: str | None = Field(default=None, max_length=1000, description="A supervisor's reason")
    released_at: When


class CheckinRequested(AssignmentEvent):
    """A team has been on scene long without an update: notify asks it to check in."""

    EVENT_TYPE = "assignment.checkin_requested"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "on_scene_since": "2026-11-22T13:20:00Z",
        "answer_by": "2026-11-22T14:00:00Z",
    }

    team_id: TeamId = Field(description="The team asked")
    on_scene_since: When = Field(description="When the team arrived (UTC)")
    answer_by: When = Field(description="No update by then: escalated (UTC)")


class FieldUpdateRefused(Payload):
    """A button press that changed nothing, and why (for the audit and the presser)."""

    EVENT_TYPE = "field.update_refused"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "member_telegram_id": 123456789,
        "telegram_update_id": 884421,
        "action": "accept",
        "reason": "not_in_team",
    }

    assignment_id: AssignmentId = Field(description="The assignment the press was about")
    incident_id: IncidentId
    member_telegram_id: int = Field(description="Who pressed (numeric Telegram user id)")
    telegram_update_id: TelegramUpdateId = Field(description="Telegram update id of the press")
    action: PressedButton
    reason: str = Field(
        description="not_in_team | not_current | illegal_transition | unknown_assignment"
    )
