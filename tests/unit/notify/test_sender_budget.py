"""The sender's budget and its next wake: 1.05 s between two calls to a chat and 18 a minute a
group (Telegram counts at the receiver: a sender at exactly its limits landed over them), and the
round says when the next has something to do instead of the loop polling."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Bot

from services.notify.models import Delivery
from services.notify.sender import Sender, TelegramLimits
from services.notify.settings import NotifySettings
from shared.metrics import Metrics

GROUP, OTHER_GROUP, PRIVATE = -100, -200, 300
NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


class Monotonic:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def limits(**settings: Any) -> tuple[TelegramLimits, Monotonic]:
    clock = Monotonic()
    return TelegramLimits(NotifySettings(**settings), now=clock), clock


def test_the_defaults_keep_a_margin_under_telegrams_limits() -> None:
    settings = NotifySettings()
    assert settings.per_chat_gap_s >= 1.05
    assert settings.per_group_per_minute == 18
    assert settings.sender_max_sleep_s == 5.0


def test_a_chat_waits_1_05_s_since_its_last_call() -> None:
    budget, clock = limits()
    assert budget.take(PRIVATE)
    clock.t += 1.0  # Telegram's "1 a second" would allow it: the receiver might not
    assert not budget.take(PRIVATE)
    assert budget.wait(PRIVATE) == pytest.approx(0.05)
    clock.t += 0.05
    assert budget.take(PRIVATE)
    assert budget.take(GROUP)  # another chat is not held back


def test_a_group_gets_at_most_18_in_any_minute_however_long_the_surge() -> None:
    budget, clock = limits()
    sent: list[float] = []
    while clock.t < 1000.0 + 300:  # a greedy sender asking every 10 ms for five minutes
        if budget.take(GROUP):
            sent.append(clock.t)
        clock.t += 0.01
    assert min(b - a for a, b in itertools.pairwise(sent)) >= 1.05 - 1e-9
    for i, start in enumerate(sent):  # every 60-second window, wherever it begins
        assert sum(1 for t in sent[i:] if t < start + 60) <= 18
    assert len(sent) >= 18 * 5 - 1  # and the budget is used, not wasted
    # the 19th of a minute waits for the minute's first call to leave the window
    budget2, clock2 = limits()
    for _ in range(18):
        assert budget2.take(OTHER_GROUP)
        clock2.t += 1.1
    assert not budget2.take(OTHER_GROUP)
    assert budget2.wait(OTHER_GROUP) == pytest.approx(60 - 18 * 1.1)


def test_a_private_chat_has_no_minute_budget_but_the_overall_second_holds() -> None:
    budget, clock = limits(global_per_second=3)
    for chat in (1, 2, 3):
        assert budget.take(chat)
    assert not budget.take(4)
    assert budget.wait(4) == pytest.approx(1.0)
    clock.t += 1.0
    assert budget.take(4)


def sender(monotonic: Monotonic, **settings: Any) -> Sender:
    notify = NotifySettings(**settings)
    platform: Any = SimpleNamespace(metrics=Metrics("notify"), service="notify")
    bot = Bot(notify.token, base_url=notify.api_base_url)
    s = Sender(platform, bot, notify, lambda: NOW)
    s.limits = TelegramLimits(notify, now=monotonic)
    return s


def head(chat_id: int, priority: int = 2) -> Delivery:
    return Delivery(
        event_id=f"e{chat_id}",
        chat_id=chat_id,
        purpose="notice",
        text="x",
        priority=priority,
        next_attempt_at=NOW,
        created_at=NOW,
    )


def test_a_chat_held_by_its_gap_wakes_the_sender_when_the_gap_ends() -> None:
    clock = Monotonic()
    s = sender(clock)
    chosen, waits = s._choose([head(GROUP)], NOW)
    assert [d.chat_id for d in chosen] == [GROUP]
    clock.t += 0.3
    chosen, waits = s._choose([head(GROUP), head(PRIVATE)], NOW)
    assert [d.chat_id for d in chosen] == [PRIVATE]  # the other chat goes at once
    assert waits == [pytest.approx(0.75)]  # 1.05 s after GROUP's call
    assert s.next_wake(waits) == pytest.approx(0.75)


def test_a_chat_paused_by_a_429_wakes_the_sender_when_the_pause_ends() -> None:
    s = sender(Monotonic())
    s.paused[GROUP] = NOW + timedelta(seconds=7)
    chosen, waits = s._choose([head(GROUP)], NOW)
    assert chosen == []
    assert s.next_wake(waits) == 5.0  # capped
    s.paused[GROUP] = NOW + timedelta(seconds=2)
    assert s.next_wake(s._choose([head(GROUP)], NOW)[1]) == pytest.approx(2.0)


def test_the_next_wake_is_the_earliest_reason_capped_and_never_negative() -> None:
    s = sender(Monotonic(), sender_max_sleep_s=5.0)
    assert s.next_wake([3.0]) == 3.0  # a retry due in 3 s
    assert s.next_wake([3.0, 0.4, 9.0]) == 0.4
    assert s.next_wake([]) == 5.0  # nothing at all: the cap (another process's deliveries)
    assert s.next_wake([12.0]) == 5.0
    assert s.next_wake([-0.2]) == 0.0  # overdue: at once
