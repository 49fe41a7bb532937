"""Composition root of the dispatch service."""

from typing import Any

from fastapi import FastAPI

from services.dispatch.api import build_router
from services.dispatch.models import TABLES as MODEL_TABLES
from services.dispatch.pages import build_pages_router
from services.dispatch.settings import DispatchSettings
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or DispatchSettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.dispatch")
    return create_http_app(
        platform,
        title="TRC Dispatch — Dispatch: teams, roster, incidents and assignments",
        routers=[build_router(), build_pages_router()],
    )
