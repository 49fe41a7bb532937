"""Events of ``trc.reports.v1``: accepted, deduplicated, prioritised reports for dispatch, and
the P1 reports that wait in intake's triage queue and how they ended (for the supervisors' chat)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import (
    CategoryCode,
    DangerFlags,
    Place,
    PriorityLevel,
    ReportChannel,
    ReportedPeopleCount,
    ReportId,
    ReportText,
    Username,
    When,
)


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

    report_id: ReportId
    channel: ReportChannel
    category: str = Field(description="Category code from intake's taxonomy, e.g. 'anak_jalanan'")
    priority: PriorityLevel
    description: ReportText = Field(description="What was reported, without identities")
    location: Place
    people_count: ReportedPeopleCount = 1
    danger_flags: DangerFlags = Field(default_factory=list)
    received_at: When = Field(description="When intake accepted the report (UTC)")
    duplicate_of: str | None = Field(
        default=None, description="Report id of the open report this one was attached to"
    )
    duplicate_reason: str | None = Field(
        default=None,
        max_length=200,
        description="Why it was attached (place and time, a follow-up call); never who reported it",
    )


class ReportAwaitingTriage(Payload):
    """A P1 report waits in intake's triage queue: no team can be sent as it stands (no place a
    team can find, no category …) until an operator completes it. Told so that the region's
    supervisors hear of it at once; it is not a report for dispatch (``report.received`` follows
    when an operator sends it on). While it still waits and no operator holds a claim on it, it
    is told again every few minutes (``reminder`` 1, 2 …)."""

    EVENT_TYPE = "report.awaiting_triage"
    VERSION = 1
    EXAMPLE = {
        "report_id": "01933b6e-8a3e-7c4a-9a1e-3f2b4c5d6e81",
        "channel": "social_media",
        "priority": "P1",
        "triage_reason": "lokasi tidak jelas / unclear place",
        "category": "anak_balita_terlantar",
        "description": "Tolong ada bayi ditinggal sendirian di emperan toko, nangis terus.",
        "danger_flags": ["child"],
        "received_at": "2026-11-22T18:40:00Z",
        "reminder": 0,
        "announced_at": "2026-11-22T18:40:00Z",
    }

    report_id: ReportId
    channel: ReportChannel
    priority: PriorityLevel
    triage_reason: str = Field(
        max_length=200,
        description="Why it waits, as the triage queue says it (Indonesian / English), "
        "e.g. 'lokasi tidak jelas / unclear place'",
    )
    category: CategoryCode | None = Field(
        default=None, description="The classifier's suggestion, if any; the operator decides"
    )
    description: ReportText = Field(description="What was reported, without identities")
    danger_flags: DangerFlags = Field(default_factory=list)
    received_at: When = Field(description="When intake accepted the report (UTC)")
    reminder: int = Field(
        default=0,
        ge=0,
        description="0: the first notice; 1, 2 …: the report still waits unclaimed, told again",
    )
    announced_at: When | None = Field(
        default=None,
        description="When intake told it this time (UTC); it has waited since received_at",
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

    report_id: ReportId = Field(description="The report that now stands alone: dispatch it")
    previously_linked_to: ReportId = Field(description="The report it had been attached to")
    reason: str = Field(max_length=200, description="Why the operator separated them")
    actor: Username = Field(description="Username of the operator")
    unlinked_at: When = Field(description="When it was separated (UTC)")


class ReportTriaged(Payload):
    """An operator decided a P1 report that had been announced from the triage queue: sent to a
    team (``dispatched``: ``report.received`` follows for dispatch) or dismissed as not a report,
    with the reason. Told so that the supervisors who heard it was waiting hear how it ended."""

    EVENT_TYPE = "report.triaged"
    VERSION = 1
    EXAMPLE = {
        "report_id": "01933b6e-8a3e-7c4a-9a1e-3f2b4c5d6e81",
        "priority": "P1",
        "outcome": "dismissed",
        "operator": "rina",
        "reason": "iklan / an advertisement",
        "category": None,
        "kecamatan": None,
        "description": "Tolong ada bayi ditinggal sendirian di emperan toko, nangis terus.",
        "decided_at": "2026-11-22T18:52:00Z",
    }

    report_id: ReportId
    priority: PriorityLevel = Field(description="The priority it was announced with")
    outcome: Literal["dispatched", "dismissed"] = Field(
        description="dispatched: completed and sent on; dismissed: not a report"
    )
    operator: Username = Field(description="Username of the operator who decided it")
    reason: str | None = Field(
        default=None, max_length=200, description="Why it was dismissed (dismissed only)"
    )
    category: CategoryCode | None = Field(
        default=None, description="The category the operator gave (dispatched only)"
    )
    kecamatan: str | None = Field(
        default=None, max_length=100, description="The kecamatan the operator gave, if any"
    )
    description: ReportText = Field(description="What was reported, without identities")
    decided_at: When = Field(description="When the operator decided it (UTC)")
