"""Composition root of the intake service."""

from typing import Any

from fastapi import FastAPI

from services.intake.api import WebhookLimiter, build_router
from services.intake.handlers import HANDLERS
from services.intake.models import TABLES as MODEL_TABLES
from services.intake.settings import IntakeSettings
from services.intake.staff_api import build_staff_router
from services.intake.triage_api import build_triage_router
from shared.http import create_http_app
from shared.platform import build_platform
from shared.settings import ServiceSettings

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.intake")
    for topic, handlers in HANDLERS.items():
        platform.consume(topic.split(".")[1], [topic], handlers)
    app = create_http_app(
        platform,
        title="TRC Dispatch — Intake: every report from every channel",
        routers=[build_router(), build_staff_router(), build_triage_router()],
    )
    rate = getattr(
        settings, "webhook_rate_limit", IntakeSettings.model_fields["webhook_rate_limit"].default
    )
    app.state.webhook_limiter = WebhookLimiter(rate)
    return app
