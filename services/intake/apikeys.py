"""Integration API keys: shown once, stored as a hash, revocable; a key verified a moment ago is
not looked up again for every post (a revoked key stops working within ``KEY_CACHE_SECONDS``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.models import ApiKey
from shared.db import SessionFactory

PREFIX_LENGTH = 12
KEY_CACHE_SECONDS = 10.0


def _hash(key: str) -> str:
    # Keys are 256-bit random tokens: a plain SHA-256 suffices (no dictionary to guess from).
    return hashlib.sha256(key.encode()).hexdigest()


async def create_key(session: AsyncSession, *, name: str, region_code: str) -> tuple[ApiKey, str]:
    """Returns the stored record and the key itself, which is never stored or shown again."""
    key = "trc_" + secrets.token_urlsafe(32)
    record = ApiKey(
        name=name,
        region_code=region_code,
        prefix=key[:PREFIX_LENGTH],
        key_hash=_hash(key),
        created_at=datetime.now(UTC),
    )
    session.add(record)
    return record, key


async def verify_key(session: AsyncSession, key: str) -> ApiKey | None:
    """The active key record for ``key``, or None (unknown, wrong or revoked)."""
    if len(key) < PREFIX_LENGTH:
        return None
    candidates = await session.exec(select(ApiKey).where(ApiKey.prefix == key[:PREFIX_LENGTH]))
    digest = _hash(key)
    for record in candidates.all():
        if hmac.compare_digest(record.key_hash, digest) and record.revoked_at is None:
            return record
    return None


async def revoke_key(session: AsyncSession, key_id: str) -> bool:
    record = await session.get(ApiKey, key_id)
    if record is None or record.revoked_at is not None:
        return False
    record.revoked_at = datetime.now(UTC)
    return True


class VerifiedKeys:
    """The keys this process verified in the last ``seconds``: a monitor posting all day does
    not open a transaction of its own for every post to find its key again (about a fifth of a
    webhook's time on SQLite). Revocation is a command run in another process, so a revoked key
    keeps working until its entry is ``seconds`` old; unknown and revoked keys are never kept."""

    def __init__(
        self,
        seconds: float = KEY_CACHE_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        size: int = 1024,
    ) -> None:
        self._seconds, self._clock, self._size = seconds, clock, size
        self._known: dict[str, tuple[float, ApiKey]] = {}  # by the key's digest, never the key

    async def verify(self, sessions: SessionFactory, key: str) -> ApiKey | None:
        digest, now = _hash(key), self._clock()
        known = self._known.get(digest)
        if known is not None and now - known[0] < self._seconds:
            return known[1]
        async with sessions() as session:
            record = await verify_key(session, key)
        if record is None:
            self._known.pop(digest, None)
            return None
        if len(self._known) >= self._size:
            self._known.clear()  # more keys than any department holds: start again
        self._known[digest] = (now, record)
        return record
