"""Events of ``trc.notify.v1``: Telegram chats that blocked the bot (or removed it) and that
work again."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import When


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
    at: When = Field(description="When notify found out (UTC)")
