"""Composition root of the notify service."""

from typing import Any

from fastapi import FastAPI

from services.notify.settings import NotifySettings
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = []


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.notify")
    return create_http_app(
        platform, title="TRC Dispatch — Notify: Telegram assignments and field updates"
    )
