"""Field types the event payloads share: a fact two events both carry is typed, bounded and
described once, here, so its JSON Schema is the same wherever it travels.

An event whose field means something narrower keeps the type and overrides the description
(``team_id: TeamId = Field(description="The team released")``). Defaults stay at the field
itself (``= None``, ``= Field(default_factory=list)``), where type checkers see them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import UtcDatetime
from shared.contracts.vocabulary import Channel, DangerFlag, FieldAction, Priority, Sex


class Part(BaseModel):
    """Base of every model nested in a payload: tolerant reader (unknown fields ignored),
    immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Location(Part):
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


# Ids, as their owning service gives them
ReportId = Annotated[str, Field(description="Intake's report id")]
IncidentId = Annotated[str, Field(description="Dispatch's incident id")]
AssignmentId = Annotated[str, Field(description="Dispatch's assignment id")]
TeamId = Annotated[str, Field(description="Dispatch's team id")]
CaseId = Annotated[str, Field(description="Shelter's case id")]
IncidentNumber = Annotated[str | None, Field(description="The number people read out")]
TelegramUpdateId = Annotated[int, Field(description="Telegram update id, for deduplication")]

# What was reported
PriorityLevel = Annotated[Priority, Field(description="P1 (life at risk) … P4 (routine)")]
ReportChannel = Annotated[
    Channel, Field(description="How the report arrived; never who reported it")
]
CategoryCode = Annotated[
    str, Field(description="PPKS category code from the taxonomy, e.g. 'anak_jalanan'")
]
ReportText = Annotated[
    str,
    Field(
        max_length=4000,
        description="What was reported, free text (Bahasa Indonesia); no identities",
    ),
]
Place = Annotated[Location, Field(description="Where the person(s) are")]
PeopleCount = Annotated[int, Field(ge=1, description="How many people need help")]
ReportedPeopleCount = Annotated[PeopleCount, Field(le=500)]  # as a report gives it
DangerFlags = Annotated[list[DangerFlag], Field(description="Conditions that raise the priority")]

# The teams in the field
TeamName = Annotated[str, Field(description="The team's name")]
PressedButton = Annotated[FieldAction, Field(description="Which button was pressed")]

# The person a case is about (never named)
PersonSex = Annotated[Sex, Field(description="Sex of the person, if known")]
EstimatedAge = Annotated[
    int | None, Field(ge=0, le=130, description="Estimated age in years, if known")
]

# Who decided, and why
Username = Annotated[str, Field(max_length=60)]
SupervisorUsername = Annotated[Username, Field(description="Username of the supervisor")]
SupervisorReason = Annotated[
    str, Field(max_length=500, description="Why, as the supervisor wrote it")
]

# When it happened; a field that says more of its instant overrides the description
When = Annotated[UtcDatetime, Field(description="When (UTC)")]
