"""What every group of the bot's handlers shares: the platform, settings and clock, the language
of the messages, a reply queued like any other message (sent by the sender, in order), and the
teams a member belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update

from services.notify import texts
from services.notify.models import KnownMember, KnownTeam
from services.notify.projections import deliver
from services.notify.sender import wake_sender
from services.notify.settings import NotifySettings
from shared.clock import Clock
from shared.platform import Platform


@dataclass
class HandlerBase:
    platform: Platform
    settings: NotifySettings
    clock: Clock

    @property
    def lang(self) -> str:
        return self.settings.language

    def word(self, key: str, **values: object) -> str:
        """The catalogue's text for ``key`` in the service's language."""
        return texts.word(self.lang, key, **values)

    def queue_reply(self, session: AsyncSession, update: Update, chat_id: int, text: str) -> None:
        """The reply to ``update``, queued in the caller's transaction (one per update); after
        the commit, ``wake_sender(self.platform)`` sends it at once."""
        deliver(
            session, f"update-{update.update_id}", chat_id, "reply", text, self.clock(), priority=2
        )

    async def reply(self, update: Update, text: str) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        async with self.platform.uow() as uow:
            self.queue_reply(uow.session, update, chat.id, text)
            await uow.commit()
        wake_sender(self.platform)

    async def teams_of(self, user_id: int) -> list[KnownTeam]:
        async with self.platform.sessions() as session:
            query = (
                select(KnownTeam)
                .join(KnownMember, col(KnownMember.team_id) == col(KnownTeam.team_id))
                .where(KnownMember.telegram_user_id == user_id, col(KnownTeam.active))
            )
            return list((await session.exec(query)).all())
