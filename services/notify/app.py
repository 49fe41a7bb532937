"""Composition root of the notify service."""

from fastapi import FastAPI

from services.notify.settings import NotifySettings
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    platform = build_platform(settings)
    return create_http_app(
        platform, title="TRC Dispatch — Notify: Telegram assignments and field updates"
    )
