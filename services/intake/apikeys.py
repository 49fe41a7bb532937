"""Integration API keys: shown once, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.models import ApiKey

PREFIX_LENGTH = 12


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
