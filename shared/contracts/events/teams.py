"""Events of ``trc.teams.v1``: teams and their members as dispatch knows them, and who is on
duty (for who may press a team's buttons)."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import Part, TeamId, TeamName, When


class TeamMemberRef(Part):
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

    team_id: TeamId
    code: str = Field(description="The department's short name, e.g. A or TRC-1")
    name: TeamName
    active: bool = Field(default=True, description="False: the team is no longer dispatched")
    members: list[TeamMemberRef] = Field(default_factory=list, description="Its members now")


class OnDuty(Part):
    team_id: TeamId
    code: str = Field(description="The team's short name")
    name: TeamName
    until: When = Field(description="End of its current shift (UTC)")


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

    at: When = Field(description="As of (UTC)")
    on_duty: list[OnDuty] = Field(default_factory=list, description="Empty: nobody (a roster gap)")
