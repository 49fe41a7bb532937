"""A webhook's key is looked up once, then trusted for KEY_CACHE_SECONDS: a revoked key stops
working within that window, and a key that was never valid is looked up every time."""

from __future__ import annotations

from typing import Any

import pytest

from services.intake.apikeys import KEY_CACHE_SECONDS, VerifiedKeys, create_key, revoke_key
from shared.db import SessionFactory

pytestmark = pytest.mark.integration


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _new_key(sessions: SessionFactory) -> tuple[str, str]:
    async with sessions() as session:
        record, key = await create_key(session, name="social-monitor", region_code="21.71")
        await session.commit()
    return record.id, key


async def _revoke(sessions: SessionFactory, key_id: str) -> None:
    async with sessions() as session:
        assert await revoke_key(session, key_id)
        await session.commit()


async def test_a_revoked_key_stops_working_within_the_window(
    intake_sessions: SessionFactory,
) -> None:
    clock = Clock()
    keys = VerifiedKeys(clock=clock)
    key_id, key = await _new_key(intake_sessions)
    first = await keys.verify(intake_sessions, key)
    assert first is not None and first.id == key_id and first.region_code == "21.71"
    await _revoke(intake_sessions, key_id)  # by the admin command, in another process
    clock.now += KEY_CACHE_SECONDS - 1
    assert await keys.verify(intake_sessions, key) is not None  # still trusted: no lookup
    clock.now += 1
    assert await keys.verify(intake_sessions, key) is None
    assert await keys.verify(intake_sessions, key) is None  # and refused from then on


async def test_unknown_and_revoked_keys_are_looked_up_every_time(
    intake_sessions: SessionFactory,
) -> None:
    lookups = 0

    def counted() -> Any:
        nonlocal lookups
        lookups += 1
        return intake_sessions()

    keys = VerifiedKeys(clock=Clock())
    key_id, key = await _new_key(intake_sessions)
    await _revoke(intake_sessions, key_id)
    for _ in range(2):
        assert await keys.verify(counted, key) is None  # type: ignore[arg-type]
        assert await keys.verify(counted, key + "x") is None  # type: ignore[arg-type]
    assert lookups == 4
    other_id, other = await _new_key(intake_sessions)
    for _ in range(3):
        record = await keys.verify(counted, other)  # type: ignore[arg-type]
        assert record is not None and record.id == other_id
    assert lookups == 5  # a valid key: looked up once
