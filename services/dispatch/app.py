"""Composition root of the dispatch service."""

from fastapi import FastAPI

from services.dispatch.settings import DispatchSettings
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or DispatchSettings()
    platform = build_platform(settings)
    return create_http_app(
        platform, title="TRC Dispatch — Dispatch: teams, roster, incidents and assignments"
    )
