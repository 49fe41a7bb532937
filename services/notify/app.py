"""Composition root of the notify service."""

from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import FastAPI

from services.notify.api import build_api_router
from services.notify.bot import build_telegram
from services.notify.handlers import build_handlers
from services.notify.models import TABLES as MODEL_TABLES
from services.notify.sender import Sender, prune, wake_sender
from services.notify.settings import NotifySettings
from shared.clock import Clock, system_clock
from shared.http import create_http_app
from shared.messaging.consumer import ConsumerHooks
from shared.platform import build_platform

# The service's own tables; their schema changes are Alembic revisions in ./migrations.
TABLES: list[Any] = MODEL_TABLES


def create_app(settings: NotifySettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or NotifySettings()
    platform = build_platform(settings, tables=TABLES, service_package="services.notify")
    # A batch's deliveries are committed with its inbox entries, mostly without an event: the
    # commit wakes the sender itself.
    woken = ConsumerHooks(after_commit=lambda _records: wake_sender(platform))
    for topic, handlers in build_handlers(settings, clock).items():
        platform.consume(topic.split(".")[1], [topic], handlers, hooks=woken)
    telegram = build_telegram(platform, settings, clock)
    sender = Sender(
        platform,
        telegram.application.bot,
        settings,
        clock,
        ready=lambda: telegram.application.running,
    )
    platform.alongside(telegram.start, telegram.stop)
    platform.until("send", sender.send)  # sleeps at rest; a committed delivery wakes it
    keep = timedelta(days=settings.delivery_retention_days)
    platform.every("prune", 3600, partial(prune, platform, keep, clock))
    app = create_http_app(
        platform,
        title="TRC Dispatch — Notify: Telegram assignments and field updates",
        routers=[build_api_router()],
    )
    app.state.telegram = telegram
    app.state.sender = sender
    app.state.clock = clock
    return app
