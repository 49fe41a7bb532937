"""Events of ``trc.ingress.reports.v1``: reports pushed by external systems (e.g. a city 112)."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import DangerFlags, Place, ReportedPeopleCount, ReportText, When


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
    description: ReportText = Field(min_length=1)
    location: Place
    people_count: ReportedPeopleCount = 1
    danger_flags: DangerFlags = Field(default_factory=list)
    reported_at: When = Field(description="When the sender received the report (UTC)")
    reporter_name: str | None = Field(default=None, description="Personal data: stays in intake")
    reporter_phone: str | None = Field(default=None, description="Personal data: stays in intake")
