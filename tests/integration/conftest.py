"""Fixtures shared by the integration tests."""

from __future__ import annotations

from typing import Any

import pytest

from services.intake.models import TABLES as INTAKE_TABLES
from shared import db
from shared.messaging.tables import PLATFORM_TABLES


@pytest.fixture
async def intake_sessions(new_database: Any):  # type: ignore[no-untyped-def]
    """An intake database (platform and intake tables) on the parametrised backend."""
    engine = db.create_engine(new_database("intake"))
    await db.create_tables(engine, [*PLATFORM_TABLES, *INTAKE_TABLES])
    yield db.session_factory(engine)
    await engine.dispose()
