"""The envelope every event travels in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from uuid6 import uuid7

from shared.contracts.regions import check_region

REGION_CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


def new_event_id() -> str:
    """A unique, time-sortable event id (UUIDv7, RFC 9562)."""
    return str(uuid7())


def utcnow() -> datetime:
    return datetime.now(UTC)


def _as_utc(value: datetime) -> datetime:
    if not 1970 <= value.year <= 2100:
        raise ValueError("time out of range (years 1970–2100)")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("time out of range") from None


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_as_utc)]
RegionCode = Annotated[
    str,
    Field(
        pattern=REGION_CODE_PATTERN,
        description="Kemendagri region code, e.g. '21.71' (Kota Batam) or '64' (Kalimantan "
        "Timur): a province or kabupaten/kota the system knows (any other code is refused)",
        examples=["21.71"],
    ),
    AfterValidator(check_region),
]


class Envelope(BaseModel):
    """Metadata common to every event; ``payload`` is validated against the event's own model.

    Readers ignore unknown fields, so producers may add optional fields within a version.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str = Field(
        default_factory=new_event_id,
        min_length=1,
        max_length=64,
        description="Unique, time-sortable id (UUIDv7); consumers deduplicate on it",
    )
    event_type: str = Field(description="Dotted name, e.g. 'report.received'")
    version: int = Field(ge=1, description="Schema version of the payload; breaking change = +1")
    occurred_at: UtcDatetime = Field(
        default_factory=utcnow, description="When the fact happened, UTC"
    )
    producer: str = Field(description="Service that produced the event, e.g. 'intake'")
    region_code: RegionCode
    correlation_id: str = Field(
        description="The report or incident the event concerns (its id), for tracing"
    )
    payload: dict[str, Any] = Field(description="Event-specific body; see the event registry")

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()
