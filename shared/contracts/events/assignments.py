"""Payload models of the first events. Each model names its event type and version.

Payloads never carry the reporter's identity or a person's name, NIK or phone: those stay in the
service that owns them (intake for reporters, shelter for persons).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import UtcDatetime
from shared.contracts.vocabulary import (
    CaseOutcome,
    Channel,
    DangerFlag,
    FieldAction,
    IncidentState,
    NoTeamAlternative,
    Priority,
    Sex,
)


class Payload(BaseModel):
    """Base of every payload: tolerant reader (unknown fields ignored), immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    EVENT_TYPE: ClassVar[str]
    VERSION: ClassVar[int]
    EXAMPLE: ClassVar[dict[str, Any]]


class Location(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    address: str | None = Field(default=None, max_length=500, description="Free-text address")
    kecamatan: str | None = Field(
        default=None, max_length=100, description="Kecamatan (district) name"
    )
    kelurahan: str | None = Field(default=None, max_length=100, description="Kelurahan/desa name")
    zone_code: str | None = Field(
        default=None, max_length=20, description="Kemendagri code of the kecamatan"
    )
    latitude: float | None = Field(default=None, ge=-90, le=90, description="WGS84 latitude")
    longitude: float | None = Field(default=None, ge=-180, le=180, description="WGS84 longitude")


class ReportSubmitted(Payload):
    """A report pushed by an external system onto the public ingress topic (e.g. 112)."""

    EVENT_TYPE = "report.submitted"
    VERSION = 1
    EXAMPLE = {
        "source_system": "112-batam",
        "external_ref": "112-2026-11-000123",
        "category": "odgj_terlantar",
        "description": "Seorang pria tanpa alas kaki berteriak di depan minimarket.",
        "location": {"address": "Jl. Raja Ali Haji", "kecamatan": "Lubuk Baja"},
        "people_count": 1,
        "danger_flags": [],
        "reported_at": "2026-11-22T13:05:00Z",
    }

    source_system: str = Field(description="Identifier of the sending system")
    external_ref: str = Field(description="The sender's own id for the report")
    category: str | None = Field(default=None, description="Category code if the sender knows it")
    description: str = Field(
        min_length=1,
        max_length=4000,
        description="What was reported, free text (Bahasa Indonesia); no identities",
    )
    location: Location = Field(description="Where the person(s) are")
    people_count: int = Field(default=1, ge=1, le=500, description="How many people need help")
    danger_flags: list[DangerFlag] = Field(
        default_factory=list, description="Conditions that raise the priority"
    )
    reported_at: UtcDatetime = Field(description="When the sender received the report (UTC)")
    reporter_name: str | None = Field(default=None, description="Personal data: stays in intake")
    reporter_phone: str | None = Field(default=None, description="Personal data: stays in intake")


class ReportReceived(Payload):
    """Intake accepted a report and it is ready for dispatch (or attached to an open incident)."""

    EVENT_TYPE = "report.received"
    VERSION = 1
    EXAMPLE = {
        "report_id": "01933b6e-8a3e-7c4a-9a1e-3f2b4c5d6e7f",
        "channel": "call_center",
        "category": "odgj_terlantar",
        "priority": "P2",
        "description": "Pria dewasa tidur di halte, tampak bingung.",
        "location": {
            "address": "Halte Jl. Sudirman",
            "kecamatan": "Batam Kota",
            "kelurahan": "Belian",
            "latitude": 1.128,
            "longitude": 104.053,
        },
        "people_count": 1,
        "danger_flags": [],
        "received_at": "2026-11-22T13:05:00Z",
    }

    report_id: str = Field(description="Intake's report id")
    channel: Channel = Field(description="How the report arrived; never who reported it")
    category: str = Field(description="Category code from intake's taxonomy, e.g. 'anak_jalanan'")
    priority: Priority = Field(description="P1 (life at risk) … P4 (routine)")
    description: str = Field(max_length=4000, description="What was reported, without identities")
    location: Location = Field(description="Where the person(s) are")
    people_count: int = Field(default=1, ge=1, le=500, description="How many people need help")
    danger_flags: list[DangerFlag] = Field(
        default_factory=list, description="Conditions that raise the priority"
    )
    received_at: UtcDatetime = Field(description="When intake accepted the report (UTC)")
    duplicate_of: str | None = Field(
        default=None, description="Report id of the open report this one was attached to"
    )
    duplicate_reason: str | None = Field(
        default=None,
        max_length=200,
        description="Why it was attached (place and time, a follow-up call); never who reported it",
    )


class ReportUnlinked(Payload):
    """An operator found that a report linked as a duplicate is a case of its own."""

    EVENT_TYPE = "report.unlinked"
    VERSION = 1
    EXAMPLE = {
        "report_id": "01933b6e-8a3e-7c4a-9a1e-3f2b4c5d6e80",
        "previously_linked_to": "01933b6e-8a3e-7c4a-9a1e-3f2b4c5d6e7f",
        "reason": "orang yang berbeda / a different person",
        "actor": "rina",
        "unlinked_at": "2026-11-22T13:20:00Z",
    }

    report_id: str = Field(description="The report that now stands alone: dispatch it")
    previously_linked_to: str = Field(description="The report it had been attached to")
    reason: str = Field(max_length=200, description="Why the operator separated them")
    actor: str = Field(max_length=60, description="Username of the operator")
    unlinked_at: UtcDatetime = Field(description="When it was separated (UTC)")


class PatrolReportFiled(Payload):
    """A TRC member filed a finding from the field (Telegram /lapor)."""

    EVENT_TYPE = "patrol.report_filed"
    VERSION = 1
    EXAMPLE = {
        "telegram_update_id": 884422,
        "member_telegram_id": 123456789,
        "category": "anak_jalanan",
        "description": "Tiga anak mengamen di lampu merah Simpang Jam.",
        "location": {"latitude": 1.116, "longitude": 104.041},
        "people_count": 3,
        "filed_at": "2026-11-22T15:40:00Z",
    }

    telegram_update_id: int = Field(description="Telegram update id, for deduplication")
    member_telegram_id: int = Field(description="Numeric Telegram user id of the TRC member")
    category: str | None = Field(
        default=None, description="PPKS category code from the taxonomy, e.g. 'anak_jalanan'"
    )
    description: str = Field(
        min_length=1,
        max_length=4000,
        description="What was reported, free text (Bahasa Indonesia); no identities",
    )
    location: Location = Field(description="Where the person(s) are")
    people_count: int = Field(default=1, ge=1, le=500, description="How many people need help")
    filed_at: UtcDatetime = Field(description="When the member filed it (UTC)")


class AssignmentCreated(Payload):
    EVENT_TYPE = "assignment.created"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "team_id": "team-batam-a",
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

    assignment_id: str = Field(description="Dispatch's assignment id")
    incident_id: str = Field(description="Dispatch's incident id")
    team_id: str = Field(description="Dispatch's team id")
    priority: Priority = Field(description="P1 (life at risk) … P4 (routine)")
    category: str = Field(description="PPKS category code from the taxonomy, e.g. 'anak_jalanan'")
    channel: Channel = Field(description="How the report arrived; never who reported it")
    description: str = Field(
        max_length=4000,
        description="What was reported, free text (Bahasa Indonesia); no identities",
    )
    location: Location = Field(description="Where the person(s) are")
    people_count: int = Field(ge=1, description="How many people need help")
    danger_flags: list[DangerFlag] = Field(
        default_factory=list, description="Conditions that raise the priority"
    )
    ack_deadline: UtcDatetime = Field(description="The team must accept before this instant (UTC)")
    reasons: list[str] = Field(default_factory=list, description="Why the policy chose this team")
    incident_number: str | None = Field(
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


class AssignmentAcknowledged(Payload):
    EVENT_TYPE = "assignment.acknowledged"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "team_id": "team-batam-a",
        "member_id": "mem-014",
        "acknowledged_at": "2026-11-22T13:06:10Z",
    }

    assignment_id: str = Field(description="Dispatch's assignment id")
    incident_id: str = Field(description="Dispatch's incident id")
    team_id: str = Field(description="Dispatch's team id")
    member_id: str = Field(description="Dispatch's member id of who accepted")
    acknowledged_at: UtcDatetime = Field(description="When the team accepted (UTC)")


class AssignmentTimedOut(Payload):
    EVENT_TYPE = "assignment.timed_out"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "team_id": "team-batam-a",
        "priority": "P1",
        "deadline": "2026-11-22T13:07:00Z",
        "timed_out_at": "2026-11-22T13:07:01Z",
    }

    assignment_id: str = Field(description="Dispatch's assignment id")
    incident_id: str = Field(description="Dispatch's incident id")
    team_id: str = Field(description="Dispatch's team id")
    priority: Priority = Field(description="P1 (life at risk) … P4 (routine)")
    deadline: UtcDatetime = Field(description="The acknowledgment deadline that passed (UTC)")
    timed_out_at: UtcDatetime = Field(description="When dispatch noticed (UTC)")


class FieldUpdate(Payload):
    """A team member pressed a button (or added a note) on an assignment."""

    EVENT_TYPE = "field.update"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "action": "accept",
        "member_telegram_id": 123456789,
        "telegram_update_id": 884421,
        "pressed_at": "2026-11-22T13:06:10Z",
    }

    assignment_id: str = Field(description="Dispatch's assignment id")
    incident_id: str = Field(description="Dispatch's incident id")
    action: FieldAction = Field(description="Which button was pressed")
    member_telegram_id: int = Field(description="Numeric Telegram user id (never the username)")
    telegram_update_id: int = Field(description="Telegram update id, for deduplication")
    note: str | None = Field(
        default=None, max_length=2000, description="Free-text note from the field (Catatan)"
    )
    pressed_at: UtcDatetime = Field(description="When the button was pressed (UTC)")


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

    incident_id: str = Field(description="Dispatch's incident id")
    from_state: IncidentState | None = Field(
        description="State before the change; None for a new incident"
    )
    to_state: IncidentState = Field(description="State after the change")
    changed_at: UtcDatetime = Field(description="When the state changed (UTC)")
    actor: str = Field(description="Team, member or supervisor id, or 'system'")
    category: str = Field(description="PPKS category code from the taxonomy, e.g. 'anak_jalanan'")
    people_count: int = Field(ge=1, description="How many people need help")
    reason: str | None = Field(
        default=None,
        max_length=1000,
        description="Why, when a person decided it (cancel, reassign, close)",
    )
    incident_number: str | None = Field(default=None, description="The number people read out")
    priority: Priority | None = Field(default=None, description="P1 … P4 at the time of change")
    team_id: str | None = Field(default=None, description="The team holding it, if any")
    location: Location | None = Field(default=None, description="Where the person(s) are")
    danger_flags: list[DangerFlag] = Field(
        default_factory=list, description="Conditions that raised the priority"
    )
    report_ids: list[str] = Field(
        default_factory=list, description="Intake's reports joined in this incident"
    )
    channel: Channel | None = Field(
        default=None, description="How the incident's first report arrived"
    )


class AssignmentReleased(Payload):
    """A team no longer holds an assignment: it missed the deadline, a supervisor moved it, the
    shift ended (handover), or the incident was cancelled. Notify tells the team it is released."""

    EVENT_TYPE = "assignment.released"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "team_id": "team-batam-a",
        "reason": "timed_out",
        "note": None,
        "released_at": "2026-11-22T13:07:01Z",
    }

    assignment_id: str = Field(description="Dispatch's assignment id")
    incident_id: str = Field(description="Dispatch's incident id")
    team_id: str = Field(description="The team released")
    reason: str = Field(description="timed_out | reassigned | handover | cancelled | closed")
    note: str | None = Field(default=None, max_length=1000, description="A supervisor's reason")
    released_at: UtcDatetime = Field(description="When (UTC)")


class CheckinRequested(Payload):
    """A team has been on scene long without an update: notify asks it to check in."""

    EVENT_TYPE = "assignment.checkin_requested"
    VERSION = 1
    EXAMPLE = {
        "assignment_id": "asg-000001",
        "incident_id": "inc-000001",
        "team_id": "team-batam-a",
        "on_scene_since": "2026-11-22T13:20:00Z",
        "answer_by": "2026-11-22T14:00:00Z",
    }

    assignment_id: str = Field(description="Dispatch's assignment id")
    incident_id: str = Field(description="Dispatch's incident id")
    team_id: str = Field(description="The team asked")
    on_scene_since: UtcDatetime = Field(description="When the team arrived (UTC)")
    answer_by: UtcDatetime = Field(description="No update by then: escalated (UTC)")


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

    assignment_id: str = Field(description="The assignment the press was about")
    incident_id: str = Field(description="Dispatch's incident id")
    member_telegram_id: int = Field(description="Who pressed (numeric Telegram user id)")
    telegram_update_id: int = Field(description="Telegram update id of the press")
    action: FieldAction = Field(description="Which button was pressed")
    reason: str = Field(
        description="not_in_team | not_current | illegal_transition | unknown_assignment"
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
    incident_number: str | None = Field(default=None, description="The number people read out")
    kind: str = Field(
        description="ack_timeout | checkin_missed | roster_gap | roster_gap_ahead (a gap starts"
        " soon; once per gap) | no_team | unassigned (a reminder: still no team, repeated per"
        " priority until a supervisor acts)"
    )
    level: int = Field(ge=1, description="1 for the first miss, 2 for the second, …")
    team_id: str | None = Field(default=None, description="The team concerned, if any")
    priority: Priority | None = Field(default=None, description="Of the incident, if any")
    detail: str = Field(max_length=1000, description="What happened, for the supervisors' chat")
    escalated_at: UtcDatetime = Field(description="When (UTC)")


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

    incident_id: str = Field(description="Dispatch's incident id")
    incident_number: str | None = Field(default=None, description="The number people read out")
    from_priority: Priority = Field(description="Priority before")
    to_priority: Priority = Field(description="Priority after")
    actor: str = Field(max_length=60, description="Username of the supervisor")
    reason: str = Field(max_length=500, description="Why, as the supervisor wrote it")
    changed_at: UtcDatetime = Field(description="When (UTC)")


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

    incident_id: str = Field(description="Dispatch's incident id")
    incident_number: str | None = Field(default=None, description="The number people read out")
    alternative: NoTeamAlternative = Field(description="What was done instead")
    actor: str = Field(max_length=60, description="Username of the supervisor")
    reason: str = Field(max_length=500, description="Why, as the supervisor wrote it")
    recorded_at: UtcDatetime = Field(description="When (UTC)")


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

    at: UtcDatetime = Field(description="The shift change (UTC)")
    leaving_team_ids: list[str] = Field(description="Teams whose shift ended")
    arriving_team_ids: list[str] = Field(description="Teams whose shift began")
    handed_over: list[dict[str, str]] = Field(
        default_factory=list, description="incident_id and to_team_id (or queued) per incident"
    )
    kept: list[str] = Field(
        default_factory=list, description="Incidents the leaving team keeps (on scene)"
    )


class TeamMemberRef(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    member_id: str = Field(description="Dispatch's member id")
    code: str = Field(description="The department's roster code")
    name: str = Field(description="The member's name, for messages (staff, not a reported person)")
    role: str = Field(description="leader | member | driver | social_worker")
    telegram_user_id: int | None = Field(default=None, description="Numeric Telegram user id")


class TeamUpdated(Payload):
    """A team as it is now (sent whenever its members or settings change): who may press its
    buttons, matched on the numeric Telegram user id."""

    EVENT_TYPE = "team.updated"
    VERSION = 1
    EXAMPLE = {
        "team_id": "team-batam-a",
        "code": "A",
        "name": "Tim A Lubuk Baja",
        "active": True,
        "members": [
            {"member_id": "m-1", "code": "m1", "name": "Andi", "role": "leader",
             "telegram_user_id": 123456789},
        ],
    }  # fmt: skip

    team_id: str = Field(description="Dispatch's team id")
    code: str = Field(description="The department's short name, e.g. A or TRC-1")
    name: str = Field(description="The team's name")
    active: bool = Field(default=True, description="False: the team is no longer dispatched")
    members: list[TeamMemberRef] = Field(default_factory=list, description="Its members now")


class OnDuty(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    team_id: str = Field(description="Dispatch's team id")
    code: str = Field(description="The team's short name")
    name: str = Field(description="The team's name")
    until: UtcDatetime = Field(description="End of its current shift (UTC)")


class DutyChanged(Payload):
    """Who is on duty in a region now: sent at every shift change and roster change."""

    EVENT_TYPE = "duty.changed"
    VERSION = 1
    EXAMPLE = {
        "at": "2026-11-22T08:00:00Z",
        "on_duty": [
            {
                "team_id": "team-batam-b",
                "code": "B",
                "name": "Tim B",
                "until": "2026-11-22T16:00:00Z",
            }
        ],
    }

    at: UtcDatetime = Field(description="As of (UTC)")
    on_duty: list[OnDuty] = Field(default_factory=list, description="Empty: nobody (a roster gap)")


class CaseOpened(Payload):
    EVENT_TYPE = "case.opened"
    VERSION = 1
    EXAMPLE = {
        "case_id": "case-000001",
        "incident_id": "inc-000001",
        "shelter_id": "upt-nilam-suri",
        "category": "odgj_terlantar",
        "sex": "male",
        "estimated_age": 40,
        "opened_at": "2026-11-22T14:10:00Z",
    }

    case_id: str = Field(description="Shelter's case id")
    incident_id: str = Field(description="Dispatch's incident id")
    shelter_id: str | None = Field(default=None, description="None while awaiting admission")
    category: str = Field(description="PPKS category code from the taxonomy, e.g. 'anak_jalanan'")
    sex: Sex = Field(default=Sex.UNKNOWN, description="Sex of the person, if known")
    estimated_age: int | None = Field(
        default=None, ge=0, le=130, description="Estimated age in years, if known"
    )
    opened_at: UtcDatetime = Field(description="When the case was opened (UTC)")


class CaseStatusChanged(Payload):
    """A shelter case moved: admitted, assessed, in service, closed (outcomes have their own)."""

    EVENT_TYPE = "case.status_changed"
    VERSION = 1
    EXAMPLE = {
        "case_id": "case-000001",
        "incident_id": "inc-000001",
        "from_state": "awaiting_admission",
        "to_state": "admitted",
        "shelter_id": "upt-nilam-suri",
        "section": "male",
        "category": "odgj_terlantar",
        "changed_at": "2026-11-22T14:30:00Z",
    }

    case_id: str = Field(description="Shelter's case id")
    incident_id: str = Field(description="Dispatch's incident id")
    from_state: str = Field(description="State before")
    to_state: str = Field(description="admitted | assessed | in_service | outcome | closed")
    shelter_id: str | None = Field(default=None, description="Where the person is")
    section: str | None = Field(default=None, description="male | female | children | …")
    category: str = Field(description="PPKS category code")
    changed_at: UtcDatetime = Field(description="When (UTC)")


class CaseOutcomeRecorded(Payload):
    EVENT_TYPE = "case.outcome"
    VERSION = 1
    EXAMPLE = {
        "case_id": "case-000001",
        "incident_id": "inc-000001",
        "outcome": "returned_to_family",
        "outcome_at": "2026-12-02T09:00:00Z",
        "destination_region_code": "21.71",
    }

    case_id: str = Field(description="Shelter's case id")
    incident_id: str = Field(description="Dispatch's incident id")
    outcome: CaseOutcome = Field(description="How the case ended")
    outcome_at: UtcDatetime = Field(description="When the outcome took effect (UTC)")
    destination_region_code: str | None = Field(
        default=None, description="Region the person went to, for returns and repatriations"
    )


class CaseReferred(Payload):
    """A case referred to the Dinsos of another region (repatriation to the region of origin).
    When that region runs this system too, its shelter service receives the referral and
    answers it. No names: the person's details travel with the official letter."""

    EVENT_TYPE = "case.referred"
    VERSION = 1
    EXAMPLE = {
        "referral_id": "ref-000001",
        "case_id": "case-000001",
        "from_region_code": "21.71",
        "to_region_code": "73.71",
        "category": "gepeng",
        "sex": "male",
        "estimated_age": 52,
        "reason": "Berasal dari Makassar; keluarga ditemukan",
        "referred_at": "2026-11-29T03:00:00Z",
    }

    referral_id: str = Field(description="The sending shelter's referral id")
    case_id: str = Field(description="The sending shelter's case id")
    from_region_code: str = Field(description="The referring region")
    to_region_code: str = Field(description="The region asked to take the person")
    category: str = Field(description="PPKS category code")
    sex: Sex = Field(default=Sex.UNKNOWN, description="Sex of the person, if known")
    estimated_age: int | None = Field(default=None, ge=0, le=130, description="If known")
    reason: str = Field(max_length=1000, description="Why the person is referred")
    referred_at: UtcDatetime = Field(description="When (UTC)")


class CaseReferralAnswered(Payload):
    """The receiving region's answer to a ``case.referred``."""

    EVENT_TYPE = "case.referral_answered"
    VERSION = 1
    EXAMPLE = {
        "referral_id": "ref-000001",
        "from_region_code": "73.71",
        "to_region_code": "21.71",
        "accepted": True,
        "reason": "Diterima; dijemput di pelabuhan Soekarno-Hatta",
        "answered_at": "2026-11-30T02:00:00Z",
    }

    referral_id: str = Field(description="The referring shelter's referral id")
    from_region_code: str = Field(description="The answering region")
    to_region_code: str = Field(description="The referring region")
    accepted: bool = Field(description="Taken, or refused")
    reason: str = Field(max_length=1000, description="Why (required for a refusal)")
    answered_at: UtcDatetime = Field(description="When (UTC)")


class ShelterSectionRef(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    section: str = Field(description="male | female | children | odgj_observation | …")
    capacity: int = Field(ge=0, description="Beds in the section")


class ShelterUpdated(Payload):
    """A shelter as it is now (sent whenever it is added or changed): for occupancy shown
    outside the shelter service. No people in it: cases travel in their own events."""

    EVENT_TYPE = "shelter.updated"
    VERSION = 1
    EXAMPLE = {
        "shelter_id": "upt-nilam-suri",
        "region_code": "21.71",
        "code": "NS",
        "name": "UPT P2PMKS Nilam Suri",
        "kind": "upt",
        "sections": [{"section": "male", "capacity": 20}, {"section": "female", "capacity": 12}],
        "active": True,
        "updated_at": "2026-11-22T02:00:00Z",
    }

    shelter_id: str = Field(description="Shelter's shelter id")
    region_code: str = Field(description="The region the shelter serves")
    code: str = Field(description="The department's short name for it")
    name: str = Field(description="The shelter's name")
    kind: str = Field(description="upt | uptd | rumah_singgah | panti | temporary")
    sections: list[ShelterSectionRef] = Field(description="Every section and its beds now")
    active: bool = Field(default=True, description="False: no longer admits anyone")
    updated_at: UtcDatetime = Field(description="When it was changed (UTC)")


class TelegramChatStatusChanged(Payload):
    """A Telegram chat notify sends to stopped taking the bot's messages, or works again. No
    names, phone numbers or usernames: the chat is named by its numeric id only."""

    EVENT_TYPE = "telegram.chat_status"
    VERSION = 1
    EXAMPLE = {
        "chat_id": -1001234567890,
        "kind": "team_group",
        "team_id": "team-batam-a",
        "blocked": True,
        "reason": "bot removed from the group",
        "at": "2026-11-22T13:07:05Z",
    }

    chat_id: int = Field(description="Numeric Telegram chat id (negative for groups)")
    kind: Literal["team_group", "member_private", "supervisors"] = Field(
        description="A team's group, a member's private chat, or the region's supervisors' group"
    )
    team_id: str | None = Field(
        default=None,
        description="Dispatch's team id: the team whose group it is, or the team of the member "
        "whose private chat it is; None for the supervisors' group",
    )
    blocked: bool = Field(description="True: the bot cannot send there; False: it works again")
    reason: str = Field(
        max_length=200,
        description="Why, e.g. 'blocked by the user', 'bot removed from the group', "
        "'chat not found', 'a message was delivered', 'group linked again'",
    )
    at: UtcDatetime = Field(description="When notify found out (UTC)")
