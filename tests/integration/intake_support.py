"""Intake's HTTP API in-process for a test: its app on a database, no broker (the relay retries)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.auth import AuthSettings
from shared.settings import KafkaSettings


@asynccontextmanager
async def intake_http(database_url: str, auth: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
    settings = IntakeSettings(
        database_url=database_url,
        auth=auth.model_copy(update={"login_url": ":8002/masuk"}),
        kafka=KafkaSettings(bootstrap="127.0.0.1:1"),  # HTTP only: the relay just retries
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            yield client
