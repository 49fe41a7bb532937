"""Composition root of the shelter service."""

from typing import Any

from fastapi import FastAPI

from services.shelter.api import build_router
from services.shelter.handlers import build_handlers
from services.shelter.models import TABLES as MODEL_TABLES
from services.shelter.settings import ShelterSettings
from services.shelter.vault import VaultError
from shared.clock import Clock, system_clock
from shared.http import create_http_app
from shared.platform import build_platform

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


def create_app(settings: ShelterSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or ShelterSettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.shelter")
    for topic, handlers in build_handlers(clock).items():
        platform.consume(topic.split(".")[1], [topic], handlers)
    app = create_http_app(
        platform,
        title="TRC Dispatch — Shelter: cases from admission to outcome",
        routers=[build_router()],
    )
    try:
        app.state.vault = settings.vault()
    except VaultError:  # migrations need no key; person records refuse to work without one
        app.state.vault = None
    return app
