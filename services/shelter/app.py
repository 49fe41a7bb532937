"""Composition root of the shelter service."""

from typing import Any

from fastapi import FastAPI

from services.shelter.settings import ShelterSettings
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = []


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ShelterSettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.shelter")
    return create_http_app(
        platform, title="TRC Dispatch — Shelter: cases from admission to outcome"
    )
