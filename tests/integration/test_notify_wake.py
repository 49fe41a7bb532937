"""The send loop sleeps at rest and wakes on work: a handful of rounds in an idle second (it
used to look 20 times a second), a committed delivery sent at once, and an assignment from the
broker reaching its group long before the idle cap; a pending retry is the next wake."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select
from telegram import Bot

from services.notify.models import TABLES as NOTIFY_TABLES
from services.notify.models import Delivery, KnownTeam
from services.notify.projections import deliver
from services.notify.sender import Sender, wake_sender
from services.notify.settings import NotifySettings
from shared.clock import system_clock
from shared.platform import build_platform
from tests.integration.notify_support import Notify, assignment, running_notify, team

pytestmark = pytest.mark.integration
CHAT = -5001


def count_rounds(n: Notify) -> list[float]:
    """When each round of the service's send loop began (monotonic seconds)."""
    sender: Sender = n.app.state.sender
    rounds: list[float] = []
    inner: Callable[[], Awaitable[tuple[int, float]]] = sender._round

    async def counted() -> tuple[int, float]:
        rounds.append(time.monotonic())
        return await inner()

    sender._round = counted  # type: ignore[method-assign]
    return rounds


async def state_of(n: Notify, event_id: str) -> str | None:
    async with n.platform.sessions() as session:
        row = (await session.exec(select(Delivery).where(Delivery.event_id == event_id))).first()
        return row.state if row else None


async def test_at_rest_the_sender_sleeps_and_a_committed_delivery_wakes_it(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    url = new_database("notify")
    async with running_notify(kafka_bootstrap, topic_prefix, url, sender_max_sleep_s=30) as n:
        await n.telegram.control.post("/_standin/chats", json={"id": CHAT, "type": "group"})
        rounds = count_rounds(n)
        await asyncio.sleep(1.0)
        assert len(rounds) <= 3, rounds  # polling every 50 ms: 20

        rounds.clear()
        async with n.platform.uow() as uow:
            deliver(uow.session, "wake-1", CHAT, "notice", "Bangun", datetime.now(UTC))
            await uow.commit()
        committed = time.monotonic()
        relay_rang = n.platform.signal._own.rang
        wake_sender(n.platform)  # as the bot's replies and notify's consumers do
        # The sender alone: the relay (a read of the outbox) is not rung for a commit without
        # an event, nor kept from the connection the sender needs.
        assert n.platform.signal._own.rang == relay_rang
        for _ in range(200):
            if await state_of(n, "wake-1") == "sent":
                break
            await asyncio.sleep(0.01)
        assert await state_of(n, "wake-1") == "sent"
        # Woken by the commit, not by its 30 s cap (a few milliseconds on an idle machine; the
        # bound leaves room for a loaded one, where any wake-up may come hundreds of them late).
        assert rounds and rounds[0] - committed < 1.0, [r - committed for r in rounds]

        # through the broker: the consumer's commit rings, not the 30 s cap
        await n.publish(team("team-a", "A", (1001, 1002)))
        for _ in range(300):
            async with n.platform.sessions() as session:
                if await session.get(KnownTeam, "team-a") is not None:
                    break
            await asyncio.sleep(0.05)
        await n.say(CHAT, 1001, "/daftar A")  # the reply is queued by the bot: it rings too
        assert len(await n.bot_messages(CHAT, 2, timeout=10)) == 2
        await asyncio.sleep(1.1)  # the chat's gap
        published = time.monotonic()
        await n.publish(assignment(1))
        assert len(await n.bot_messages(CHAT, 3, timeout=10)) == 3
        assert time.monotonic() - published < 5


async def test_a_pending_retry_is_the_next_wake(new_database: Any) -> None:
    settings = NotifySettings(database_url=new_database("notify"), sender_max_sleep_s=5)
    platform = build_platform(settings, tables=NOTIFY_TABLES, service_package="services.notify")
    await platform.migrate()
    try:
        sender = Sender(platform, Bot(settings.token, base_url="http://127.0.0.1:1/bot"), settings,
                        system_clock)  # fmt: skip
        assert await sender.send() == 5.0  # nothing at all: the cap
        async with platform.uow() as uow:
            now = datetime.now(UTC)
            deliver(uow.session, "retry-1", CHAT, "notice", "Nanti", now)
            await uow.commit()
        async with platform.uow() as uow:
            [row] = (await uow.session.exec(select(Delivery))).all()
            row.next_attempt_at = now + timedelta(seconds=3)
            await uow.commit()
        assert await sender.send() == pytest.approx(3.0, abs=0.2)
    finally:
        await platform.engine.dispose()
