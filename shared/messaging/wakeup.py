"""Cross-process wake-ups for the outbox relay: PostgreSQL ``LISTEN/NOTIFY`` on one channel.

A commit that staged outbox rows also sends ``NOTIFY`` in its transaction (PostgreSQL delivers it
only if the transaction commits), so a relay in another process — a second replica, the ``trc``
command line writing events — wakes at once instead of on its next idle poll. In its own process
the :class:`~shared.messaging.outbox.OutboxSignal` already rings. SQLite has nothing of the kind:
there the relay's idle poll (growing to ``relay_idle_max_s``) picks up another process's rows.

The listener is an extra: when its connection is lost (a PostgreSQL restart) the relay still
polls, and after reconnecting it rings once, for whatever was committed while it was deaf.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from shared.logging import get_logger

log = get_logger(__name__)
CHANNEL = "trc_outbox"
NOTIFY = text(f"NOTIFY {CHANNEL}")


def listens(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


async def ring_in_transaction(connection: Any) -> None:
    """Queue the notification in the caller's transaction (PostgreSQL only; a no-op elsewhere)."""
    if connection.dialect.name == "postgresql":
        await connection.execute(NOTIFY)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, on_ring: Callable[[], None], stopping: asyncio.Event) -> None:
    """Call ``on_ring`` for every notification until ``stopping`` is set, reconnecting with a
    back-off; runs as its own task beside the relay."""
    import asyncpg  # the PostgreSQL driver; only imported where PostgreSQL is used

    backoff = 0.5
    while not stopping.is_set():
        lost = asyncio.Event()
        try:
            connection = await asyncpg.connect(_asyncpg_dsn(url))
        except (OSError, asyncpg.PostgresError) as exc:
            log.debug("outbox_listen_connect_failed", error=repr(exc), retry_in_s=backoff)
            await _wait_either(stopping, None, backoff)
            backoff = min(backoff * 2, 10.0)
            continue
        try:
            connection.add_termination_listener(lambda _c, lost=lost: lost.set())
            await connection.add_listener(CHANNEL, lambda *_args: on_ring())
            backoff = 0.5
            on_ring()  # anything committed while no one listened
            await _wait_either(stopping, lost, None)
        except (OSError, asyncpg.PostgresError) as exc:
            log.debug("outbox_listen_failed", error=repr(exc))
        finally:
            if not connection.is_closed():
                connection.terminate()


async def _wait_either(a: asyncio.Event, b: asyncio.Event | None, timeout: float | None) -> None:
    waits = [asyncio.ensure_future(a.wait())]
    if b is not None:
        waits.append(asyncio.ensure_future(b.wait()))
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
