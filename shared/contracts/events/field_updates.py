"""Events of ``trc.field-updates.v1``: button presses and notes from the teams in the field."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import (
    AssignmentId,
    IncidentId,
    PressedButton,
    TelegramUpdateId,
    When,
)


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

    assignment_id: AssignmentId
    incident_id: IncidentId
    action: PressedButton
    member_telegram_id: int = Field(description="Numeric Telegram user id (never the username)")
    telegram_update_id: TelegramUpdateId
    note: str | None = Field(
        default=None, max_length=2000, description="Free-text note from the field (Catatan)"
    )
    pressed_at: When = Field(description="When the button was pressed (UTC)")
