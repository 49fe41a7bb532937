"""The sender's rounds: one chat's backlog never starves the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select
from telegram import Bot

from services.notify.models import TABLES as NOTIFY_TABLES
from services.notify.models import Delivery
from services.notify.projections import deliver
from services.notify.sender import Sender
from services.notify.settings import NotifySettings
from shared.clock import system_clock
from shared.platform import build_platform
from tests.integration.telegram_support import running_standin

SUPERVISORS, TEAM = -4001, -4002


async def test_an_escalation_storm_in_one_chat_does_not_hold_back_a_teams_assignment(
    new_database: Any,
) -> None:
    async with running_standin() as telegram:
        settings = NotifySettings(
            database_url=new_database("notify"), telegram_standin_url=telegram.url
        )
        platform = build_platform(settings, tables=NOTIFY_TABLES, service_package="services.notify")
        await platform.migrate()
        for chat in (SUPERVISORS, TEAM):
            await telegram.control.post("/_standin/chats", json={"id": chat, "type": "group"})
        now = datetime.now(UTC)
        async with platform.uow() as uow:
            for n in range(150):  # far more than a round looks at, all more urgent
                at = now + timedelta(microseconds=n)
                deliver(uow.session, f"esc-{n}", SUPERVISORS, "notice", f"Eskalasi {n}", at,
                        priority=1)  # fmt: skip
            deliver(uow.session, "asg-1", TEAM, "assignment", "Tugas baru", now, priority=3)
            await uow.commit()
        bot = Bot(settings.token, base_url=settings.api_base_url)
        try:
            async with bot:
                sender = Sender(platform, bot, settings, system_clock)
                for _ in range(3):
                    await sender.run_once()
                    await asyncio.sleep(0.05)
            async with platform.sessions() as session:
                rows = (await session.exec(select(Delivery))).all()
        finally:
            await platform.engine.dispose()
    states = {(r.chat_id, r.state) for r in rows}
    assert (TEAM, "sent") in states
    assert (SUPERVISORS, "sent") in states  # and the supervisors' chat is served in order
    sent = sorted((r for r in rows if r.chat_id == SUPERVISORS and r.state == "sent"),
                  key=lambda r: r.sent_at or now)  # fmt: skip
    assert [r.event_id for r in sent] == [f"esc-{n}" for n in range(len(sent))]
