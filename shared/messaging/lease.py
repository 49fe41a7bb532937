"""Which relay publishes a database's outbox: a lease row, renewed well before it expires.

One publisher per database keeps the events in order when a service runs several replicas. A
holder that crashed on this host is recognised at once (its process is gone); one elsewhere
loses the lease when it expires.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from shared.db import SessionFactory
from shared.logging import get_logger
from shared.messaging.tables import RelayState

log = get_logger(__name__)
LEASE_TTL = timedelta(seconds=10)


def _now() -> datetime:
    return datetime.now(UTC)


def _owner_alive(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: trust its lease until it expires
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RelayLease:
    def __init__(self, name: str, sessions: SessionFactory) -> None:
        self.name = name
        self._sessions = sessions
        self._owner = f"{socket.gethostname()}:{os.getpid()}"
        self._lease_until: datetime | None = None

    async def hold(self) -> bool:
        """One relay per database publishes (keeps order); a lease row says which."""
        now = _now()
        if self._lease_until is not None and self._lease_until - now > LEASE_TTL / 2:
            return True  # renewed recently: no database round trip on the hot path
        self._lease_until = None
        async with self._sessions() as session:
            state = await session.get(RelayState, self.name)
            if state is None:
                session.add(RelayState(name=self.name))
                try:
                    await session.commit()
                except IntegrityError:
                    await session.rollback()
                state = await session.get(RelayState, self.name)
                assert state is not None
            owner = state.lease_owner
            expired = state.lease_expires_at is None or state.lease_expires_at < now
            if owner not in (None, self._owner) and not expired and _owner_alive(owner):
                await session.rollback()
                return False
            result = await session.exec(
                update(RelayState)
                .where(col(RelayState.name) == self.name)
                .where(
                    or_(
                        col(RelayState.lease_owner).is_(None),
                        col(RelayState.lease_owner) == self._owner,
                        col(RelayState.lease_owner) == owner,
                    )
                )
                .values(lease_owner=self._owner, lease_expires_at=now + LEASE_TTL)
            )
            await session.commit()
            if result.rowcount:
                self._lease_until = now + LEASE_TTL
            return bool(result.rowcount)

    async def release(self) -> None:
        self._lease_until = None
        try:
            async with self._sessions() as session:
                await session.exec(
                    update(RelayState)
                    .where(col(RelayState.name) == self.name)
                    .where(col(RelayState.lease_owner) == self._owner)
                    .values(lease_owner=None, lease_expires_at=None)
                )
                await session.commit()
        except Exception as exc:
            log.warning("relay_lease_release_failed", error=str(exc))
