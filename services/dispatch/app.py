"""Composition root of the dispatch service."""

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.dispatch.accounts.api import build_router
from services.dispatch.accounts.staff import first_admin
from services.dispatch.console.api import attach_console, build_console_router
from services.dispatch.console.pages import build_pages_router, serve_web
from services.dispatch.handlers import build_handlers
from services.dispatch.incidents.api import build_incidents_router
from services.dispatch.metrics import watch_open_incidents
from services.dispatch.models import TABLES as MODEL_TABLES
from services.dispatch.roster.api import build_teams_router
from services.dispatch.settings import DispatchSettings
from services.dispatch.timers import arm_timer
from shared.clock import Clock, system_clock
from shared.http import create_http_app
from shared.logging import get_logger
from shared.platform import Platform, build_platform

log = get_logger(__name__)

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


def create_app(settings: DispatchSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or DispatchSettings()
    rules = settings.rules()
    platform = build_platform(settings, tables=TABLES, service_package="services.dispatch")
    for topic, handlers in build_handlers(rules, clock).items():
        platform.consume(topic.split(".")[1], [topic], handlers)
    timer = arm_timer(platform, settings, rules, clock)
    if settings.first_admin_file is not None:
        platform.alongside(partial(_first_admin, platform, settings.first_admin_file), _nothing)
    watch_open_incidents(platform)
    app = create_http_app(
        platform,
        title="TRC Dispatch — Dispatch: teams, roster, incidents and assignments",
        routers=[
            build_router(),
            build_pages_router(),
            build_teams_router(),
            build_incidents_router(),
            build_console_router(),
        ],
    )
    app.state.rules = rules
    app.state.clock = clock
    app.state.timer = timer  # its turns and sweeps, for tests
    app.state.intake_url = settings.intake_url
    app.state.shelter_url = settings.shelter_url
    serve_web(app)
    attach_console(app, platform, settings.arrival_target_minutes, clock)
    return app


async def _first_admin(platform: Platform, password_file: Path) -> None:
    """`trc up`'s fresh install: the first account made as dispatch starts (its database just
    migrated), not by a command that would make dispatch wait for it."""
    async with platform.sessions() as session:
        if await first_admin(session, password_file):
            log.info("first_admin_created", password_file=str(password_file))


async def _nothing() -> None:
    return None
