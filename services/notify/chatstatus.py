"""A chat that stopped taking the bot's messages, or works again: marked on the chat and told
to dispatch (``telegram.chat_status``) in the same transaction — once per change, never per send."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import col, select

from services.notify.models import Chat, KnownMember
from shared.contracts.events import TelegramChatStatusChanged
from shared.messaging.uow import UnitOfWork

KINDS: dict[str, Literal["team_group", "member_private", "supervisors"]] = {
    "team": "team_group",
    "member": "member_private",
    "supervisors": "supervisors",
}


def block_reason(error: str) -> str:
    """Telegram's refusal in words the console shows (never the chat's title or a name)."""
    text = error.casefold()
    if "blocked by the user" in text or "user is deactivated" in text:
        return "blocked by the user"
    if "kicked" in text or "not a member" in text or "removed" in text:
        return "bot removed from the group"
    if "chat not found" in text:
        return "chat not found"
    return "refused by Telegram"


async def _team_of(uow: UnitOfWork, chat: Chat) -> str | None:
    if chat.purpose != "member" or chat.telegram_user_id is None:
        return chat.team_id
    query = (
        select(KnownMember.team_id)
        .where(KnownMember.telegram_user_id == chat.telegram_user_id)
        .order_by(col(KnownMember.team_id))
    )
    return (await uow.session.exec(query)).first()


async def _tell(uow: UnitOfWork, chat: Chat, blocked: bool, reason: str, at: datetime) -> None:
    kind = KINDS.get(chat.purpose)
    if kind is None:
        return  # a retired chat: nobody is reached through it any more
    uow.emit(
        TelegramChatStatusChanged(
            chat_id=chat.chat_id,
            kind=kind,
            team_id=await _team_of(uow, chat),
            blocked=blocked,
            reason=reason,
            at=at,
        ),
        region_code=chat.region_code,
        correlation_id=f"chat-{chat.chat_id}",
    )


async def mark_blocked(uow: UnitOfWork, chat: Chat, reason: str, at: datetime) -> None:
    """Mark ``chat`` blocked; told only when it was not already."""
    if chat.blocked_at is not None:
        return
    chat.blocked_at = at
    await _tell(uow, chat, True, reason, at)


async def mark_working(uow: UnitOfWork, chat: Chat, reason: str, at: datetime) -> None:
    """Clear ``chat``'s block; told only when it was blocked."""
    if chat.blocked_at is None:
        return
    chat.blocked_at = None
    await _tell(uow, chat, False, reason, at)
