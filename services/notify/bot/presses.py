"""A team member's press on an assignment's buttons, and a reply to its message (a note): each
becomes a ``field.update`` for dispatch when the member belongs to the assignment's team."""

from __future__ import annotations

from sqlmodel import select
from telegram import Update
from telegram.ext import ContextTypes

from services.notify.bot.handler_base import HandlerBase
from services.notify.models import AssignmentMessage, KnownMember
from shared.contracts.buttons import Press, parse_callback_data
from shared.contracts.events import FieldUpdate
from shared.contracts.vocabulary import FieldAction
from shared.logging import get_logger
from shared.messaging.uow import UnitOfWork

log = get_logger(__name__)


class Presses(HandlerBase):
    async def on_press(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        press = parse_callback_data(query.data)
        async with self.platform.uow() as uow:
            answer, alert = await self._press(uow, update, query.from_user.id, press)
        await query.answer(answer, show_alert=alert)  # every callback query is answered

    async def _press(
        self, uow: UnitOfWork, update: Update, user_id: int, press: Press | None
    ) -> tuple[str, bool]:
        """The answer to a press (and its field update, when a member of the team made it)."""
        if press is None:  # malformed or an unknown action: no message carries such a button
            return self.word("gone"), False
        query = select(AssignmentMessage).where(AssignmentMessage.token == press.token)
        message = (await uow.session.exec(query)).first()
        if message is None:
            return self.word("gone"), False
        if await uow.session.get(KnownMember, (message.team_id, user_id)) is None:
            # The numeric Telegram id decides, never a username.
            log.warning("press_refused", incident_id=message.incident_id, reason="not_in_team")
            return self.word("not_allowed"), True
        if not message.open:
            return self.word("gone"), False
        if press.action == FieldAction.NOTE:
            return self.word("note_ask", number=message.number), False
        self._emit(uow, update, message, press.action, user_id)
        await uow.commit()
        return self.word("recorded", action=self.word(press.action)), False

    async def on_note(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply to an assignment message is a note on it (the Catatan button)."""
        msg = update.effective_message
        if msg is None or msg.reply_to_message is None or msg.from_user is None or not msg.text:
            return
        async with self.platform.uow() as uow:
            message = (
                await uow.session.exec(
                    select(AssignmentMessage).where(
                        AssignmentMessage.chat_id == msg.chat_id,
                        AssignmentMessage.message_id == msg.reply_to_message.message_id,
                    )
                )
            ).first()
            if (
                message is None
                or await uow.session.get(KnownMember, (message.team_id, msg.from_user.id)) is None
            ):
                return
            self._emit(uow, update, message, FieldAction.NOTE, msg.from_user.id, msg.text[:2000])
            await uow.commit()

    def _emit(
        self,
        uow: UnitOfWork,
        update: Update,
        message: AssignmentMessage,
        action: FieldAction,
        user_id: int,
        note: str | None = None,
    ) -> None:
        uow.emit(
            FieldUpdate(
                assignment_id=message.assignment_id,
                incident_id=message.incident_id,
                action=action,
                member_telegram_id=user_id,
                telegram_update_id=update.update_id,
                note=note,
                pressed_at=self.clock(),
            ),
            region_code=message.region_code,
            correlation_id=message.incident_id,
        )
