"""How long a consumer's fetches may wait at the broker: short while records flow, long at rest.

Apache Kafka answers a fetch as soon as records arrive, so a long wait costs nothing there (set
both waits to e.g. 500 ms). The embedded broker (Tansu) looks for new records at growing
intervals while it holds a fetch, so a record that arrives late in a long wait is answered late
(measured: with a 1 s wait, 8–390 ms, median ~120 ms; with 10 ms, ~2 ms), and a short wait is a
fetch every few milliseconds from every consumer — most of what a stack at rest spends. Hence
two paces: the short ``fetch_max_wait_ms`` from the first record until ``fetch_idle_after_s``
pass without one, then ``fetch_idle_max_wait_ms``. What a quiet spell costs: the first record
after it waits up to about the idle wait on each hop (the records behind it flow at the short
pace).

The wait is a field of aiokafka's fetcher (``_fetch_max_wait_ms``, read for every request it
builds) that aiokafka offers no setter for; :func:`adjustable` checks it is there, and a test
fails on an aiokafka release that moves it (the consumer then keeps the short wait: slower at
rest, never late).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared.logging import get_logger

log = get_logger(__name__)
_FIELD = "_fetch_max_wait_ms"


class FetchPace:
    """One consumer's pace; :meth:`observe` after every poll returns the wait its next fetches
    should use."""

    def __init__(
        self,
        short_ms: int,
        idle_ms: int,
        idle_after_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.short_ms, self.idle_ms, self.idle_after_s = (
            short_ms,
            max(idle_ms, short_ms),
            idle_after_s,
        )
        self._clock = clock
        self._last_record = clock()  # a consumer starts short: it may have a backlog to read

    def observe(self, records: int) -> int:
        now = self._clock()
        if records:
            self._last_record = now
        return self.short_ms if now - self._last_record < self.idle_after_s else self.idle_ms


def routine_timeout_ms(idle_ms: int) -> int:
    """aiokafka's ``consumer_timeout_ms``: how long its background fetch routine sleeps when
    nothing happens. A fetch's answer, a consumed record, a new assignment or a metadata change
    wake it anyway, so its default (200 ms) only adds five empty wake-ups a second to every
    consumer at rest; the idle wait is enough (each wake-up costs ~0.15 ms of CPU here)."""
    return max(idle_ms, 200)


def adjustable(consumer: Any) -> Any | None:
    """The consumer's fetcher if its wait can be changed, else ``None`` (logged once)."""
    fetcher = getattr(consumer, "_fetcher", None)
    if fetcher is not None and isinstance(getattr(fetcher, _FIELD, None), int):
        return fetcher
    log.warning("fetch_pace_unavailable", reason="aiokafka's fetcher has no wait field")
    return None


def set_wait(fetcher: Any, wait_ms: int) -> None:
    if getattr(fetcher, _FIELD) != wait_ms:
        setattr(fetcher, _FIELD, wait_ms)
