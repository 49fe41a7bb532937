"""Composition root of the shelter service."""

from functools import partial
from typing import Any

import structlog
from fastapi import FastAPI

from services.shelter.api import build_router
from services.shelter.cases import privacy
from services.shelter.handlers import build_handlers
from services.shelter.models import TABLES as MODEL_TABLES
from services.shelter.settings import ShelterSettings
from services.shelter.vault import VaultError
from shared.clock import Clock, system_clock
from shared.http import create_http_app
from shared.platform import Platform, build_platform

log = structlog.get_logger()

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


async def erase_expired(platform: Platform, settings: ShelterSettings, clock: Clock) -> None:
    """Anonymise people whose last case closed longer ago than the retention period."""
    while True:
        async with platform.uow() as uow:
            erased = await privacy.erase_expired(uow.session, clock(), settings.retention_days)
            await uow.commit()
        if erased:
            log.info("people_anonymised", count=erased, reason="retention")
        if erased < 200:
            return


def create_app(settings: ShelterSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or ShelterSettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.shelter")
    for topic, handlers in build_handlers(clock).items():
        platform.consume(topic.split(".")[1], [topic], handlers)
    platform.every("retention", 3600, partial(erase_expired, platform, settings, clock))
    app = create_http_app(
        platform,
        title="TRC Dispatch — Shelter: cases from admission to outcome",
        routers=[build_router()],
    )
    app.state.rules = settings.plan_rules()
    try:
        app.state.vault = settings.vault()
    except VaultError:  # migrations need no key; person records refuse to work without one
        app.state.vault = None
    return app
