"""The /lapor conversation: a member writes what they found, then shares the location; the
report goes to intake as ``patrol.report_filed`` (intake classifies the text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import ContextTypes

from services.notify.bot.handler_base import HandlerBase
from services.notify.sender import wake_sender
from shared.contracts.events import Location, PatrolReportFiled
from shared.regions import is_known_region

LAPOR_WAIT = timedelta(minutes=10)


@dataclass
class Pending:
    """A /lapor waiting for its location (kept in memory: a restart asks the member again)."""

    description: str
    region_code: str
    until: datetime


@dataclass
class PatrolReports(HandlerBase):
    reports: dict[int, Pending] = field(default_factory=dict)

    async def on_report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/lapor <uraian>: then the member shares the location; intake classifies the text."""
        user = update.effective_user
        if user is None:
            return
        teams = await self.teams_of(user.id)
        description = " ".join(context.args or []).strip()
        if not teams or not description:
            await self.reply(update, self.word("lapor_usage"))
            return
        if not is_known_region(teams[0].region_code):  # refused here, not by intake later
            await self.reply(update, self.word("unknown_region", region=teams[0].region_code))
            return
        self.reports[user.id] = Pending(
            description[:4000], teams[0].region_code, self.clock() + LAPOR_WAIT
        )
        await self.reply(update, self.word("share_location"))

    async def on_location(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        msg, user = update.effective_message, update.effective_user
        if msg is None or msg.location is None or user is None:
            return
        pending = self.reports.pop(user.id, None)
        if pending is None or pending.until < self.clock():
            await self.reply(update, self.word("lapor_first"))
            return
        async with self.platform.uow() as uow:
            uow.emit(
                PatrolReportFiled(
                    telegram_update_id=update.update_id,
                    member_telegram_id=user.id,
                    description=pending.description,
                    location=Location(
                        latitude=msg.location.latitude, longitude=msg.location.longitude
                    ),
                    filed_at=self.clock(),
                ),
                region_code=pending.region_code,
                correlation_id=f"tg-{update.update_id}",
            )
            self.queue_reply(uow.session, update, msg.chat_id, self.word("report_received"))
            await uow.commit()
        wake_sender(self.platform)
