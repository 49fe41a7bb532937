"""The Telegram side of notify: button presses and commands from the teams, handled inside the
service's own event loop (python-telegram-bot's Application, started and stopped with the
service — never ``run_polling()``). Long polling or a webhook, as the settings say."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, select
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from services.notify import texts
from services.notify.chatstatus import mark_working
from services.notify.models import AssignmentMessage, Chat, Duty, KnownMember, KnownTeam
from services.notify.projections import deliver
from services.notify.settings import NotifySettings
from shared.clock import Clock
from shared.contracts.events import FieldUpdate, Location, PatrolReportFiled
from shared.contracts.vocabulary import FieldAction
from shared.logging import get_logger
from shared.messaging.uow import UnitOfWork
from shared.platform import Platform
from shared.regions import format_local, is_known_region

log = get_logger(__name__)
LAPOR_WAIT = timedelta(minutes=10)
HELP = {
    "id": (
        "Perintah:\n/tugas — tugas tim Anda yang masih terbuka\n"
        "/shift — siapa yang bertugas sekarang\n"
        "/lapor <uraian> — laporan lapangan, lalu kirim lokasi\n"
        "/daftar <kode tim> — (di grup tim) hubungkan grup ini dengan tim\n"
        "/bantuan — pesan ini\nTombol pada pesan tugas: Terima, Menuju lokasi, Tiba, Diamankan, "
        "Tidak ditemukan; Catatan: balas pesan tugas dengan catatan Anda."
    ),
    "en": (
        "Commands:\n/tugas — your team's open assignments\n/shift — who is on duty now\n"
        "/lapor <description> — a field report, "
        "then share the location\n/daftar <team code> — (in the team's group) link this group to "
        "the team\n/bantuan — this message\nButtons on an assignment: Accept, On my way, Arrived, "
        "Secured, Not found; Note: reply to the assignment message with your note."
    ),
}


@dataclass
class Pending:
    """A /lapor waiting for its location (kept in memory: a restart asks the member again)."""

    description: str
    region_code: str
    until: datetime


@dataclass
class Telegram:
    platform: Platform
    settings: NotifySettings
    clock: Clock
    application: Application
    reports: dict[int, Pending] = field(default_factory=dict)
    _runner: asyncio.Task[None] | None = None

    @property
    def lang(self) -> str:
        return self.settings.language

    # -------------------------------------------------------------- life cycle
    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="notify-telegram")

    async def _run(self) -> None:
        backoff = 0.5
        while True:  # Telegram (or the stand-in) may not be up yet: keep trying
            try:
                await self.application.initialize()
                await self.application.start()
                if self.settings.telegram_mode == "webhook":
                    await self.application.bot.set_webhook(
                        self.settings.webhook_url,
                        secret_token=self.settings.webhook_secret.get_secret_value() or None,
                    )
                else:
                    assert self.application.updater is not None
                    await self.application.bot.delete_webhook()
                    await self.application.updater.start_polling(timeout=10, poll_interval=0.0)
                log.info("telegram_started", mode=self.settings.telegram_mode)
                return
            except Exception as exc:
                log.warning("telegram_start_failed", error=repr(exc), retry_in_s=backoff)
                with contextlib.suppress(Exception):
                    await self.application.shutdown()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 15)

    async def stop(self) -> None:
        if self._runner is not None and not self._runner.done():
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        with contextlib.suppress(Exception):
            await app.shutdown()

    # -------------------------------------------------------------- presses
    async def on_press(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        code, _, token = (query.data or "").partition(":")
        async with self.platform.uow() as uow:
            answer, alert = await self._press(
                uow, update, query.from_user.id, texts.CODES.get(code), token
            )
        await query.answer(answer, show_alert=alert)  # every callback query is answered

    async def _press(
        self, uow: UnitOfWork, update: Update, user_id: int, action: str | None, token: str
    ) -> tuple[str, bool]:
        """The answer to a press (and its field update, when a member of the team made it)."""
        query = select(AssignmentMessage).where(AssignmentMessage.token == token)
        message = (await uow.session.exec(query)).first()
        if message is None or action is None:
            return texts.word(self.lang, "gone"), False
        if await uow.session.get(KnownMember, (message.team_id, user_id)) is None:
            # The numeric Telegram id decides, never a username.
            log.warning("press_refused", incident_id=message.incident_id, reason="not_in_team")
            return texts.word(self.lang, "not_allowed"), True
        if not message.open:
            return texts.word(self.lang, "gone"), False
        if action == "note":
            return texts.word(self.lang, "note_ask", number=message.number), False
        uow.emit(
            FieldUpdate(
                assignment_id=message.assignment_id,
                incident_id=message.incident_id,
                action=FieldAction(action),
                member_telegram_id=user_id,
                telegram_update_id=update.update_id,
                pressed_at=self.clock(),
            ),
            region_code=message.region_code,
            correlation_id=message.incident_id,
        )
        await uow.commit()
        return texts.word(self.lang, "recorded", action=texts.word(self.lang, action)), False

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
            uow.emit(
                FieldUpdate(
                    assignment_id=message.assignment_id,
                    incident_id=message.incident_id,
                    action=FieldAction.NOTE,
                    member_telegram_id=msg.from_user.id,
                    telegram_update_id=update.update_id,
                    note=msg.text[:2000],
                    pressed_at=self.clock(),
                ),
                region_code=message.region_code,
                correlation_id=message.incident_id,
            )
            await uow.commit()

    # -------------------------------------------------------------- commands
    async def _reply(self, update: Update, text: str) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        async with self.platform.uow() as uow:
            deliver(
                uow.session,
                f"update-{update.update_id}",
                chat.id,
                "reply",
                text,
                self.clock(),
                priority=2,
            )
            await uow.commit()

    async def _teams_of(self, user_id: int) -> list[KnownTeam]:
        async with self.platform.sessions() as session:
            query = (
                select(KnownTeam)
                .join(KnownMember, col(KnownMember.team_id) == col(KnownTeam.team_id))
                .where(KnownMember.telegram_user_id == user_id, col(KnownTeam.active))
            )
            return list((await session.exec(query)).all())

    async def on_help(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, HELP[self.lang])

    async def on_register(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/daftar <kode tim> in a group: a member of that team links the group to it."""
        user, chat = update.effective_user, update.effective_chat
        code = (context.args or [""])[0].casefold()
        if user is None or chat is None:
            return
        teams = [t for t in await self._teams_of(user.id) if t.code.casefold() == code]
        if len(teams) != 1 or chat.type == "private":
            await self._reply(
                update,
                "Gunakan di grup tim: /daftar <kode tim Anda>"
                if self.lang == "id"
                else "Use it in the team's group: /daftar <your team code>",
            )
            return
        async with self.platform.uow() as uow:
            team = await uow.session.get(KnownTeam, teams[0].team_id)
            assert team is not None
            if team.chat_id not in (None, chat.id) and (
                old := await uow.session.get(Chat, team.chat_id)
            ):
                await mark_working(uow, old, "team linked another group", self.clock())
            team.chat_id = chat.id
            known = await uow.session.get(Chat, chat.id) or Chat(
                chat_id=chat.id, region_code=team.region_code, purpose="team"
            )
            known.team_id, known.purpose, known.region_code = (
                team.team_id,
                "team",
                team.region_code,
            )
            uow.session.add(known)
            await mark_working(uow, known, "group linked again", self.clock())
            deliver(
                uow.session,
                f"update-{update.update_id}",
                chat.id,
                "reply",
                f"Grup ini terhubung dengan {team.name}."
                if self.lang == "id"
                else f"This group is linked to {team.name}.",
                self.clock(),
                priority=2,
            )
            await uow.commit()

    async def on_start(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start in a private chat: the member may receive assignments privately too."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type != "private":
            return
        teams = await self._teams_of(user.id)
        if teams:
            async with self.platform.uow() as uow:
                known = await uow.session.get(Chat, chat.id) or Chat(
                    chat_id=chat.id, region_code=teams[0].region_code, purpose="member"
                )
                known.telegram_user_id = user.id
                uow.session.add(known)
                await mark_working(uow, known, "member started the bot again", self.clock())
                await uow.commit()
        await self.on_help(update, _context)

    async def on_tasks(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None:
            return
        teams = [t.team_id for t in await self._teams_of(user.id)]
        async with self.platform.sessions() as session:
            rows = (
                await session.exec(
                    select(AssignmentMessage).where(
                        col(AssignmentMessage.team_id).in_(teams), col(AssignmentMessage.open)
                    )
                )
            ).all()
        seen: dict[str, AssignmentMessage] = {r.assignment_id: r for r in rows}
        if not seen:
            await self._reply(
                update, "Tidak ada tugas terbuka." if self.lang == "id" else "No open assignments."
            )
            return
        lines = [
            f"• {m.number}: {m.body.splitlines()[0]} — {m.status or '…'}" for m in seen.values()
        ]
        await self._reply(update, "\n".join(lines))

    async def on_shift(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """/shift: who is on duty now in the member's region(s), as dispatch last said."""
        user = update.effective_user
        if user is None:
            return
        regions = sorted({t.region_code for t in await self._teams_of(user.id)})
        lines = []
        async with self.platform.sessions() as session:
            for region in regions:
                duty = await session.get(Duty, region)
                if duty is None:
                    continue
                if not duty.teams:
                    lines.append(texts.word(self.lang, "nobody_on_duty", region=region))
                for team in duty.teams:
                    until = format_local(
                        datetime.fromisoformat(team["until"]), region, lang=self.lang
                    )
                    lines.append(texts.word(self.lang, "on_duty", team=team["name"], until=until))
        await self._reply(update, "\n".join(lines) or texts.word(self.lang, "duty_unknown"))

    async def on_report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/lapor <uraian>: then the member shares the location; intake classifies the text."""
        user = update.effective_user
        if user is None:
            return
        teams = await self._teams_of(user.id)
        description = " ".join(context.args or []).strip()
        if not teams or not description:
            await self._reply(
                update,
                "Tulis: /lapor <apa yang Anda temukan>, lalu kirim lokasi."
                if self.lang == "id"
                else "Write: /lapor <what you found>, then share the location.",
            )
            return
        if not is_known_region(teams[0].region_code):  # refused here, not by intake later
            await self._reply(
                update, texts.word(self.lang, "unknown_region", region=teams[0].region_code)
            )
            return
        self.reports[user.id] = Pending(
            description[:4000], teams[0].region_code, self.clock() + LAPOR_WAIT
        )
        await self._reply(
            update,
            "Kirim lokasi sekarang (📎 → Lokasi)."
            if self.lang == "id"
            else "Now share the location (📎 → Location).",
        )

    async def on_location(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        msg, user = update.effective_message, update.effective_user
        if msg is None or msg.location is None or user is None:
            return
        pending = self.reports.pop(user.id, None)
        if pending is None or pending.until < self.clock():
            await self._reply(
                update,
                "Mulai dengan /lapor <uraian>."
                if self.lang == "id"
                else "Start with /lapor <description>.",
            )
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
            deliver(
                uow.session,
                f"update-{update.update_id}",
                msg.chat_id,
                "reply",
                "Laporan diterima, diteruskan ke call center."
                if self.lang == "id"
                else "Report received and passed on.",
                self.clock(),
                priority=2,
            )
            await uow.commit()


def build_telegram(platform: Platform, settings: NotifySettings, clock: Clock) -> Telegram:
    builder = ApplicationBuilder().token(settings.token).base_url(settings.api_base_url)
    if settings.telegram_mode == "webhook":
        builder = builder.updater(None)
    application = builder.build()
    telegram = Telegram(platform, settings, clock, application)
    application.add_handler(CallbackQueryHandler(telegram.on_press))
    application.add_handler(CommandHandler(["bantuan", "help"], telegram.on_help))
    application.add_handler(CommandHandler("daftar", telegram.on_register))
    application.add_handler(CommandHandler("start", telegram.on_start))
    application.add_handler(CommandHandler("tugas", telegram.on_tasks))
    application.add_handler(CommandHandler("lapor", telegram.on_report))
    application.add_handler(CommandHandler("shift", telegram.on_shift))
    application.add_handler(MessageHandler(filters.LOCATION, telegram.on_location))
    application.add_handler(
        MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, telegram.on_note)
    )
    return telegram
