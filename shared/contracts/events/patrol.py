"""Events of ``trc.patrol-reports.v1``: field findings filed by TRC members through Telegram."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import (
    Place,
    ReportedPeopleCount,
    ReportText,
    TelegramUpdateId,
    When,
)


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

    telegram_update_id: TelegramUpdateId
    member_telegram_id: int = Field(description="Numeric Telegram user id of the TRC member")
    category: str | None = Field(
        default=None, description="PPKS category code from the taxonomy, e.g. 'anak_jalanan'"
    )
    description: ReportText = Field(min_length=1)
    location: Place
    people_count: ReportedPeopleCount = 1
    filed_at: When = Field(description="When the member filed it (UTC)")
