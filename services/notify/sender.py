"""Sends the delivery log to Telegram: highest priority first, within Telegram's limits with a
margin (a gap of 1.05 s between two calls to a chat, 18 a minute a group, 30 a second in all —
python-telegram-bot enforces no per-chat limit, so these are ours), retrying 429 after
``retry_after``, 5xx and network errors with backoff, and never a chat that blocked the bot.

Each delivery is marked ``sending`` (committed) before the call and ``sent`` after. Telegram's
sendMessage has no idempotency key: a delivery found ``sending`` after a crash may or may not
have reached the chat, so it is marked ``uncertain`` and reported to the supervisors — never
sent twice (at most one message per event and chat).

The send loop sleeps at rest: each round says when the next has something to do (a retry's
``next_attempt_at``, a chat's or group's limit opening again), and a commit that wrote a
delivery in this process rings the platform's signal (:func:`wake_sender`); the sleep is capped
(``TRC_NOTIFY_SENDER_MAX_SLEEP_S``) for deliveries another process wrote.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, delete, select, update
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
NOT_READY_S = 0.5  # the bot has not reached Telegram yet: look again this soon


class TelegramLimits:
    """Per chat, per group and overall, in this process (one sender per deployment).

    Telegram counts where the calls arrive: a burst sent at exactly 1/s a chat and 20/min a
    group arrived over both (21 calls in 59.97 s, gaps under 1 s), so the defaults keep a
    margin. A chat's limit is a gap since its last call (a moving window of one call a second
    cannot say 1.05 s); a group's and the overall one are moving windows. ``now`` is a
    monotonic clock in seconds (the limits are real time, whatever the service's clock says).
    """

    def __init__(self, settings: NotifySettings, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._gap = settings.per_chat_gap_s
        self._per_group = settings.per_group_per_minute
        self._per_second = settings.global_per_second
        self._last: dict[int, float] = {}  # chat → its last call
        self._groups: dict[int, deque[float]] = {}  # group → its calls in the last minute
        self._all: deque[float] = deque()  # every call in the last second

    def wait(self, chat_id: int) -> float:
        """Seconds until ``chat_id`` may be sent to (0: now). Groups have negative ids."""
        now = self._now()
        waits = [0.0, _window_wait(self._all, self._per_second, 1.0, now)]
        if (last := self._last.get(chat_id)) is not None:
            waits.append(last + self._gap - now)
        if chat_id < 0 and (calls := self._groups.get(chat_id)):
            waits.append(_window_wait(calls, self._per_group, 60.0, now))
        return max(waits)

    def take(self, chat_id: int) -> bool:
        """Room to send to ``chat_id`` now? (Spends it if so.)"""
        if self.wait(chat_id) > 0:
            return False
        now = self._now()
        if len(self._last) > 4096:  # forget chats idle for a minute (they wait for nothing)
            self._last = {c: t for c, t in self._last.items() if t > now - 60}
            self._groups = {c: q for c, q in self._groups.items() if c in self._last}
        self._last[chat_id] = now
        self._all.append(now)
        if chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(now)
        return True


def _window_wait(calls: deque[float], limit: int, span: float, now: float) -> float:
    """Seconds until a moving window of ``span`` seconds holds fewer than ``limit`` calls."""
    while calls and calls[0] <= now - span:
        calls.popleft()
    return calls[-limit] + span - now if len(calls) >= limit else 0.0


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
        """One round: what is due and within the limits is sent; the number of calls made."""
        return (await self._round())[0]

    async def send(self) -> float:
        """One round, then the seconds until the next has something to do: 0 after sending
        (more may be due at once), else the earliest retry or limit opening, at most the cap.
        The service's send loop sleeps that long, or until a delivery is committed."""
        return (await self._round())[1]

    async def _round(self) -> tuple[int, float]:
        if not self.recovered:
            await self.recover()  # its notices to the supervisors are due in this round
        if not self.ready():
            return 0, min(NOT_READY_S, self.settings.sender_max_sleep_s)
        now = self.clock()
        async with self.platform.sessions() as session:
            due = await self._heads(session, now)
        chosen, waits = self._choose(due, now)
        if chosen:
            return await self._send(chosen), 0.0
        async with self.platform.sessions() as session:
            later = await self._next_attempt(session, now)
        if later is not None:
            waits.append((later - now).total_seconds())
        return 0, self.next_wake(waits)

    def next_wake(self, waits: list[float]) -> float:
        """The earliest of ``waits`` (seconds), never below 0 nor above the cap."""
        return max(0.0, min([*waits, self.settings.sender_max_sleep_s]))

    def _choose(self, due: list[Delivery], now: datetime) -> tuple[list[Delivery], list[float]]:
        """What to send now (one per chat, spending the limits), and for each chat held back
        the seconds until it may be sent to."""
        chosen: list[Delivery] = []
        waits: list[float] = []
        busy: set[int] = set()
        for delivery in due:
            chat = delivery.chat_id
            if chat in busy:
                continue
            busy.add(chat)  # keep this chat's order: nothing later jumps it
            if (paused := self.paused.get(chat, now)) > now:
                waits.append((paused - now).total_seconds())
            elif not self.limits.take(chat):
                waits.append(self.limits.wait(chat))
            else:
                chosen.append(delivery)
        return chosen, waits

    async def _send(self, chosen: list[Delivery]) -> int:
        calls = await self._mark_sending([d.id for d in chosen])
        outcomes = await asyncio.gather(*(self._call(d, t, m, i) for d, t, m, i in calls))
        async with self.platform.uow() as uow:  # one transaction records the round's results
            for (delivery, _t, _m, _i), outcome in zip(calls, outcomes, strict=True):
                fresh = await uow.session.get(Delivery, delivery.id)
                assert fresh is not None
                await self._settle(uow, fresh, outcome)
            await uow.commit()
        return len(calls)

    async def _next_attempt(self, session: Any, now: datetime) -> datetime | None:
        """When the earliest pending delivery not yet due comes due (a retry, a 429's wait)."""
        query = select(func.min(Delivery.next_attempt_at)).where(
            Delivery.state == "pending", col(Delivery.next_attempt_at) > now
        )
        later: datetime | None = (await session.exec(query)).first()
        if later is not None and later.tzinfo is None:  # SQLite gives it back naive (UTC)
            later = later.replace(tzinfo=UTC)
        return later

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
        """Record, before any call, what this round is about to send (one transaction). A row
        is claimed (pending → sending) before it is rendered: a change that folded itself into
        the pending row (:func:`projections._refresh`) is committed first and shows, or finds
        it claimed and queues its own edit — the latest status is never lost."""
        calls = []
        async with self.platform.uow() as uow:
            for delivery_id in ids:
                claimed = await uow.session.exec(
                    update(Delivery)
                    .where(col(Delivery.id) == delivery_id, col(Delivery.state) == "pending")
                    .values(state="sending", attempts=col(Delivery.attempts) + 1)
                )
                delivery = await uow.session.get(Delivery, delivery_id)
                if claimed.rowcount != 1 or delivery is None:
                    continue
                text, markup, message_id = await self._render(uow.session, delivery)
                if delivery.method == "editMessageText" and message_id is None:
                    delivery.state, delivery.attempts = "pending", delivery.attempts - 1
                    delivery.next_attempt_at = self.clock() + timedelta(seconds=1)  # not sent yet
                    continue
                calls.append((delivery, text, markup, message_id))
            await uow.commit()
        return calls

    async def _render(
        self, session: Any, d: Delivery
    ) -> tuple[str, dict[str, Any] | None, int | None]:
        """An assignment's message, sent or edited, as it stands now: its latest status, and
        its buttons while it is open."""
        if d.purpose not in ("assignment", "edit") or d.assignment_id is None:
            return d.text, d.markup, None
        message = await session.get(AssignmentMessage, (d.assignment_id, d.chat_id))
        if message is None:
            return d.text, d.markup if d.method == "sendMessage" else None, None
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


def wake_sender(platform: Platform) -> None:
    """After a commit that wrote a delivery (and perhaps no event): the send loop looks at once
    instead of at its next timer. Only the send loop: a commit that wrote events has rung the
    relay itself."""
    platform.wake("send")


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
