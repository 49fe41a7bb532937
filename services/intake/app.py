"""Composition root of the intake service."""

from typing import Any

from fastapi import FastAPI

from services.intake.api import WebhookLimiter, build_router
from services.intake.apikeys import VerifiedKeys
from services.intake.domain.gazetteer import use_places_dir
from services.intake.handlers import build_handlers
from services.intake.models import TABLES as MODEL_TABLES
from services.intake.pages import build_pages_router
from services.intake.reference_api import build_reference_router
from services.intake.reminders import TriageReminders
from services.intake.settings import IntakeSettings
from services.intake.staff_api import build_staff_router
from services.intake.triage_api import build_triage_router
from shared.crossorigin import ConsoleOrigin
from shared.http import create_http_app
from shared.platform import build_platform

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    policy = settings.duplicate_policy()
    use_places_dir(settings.places_folder())  # the department's landmarks, read from here on
    platform = build_platform(settings, tables=TABLES, service_package="services.intake")
    for topic, handlers in build_handlers(policy).items():
        platform.consume(topic.split(".")[1], [topic], handlers)
    # A P1 still waiting for triage, unclaimed, is told again; sleeps until the next is due.
    reminders = TriageReminders(platform.uow, settings.triage_remind_every())
    platform.until("triage_reminders", reminders, on_commit=False)  # due by time alone
    app = create_http_app(
        platform,
        title="TRC Dispatch — Intake: every report from every channel",
        routers=[
            build_router(),
            build_staff_router(),
            build_triage_router(),
            build_reference_router(),
            build_pages_router(),
        ],
    )
    # The supervisor console (on dispatch) splits linked reports here, in the browser's session.
    app.add_middleware(ConsoleOrigin, login_url=settings.auth.login_url)
    app.state.webhook_limiter = WebhookLimiter(settings.webhook_rate_limit)
    app.state.verified_keys = VerifiedKeys()
    app.state.duplicate_policy = policy
    return app
