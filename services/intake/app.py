"""Composition root of the intake service."""

from fastapi import FastAPI

from services.intake.settings import IntakeSettings
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    platform = build_platform(settings)
    return create_http_app(platform, title="TRC Dispatch — Intake: every report from every channel")
