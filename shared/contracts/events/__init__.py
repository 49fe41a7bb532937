"""Payload models of the events, one module per topic; every name is importable from here.

Payloads never carry the reporter's identity or a person's name, NIK or phone: those stay in the
service that owns them (intake for reporters, shelter for persons).
"""

from shared.contracts.events.assignments import (
    AssignmentAcknowledged,
    AssignmentCreated,
    AssignmentReleased,
    AssignmentTimedOut,
    CheckinRequested,
    FieldUpdateRefused,
)
from shared.contracts.events.base import Payload
from shared.contracts.events.cases import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseReferralAnswered,
    CaseReferred,
    CaseStatusChanged,
    ShelterSectionRef,
    ShelterUpdated,
)
from shared.contracts.events.field_updates import FieldUpdate
from shared.contracts.events.incidents import (
    IncidentEscalated,
    IncidentNoTeamRecorded,
    IncidentPriorityChanged,
    IncidentStatusChanged,
    ShiftHandover,
)
from shared.contracts.events.ingress import ReportSubmitted
from shared.contracts.events.notify import TelegramChatStatusChanged
from shared.contracts.events.patrol import PatrolReportFiled
from shared.contracts.events.reports import (
    ReportAwaitingTriage,
    ReportReceived,
    ReportTriaged,
    ReportUnlinked,
)
from shared.contracts.events.teams import DutyChanged, OnDuty, TeamMemberRef, TeamUpdated
from shared.contracts.fields import Location

__all__ = [
    "AssignmentAcknowledged",
    "AssignmentCreated",
    "AssignmentReleased",
    "AssignmentTimedOut",
    "CaseOpened",
    "CaseOutcomeRecorded",
    "CaseReferralAnswered",
    "CaseReferred",
    "CaseStatusChanged",
    "CheckinRequested",
    "DutyChanged",
    "FieldUpdate",
    "FieldUpdateRefused",
    "IncidentEscalated",
    "IncidentNoTeamRecorded",
    "IncidentPriorityChanged",
    "IncidentStatusChanged",
    "Location",
    "OnDuty",
    "PatrolReportFiled",
    "Payload",
    "ReportAwaitingTriage",
    "ReportReceived",
    "ReportSubmitted",
    "ReportTriaged",
    "ReportUnlinked",
    "ShelterSectionRef",
    "ShelterUpdated",
    "ShiftHandover",
    "TeamMemberRef",
    "TeamUpdated",
    "TelegramChatStatusChanged",
]
