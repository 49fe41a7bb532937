"""A known region with no team: an administrator is told once per region per process (a
WARNING) and the console's board names it, instead of its reports waiting unseen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from services.dispatch.models import Team
from services.dispatch.roster import teamless
from shared import db

pytestmark = pytest.mark.integration


@pytest.fixture
async def sessions(new_database: Any) -> AsyncIterator[Any]:
    engine = db.create_engine(new_database("dispatch"))
    await db.create_tables(engine, [Team.__table__])  # type: ignore[attr-defined]
    factory = db.session_factory(engine)
    async with factory() as session:
        session.add(Team(region_code="21.71", code="TRC-A", name="Tim A"))
        session.add(Team(region_code="73.71", code="TRC-X", name="Tim lama", active=False))
        await session.commit()
    yield factory
    await engine.dispose()


async def test_regions_with_no_active_team_are_named(sessions) -> None:
    async with sessions() as session:
        found = await teamless.regions_without_team(session, ["21.71", "73.71", "32.12", "21.71"])
    assert found == ["32.12", "73.71"]


async def test_a_region_without_team_is_logged_once_per_process(sessions, monkeypatch) -> None:
    monkeypatch.setattr(teamless, "_warned", set())
    with capture_logs() as logs:
        async with sessions() as session:
            for region in ("32.12", "32.12", "21.71", "32.12"):
                await teamless.warn_if_teamless(session, region)
    warned = [e for e in logs if e["event"] == "region_without_team"]
    assert [(e["log_level"], e["region"]) for e in warned] == [("warning", "32.12")]
