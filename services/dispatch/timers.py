"""Dispatch's deadline timer: sweeps when something falls due and otherwise sleeps until the
earliest due instant, instead of polling every second.

A commit that writes events rings the platform's outbox signal, and every commit that sets a
deadline emits an event, so a ring wakes the timer to look again (:func:`next_due` reads the
tables, so it also sees what another process set). ``timer_cap_seconds`` bounds a sleep all the
same: a deadline set by another process that then stopped (SQLite has no ring across
processes) is still found in time."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from dataclasses import dataclass
from datetime import datetime

from services.dispatch.domain.rules import DispatchRules
from services.dispatch.handlers import sweep
from services.dispatch.incidents.sweep import next_due
from services.dispatch.settings import DispatchSettings
from shared.clock import Clock
from shared.platform import Platform

# Something a sweep could not clear (e.g. a region whose sweep keeps failing) is tried again
# after this, not at once: today's one-second rhythm, and never a busy loop.
STUCK_PAUSE_S = 1.0


@dataclass
class DeadlineTimer:
    """One turn per call: sweep if something is due, then return how long to sleep (the
    platform runs it again after that, or sooner when the outbox signal rings)."""

    platform: Platform
    rules: DispatchRules
    clock: Clock
    least_s: float  # shortest time between two turns: a burst of rings costs few turns
    cap_s: float  # longest sleep
    turns: int = 0
    sweeps: int = 0
    _swept_at: datetime | None = None  # the clock when the last sweep began
    _swept_mono: float = -math.inf
    _turn_mono: float = -math.inf
    _due: datetime | None = None  # what the last turn found

    async def __call__(self) -> float:
        if await self._keep_apart():
            return self.cap_s  # the service is stopping: no turn (its loop ends now)
        self.turns += 1
        now = self.clock()
        due = self._due if self._known_due(now) else await self._next_due()
        if self._should_sweep(due, now):
            self._swept_at, self._swept_mono = now, time.monotonic()
            self.sweeps += 1
            await sweep(self.platform, self.rules, self.clock)
            due = await self._next_due()
        self._due = due
        return self.pause(due, self.clock())

    def _known_due(self, now: datetime) -> bool:
        """Woken for the instant the last turn found: sweep at once, without asking the tables
        again first (a commit since then rang, and that turn already asked)."""
        return self._due is not None and self._due <= now and not self._stuck(self._due)

    async def _keep_apart(self) -> bool:
        """Two turns at least ``least_s`` apart, however often commits ring; True if the
        service began to stop meanwhile."""
        wait = self._turn_mono + self.least_s - time.monotonic()
        if wait > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.platform.stopping.wait(), wait)
        self._turn_mono = time.monotonic()
        return self.platform.stopping.is_set()

    async def _next_due(self) -> datetime | None:
        async with self.platform.sessions() as session:
            return await next_due(session, self.rules.gap_warning)

    def _stuck(self, due: datetime) -> bool:
        """Due already when the last sweep began, and still there: that sweep could not clear
        it, and sweeping again at once would not either."""
        return self._swept_at is not None and due <= self._swept_at

    def _should_sweep(self, due: datetime | None, now: datetime) -> bool:
        if due is None or due > now:
            return False
        return not self._stuck(due) or time.monotonic() - self._swept_mono >= STUCK_PAUSE_S

    def pause(self, due: datetime | None, now: datetime) -> float:
        """Seconds until the next turn: until ``due``, at most the cap; a stuck item waits
        out :data:`STUCK_PAUSE_S`; what fell due during the sweep is for the next turn."""
        if due is None:
            return self.cap_s
        if due > now:
            return min((due - now).total_seconds(), self.cap_s)
        if self._stuck(due):
            return min(max(self._swept_mono + STUCK_PAUSE_S - time.monotonic(), 0.0), self.cap_s)
        return 0.0


def arm_timer(
    platform: Platform, settings: DispatchSettings, rules: DispatchRules, clock: Clock
) -> DeadlineTimer:
    """Register dispatch's timer with the platform (before it starts)."""
    timer = DeadlineTimer(
        platform, rules, clock, least_s=settings.sweep_seconds, cap_s=settings.timer_cap_seconds
    )
    platform.until("sweep", timer, retry_s=STUCK_PAUSE_S)
    return timer
