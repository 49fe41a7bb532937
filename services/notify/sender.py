"""Sends the delivery log to Telegram: highest priority first, within Telegram's limits
(~1 message/s a chat, 20/min a group, ~30/s in all — python-telegram-bot enforces no per-chat
limit, so these are ours, with the ``limits`` library), retrying 429 after ``retry_after``, 5xx
and network errors with backoff, and never a chat that blocked the bot.

Each delivery is marked ``sending`` (committed) before the call and ``sent`` after. Telegram's
sendMessage has no idempotency key: a delivery found ``sending`` after a crash may or may not
have reached the chat, so it is marked ``uncertain`` and reported to the supervisors — never
sent twice (at most one message per event and chat).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func
from sqlmodel import col, delete, select
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from services.notify import texts
from services.notify.chatstatus import block_reason, mark_blocked, mark_working
from services.notify.models import AssignmentMessage, Chat, Delivery
from services.notify.projections import deliver, supervisors_chat
from services.notify.settings import NotifySettings
from shared.clock import Clock
from shared.logging import get_logger
from shared.messaging.uow import UnitOfWork
from shared.platform import Platform

log = get_logger(__name__)
BATCH = 60  # deliveries looked at per round


class TelegramLimits:
    """Per chat, per group and overall, in this process (one sender per deployment)."""

    def __init__(self, settings: NotifySettings) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._chat = RateLimitItemPerSecond(settings.per_chat_per_second)
        self._group = RateLimitItemPerMinute(settings.per_group_per_minute)
        self._all = RateLimitItemPerSecond(settings.global_per_second)

    def take(self, chat_id: int) -> bool:
        """Room to send to ``chat_id`` now? (Spends it if so.) Groups have negative ids."""
        checks: list[tuple[RateLimitItem, str]] = [(self._all, "all"), (self._chat, str(chat_id))]
        if chat_id < 0:
            checks.append((self._group, str(chat_id)))
        if not all(self._limiter.test(item, "tg", key) for item, key in checks):
            return False
        return all(self._limiter.hit(item, "tg", key) for item, key in checks)


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Sender:
    def __init__(
        self,
        platform: Platform,
        bot: Bot,
        settings: NotifySettings,
        clock: Clock,
        ready: Callable[[], bool] = lambda: True,
    ) -> None:
        self.platform, self.bot, self.settings, self.clock = platform, bot, settings, clock
        self.ready = ready  # the bot is initialised (Telegram reached once)
        self.limits = TelegramLimits(settings)
        self.paused: dict[int, datetime] = {}  # chat → until (after a 429)
        self.recovered = False
        self.calls = platform.metrics.counter(
            "trc_telegram_requests",
            "Bot API calls by method and outcome: sent, retry_after (429), retry (5xx, network), "
            "blocked (403, or the chat is gone), refused (400)",
            "method",
            "outcome",
        )

    async def recover(self) -> int:
        """After a crash: what was being sent may have arrived; never send it again."""
        now = self.clock()
        async with self.platform.uow() as uow:
            stuck = (
                await uow.session.exec(select(Delivery).where(Delivery.state == "sending"))
            ).all()
            for delivery in stuck:
                delivery.state, delivery.error = "uncertain", "the service stopped while sending"
                await self._tell_supervisors(uow.session, delivery, "uncertain", now)
            await uow.commit()
        self.recovered = True
        return len(stuck)

    async def run_once(self) -> int:
        if not self.recovered:
            await self.recover()
        if not self.ready():
            return 0
        now = self.clock()
        async with self.platform.sessions() as session:
            due = await self._heads(session, now)
        chosen: list[Delivery] = []
        busy: set[int] = set()
        for delivery in due:
            if delivery.chat_id in busy or self.paused.get(delivery.chat_id, now) > now:
                continue
            if not self.limits.take(delivery.chat_id):
                busy.add(delivery.chat_id)  # keep this chat's order: nothing later jumps it
                continue
            busy.add(delivery.chat_id)
            chosen.append(delivery)
        if not chosen:
            return 0
        calls = await self._mark_sending([d.id for d in chosen])
        outcomes = await asyncio.gather(*(self._call(d, t, m, i) for d, t, m, i in calls))
        async with self.platform.uow() as uow:  # one transaction records the round's results
            for (delivery, _t, _m, _i), outcome in zip(calls, outcomes, strict=True):
                fresh = await uow.session.get(Delivery, delivery.id)
                assert fresh is not None
                await self._settle(uow, fresh, outcome)
            await uow.commit()
        return len(calls)

    async def _heads(self, session: Any, now: datetime) -> list[Delivery]:
        """The next due delivery of each chat, most urgent first. One chat's backlog (an
        escalation storm in the supervisors' chat, held at 20 a minute) must not fill the round
        and starve every other chat, so a round looks at one delivery per chat."""
        rank = (
            func.row_number()
            .over(
                partition_by=col(Delivery.chat_id),
                order_by=(col(Delivery.priority), col(Delivery.created_at)),
            )
            .label("rank")
        )
        pending = (
            select(col(Delivery.id), rank)
            .where(Delivery.state == "pending", col(Delivery.next_attempt_at) <= now)
            .subquery()
        )
        query = (
            select(Delivery)
            .join(pending, pending.c.id == col(Delivery.id))
            .where(pending.c.rank == 1)
            .order_by(col(Delivery.priority), col(Delivery.created_at))
            .limit(BATCH)
        )
        return list((await session.exec(query)).all())

    async def _mark_sending(
        self, ids: list[str]
    ) -> list[tuple[Delivery, str, dict[str, Any] | None, int | None]]:
        """Record, before any call, what this round is about to send (one transaction)."""
        calls = []
        async with self.platform.uow() as uow:
            for delivery_id in ids:
                delivery = await uow.session.get(Delivery, delivery_id)
                if delivery is None or delivery.state != "pending":
                    continue
                text, markup, message_id = await self._render(uow.session, delivery)
                if delivery.method == "editMessageText" and message_id is None:
                    delivery.next_attempt_at = self.clock() + timedelta(seconds=1)  # not sent yet
                    continue
                delivery.state, delivery.attempts = "sending", delivery.attempts + 1
                calls.append((delivery, text, markup, message_id))
            await uow.commit()
        return calls

    async def _render(
        self, session: Any, d: Delivery
    ) -> tuple[str, dict[str, Any] | None, int | None]:
        if d.method != "editMessageText" or d.assignment_id is None:
            return d.text, d.markup, None
        message = await session.get(AssignmentMessage, (d.assignment_id, d.chat_id))
        if message is None:
            return d.text, None, None
        markup = texts.buttons(message.token, self.settings.language) if message.open else None
        return (
            texts.with_status(message.body, message.status, self.settings.language),
            markup,
            message.message_id,
        )

    async def _call(
        self, d: Delivery, text: str, markup: dict[str, Any] | None, message_id: int | None
    ) -> tuple[str, Any]:
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        try:
            if d.method == "editMessageText":
                await self.bot.edit_message_text(
                    text, chat_id=d.chat_id, message_id=message_id, reply_markup=keyboard
                )
                return "sent", message_id
            sent = await self.bot.send_message(d.chat_id, text, reply_markup=keyboard)
            return "sent", sent.message_id
        except RetryAfter as exc:
            return "retry_after", _seconds(exc.retry_after)
        except Forbidden as exc:
            return "blocked", str(exc)
        except BadRequest as exc:
            if "not modified" in str(exc):
                return "sent", message_id
            if "chat not found" in str(exc).casefold():
                return "blocked", str(exc)  # the chat is gone: nothing will reach it either
            return "refused", str(exc)
        except (NetworkError, TelegramError) as exc:
            return "retry", str(exc)
        except Exception as exc:  # an unexpected answer: retried like a network error, not lost
            return "retry", repr(exc)

    async def _settle(self, uow: UnitOfWork, d: Delivery, outcome: tuple[str, Any]) -> None:
        kind, value = outcome
        self.calls.labels(self.platform.service, d.method, kind).inc()
        now, session = self.clock(), uow.session
        if kind == "sent":
            d.state, d.sent_at, d.message_id = "sent", now, value
            if d.purpose == "assignment" and d.assignment_id:
                message = await session.get(AssignmentMessage, (d.assignment_id, d.chat_id))
                if message is not None:
                    message.message_id = value
            if (chat := await session.get(Chat, d.chat_id)) is not None:
                await mark_working(uow, chat, "a message was delivered", now)
            return
        d.error = str(value)[:300]
        if kind == "retry_after":
            self.paused[d.chat_id] = now + timedelta(seconds=value)
            d.state, d.next_attempt_at, d.attempts = (
                "pending",
                now + timedelta(seconds=value),
                d.attempts - 1,
            )
            log.warning("telegram_429", chat_id=d.chat_id, retry_after=value)
        elif kind == "retry" and d.attempts < self.settings.max_attempts:
            d.state, d.next_attempt_at = "pending", now + timedelta(seconds=min(2**d.attempts, 60))
            log.warning("telegram_retry", chat_id=d.chat_id, attempts=d.attempts, error=d.error)
        elif kind == "blocked":
            d.state = "failed"
            chat = await session.get(Chat, d.chat_id)
            if chat is not None:
                await mark_blocked(uow, chat, block_reason(str(value)), now)
            log.error("telegram_chat_blocked", chat_id=d.chat_id)
            await self._tell_supervisors(session, d, "blocked", now)
        else:
            d.state = "failed"
            log.error("telegram_send_failed", chat_id=d.chat_id, error=d.error)

    async def _tell_supervisors(self, session: Any, d: Delivery, what: str, now: datetime) -> None:
        chat = await session.get(Chat, d.chat_id)
        region = chat.region_code if chat else None
        message = (
            await session.get(AssignmentMessage, (d.assignment_id, d.chat_id))
            if d.assignment_id
            else None
        )
        region = region or (message.region_code if message else None)
        if region is None:
            return
        supervisors = await supervisors_chat(session, region)
        if supervisors is None or supervisors == d.chat_id:
            return
        text = texts.word(
            self.settings.language, what, chat=d.chat_id, number=message.number if message else ""
        )
        deliver(session, d.id, supervisors, what, text, now, priority=1)


async def prune(platform: Platform, keep: timedelta, clock: Clock) -> int:
    """Forget settled deliveries older than ``keep`` (the log is for operations, not an archive)."""
    cutoff = clock() - keep
    async with platform.uow() as uow:
        result = await uow.session.exec(
            delete(Delivery).where(
                col(Delivery.state).in_(["sent", "failed", "uncertain"]),
                col(Delivery.created_at) < cutoff,
            )
        )
        await uow.commit()
    return int(result.rowcount or 0)
