"""Every service database is built by migrations, and the migrations match the models."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from services.dispatch.app import create_app as dispatch_app
from services.dispatch.settings import DispatchSettings
from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.notify.app import create_app as notify_app
from services.notify.settings import NotifySettings
from services.shelter.app import create_app as shelter_app
from services.shelter.settings import ShelterSettings
from shared import db
from shared.platform import Platform

pytestmark = pytest.mark.integration
APPS: dict[str, Any] = {
    "intake": (intake_app, IntakeSettings),
    "dispatch": (dispatch_app, DispatchSettings),
    "shelter": (shelter_app, ShelterSettings),
    "notify": (notify_app, NotifySettings),
}


async def differences(url: str, metadata: MetaData) -> list[Any]:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                )
            )
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", sorted(APPS))
async def test_migrations_build_the_schema_the_models_describe(
    service: str, new_database: Any
) -> None:
    url = new_database(service)
    create_app, settings_class = APPS[service]
    platform: Platform = create_app(settings_class(database_url=url)).state.platform
    await platform.migrate()
    await platform.migrate()  # a second run finds nothing to do
    assert await differences(url, platform.metadata()) == []
    await platform.engine.dispose()
