"""Telegram chats that blocked the bot, copied from notify's ``trc.notify.v1`` into dispatch's
own table for the console (only notify talks to Telegram, so only it knows)."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.models import ChatStatusProjection, Team
from shared.contracts.events import TelegramChatStatusChanged
from shared.scope import within


async def on_chat_status(
    session: AsyncSession, region: str, event: TelegramChatStatusChanged
) -> None:
    """The chat's latest status; an event older than the one held changes nothing."""
    row = await session.get(ChatStatusProjection, event.chat_id)
    if row is not None and row.at > event.at:
        return
    row = row or ChatStatusProjection(
        chat_id=event.chat_id,
        region_code=region,
        kind=event.kind,
        blocked=event.blocked,
        reason=event.reason,
        at=event.at,
    )
    row.region_code, row.team_id, row.kind = region, event.team_id, event.kind
    row.blocked, row.reason, row.at = event.blocked, event.reason, event.at
    session.add(row)


async def blocked_chats(session: AsyncSession, region: str) -> list[dict[str, Any]]:
    """The chats of ``region`` (or a province) the bot cannot reach now, the longest first."""
    query = (
        select(ChatStatusProjection, Team.code)
        .join(Team, col(Team.id) == col(ChatStatusProjection.team_id), isouter=True)
        .where(within(ChatStatusProjection.region_code, region), col(ChatStatusProjection.blocked))
        .order_by(col(ChatStatusProjection.at), col(ChatStatusProjection.chat_id))
    )
    return [
        {
            "team_id": row.team_id,
            "team_code": code,
            "region_code": row.region_code,
            "kind": row.kind,
            "reason": row.reason,
            "since": row.at,
        }
        for row, code in (await session.exec(query)).all()
    ]
