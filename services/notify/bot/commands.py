"""The bot's commands: /bantuan (/help), /start, /daftar (link a team's group), /tugas (the
team's open assignments) and /shift (who is on duty). /lapor is the patrol conversation."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from telegram import Update
from telegram.ext import ContextTypes

from services.notify import texts
from services.notify.bot.handler_base import HandlerBase
from services.notify.chatstatus import mark_working
from services.notify.models import AssignmentMessage, Chat, Duty, KnownTeam
from services.notify.sender import wake_sender
from shared.regions import format_local


class Commands(HandlerBase):
    async def on_help(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.reply(update, self.word("help"))

    async def on_register(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/daftar <kode tim> in a group: a member of that team links the group to it."""
        user, chat = update.effective_user, update.effective_chat
        code = (context.args or [""])[0].casefold()
        if user is None or chat is None:
            return
        teams = [t for t in await self.teams_of(user.id) if t.code.casefold() == code]
        if len(teams) != 1 or chat.type == "private":
            await self.reply(update, self.word("register_usage"))
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
            linked = self.word("group_linked", team=team.name)
            self.queue_reply(uow.session, update, chat.id, linked)
            await uow.commit()
        wake_sender(self.platform)

    async def on_start(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start in a private chat: the member may receive assignments privately too."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type != "private":
            return
        teams = await self.teams_of(user.id)
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
        teams = [t.team_id for t in await self.teams_of(user.id)]
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
            await self.reply(update, self.word("no_open_tasks"))
            return
        lines = [texts.open_task_line(m.number, m.body, m.status) for m in seen.values()]
        await self.reply(update, "\n".join(lines))

    async def on_shift(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """/shift: who is on duty now in the member's region(s), as dispatch last said."""
        user = update.effective_user
        if user is None:
            return
        regions = sorted({t.region_code for t in await self.teams_of(user.id)})
        lines = []
        async with self.platform.sessions() as session:
            for region in regions:
                duty = await session.get(Duty, region)
                if duty is None:
                    continue
                if not duty.teams:
                    lines.append(self.word("nobody_on_duty", region=region))
                for team in duty.teams:
                    until = format_local(
                        datetime.fromisoformat(team["until"]), region, lang=self.lang
                    )
                    lines.append(self.word("on_duty", team=team["name"], until=until))
        await self.reply(update, "\n".join(lines) or self.word("duty_unknown"))
