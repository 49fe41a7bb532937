"""The bot's life inside the service: python-telegram-bot's Application built with its handlers,
started in the service's own event loop (long polling or a webhook, as the settings say —
never ``run_polling()``), retried until Telegram answers, and shut down with the service."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from services.notify.bot.commands import Commands
from services.notify.bot.patrol import PatrolReports
from services.notify.bot.presses import Presses
from services.notify.settings import NotifySettings
from shared.clock import Clock
from shared.logging import get_logger
from shared.platform import Platform

log = get_logger(__name__)


@dataclass
class Telegram:
    settings: NotifySettings
    application: Application
    _runner: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="notify-telegram")

    async def _run(self) -> None:
        backoff = 0.5
        while True:  # Telegram (or the stand-in) may not be up yet: keep trying
            try:
                await self.application.initialize()
                await self.application.start()
                if self.settings.telegram_mode == "webhook":
                    await self.application.bot.set_webhook(
                        self.settings.webhook_url,
                        secret_token=self.settings.webhook_secret.get_secret_value() or None,
                    )
                else:
                    assert self.application.updater is not None
                    await self.application.bot.delete_webhook()
                    await self.application.updater.start_polling(timeout=10, poll_interval=0.0)
                log.info("telegram_started", mode=self.settings.telegram_mode)
                return
            except Exception as exc:
                log.warning("telegram_start_failed", error=repr(exc), retry_in_s=backoff)
                with contextlib.suppress(Exception):
                    await self.application.shutdown()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 15)

    async def stop(self) -> None:
        if self._runner is not None and not self._runner.done():
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        with contextlib.suppress(Exception):
            await app.shutdown()


def build_telegram(platform: Platform, settings: NotifySettings, clock: Clock) -> Telegram:
    builder = ApplicationBuilder().token(settings.token).base_url(settings.api_base_url)
    if settings.telegram_mode == "webhook":
        builder = builder.updater(None)
    application = builder.build()
    presses = Presses(platform, settings, clock)
    commands = Commands(platform, settings, clock)
    patrol = PatrolReports(platform, settings, clock)
    application.add_handler(CallbackQueryHandler(presses.on_press))
    application.add_handler(CommandHandler(["bantuan", "help"], commands.on_help))
    application.add_handler(CommandHandler("daftar", commands.on_register))
    application.add_handler(CommandHandler("start", commands.on_start))
    application.add_handler(CommandHandler("tugas", commands.on_tasks))
    application.add_handler(CommandHandler("lapor", patrol.on_report))
    application.add_handler(CommandHandler("shift", commands.on_shift))
    application.add_handler(MessageHandler(filters.LOCATION, patrol.on_location))
    application.add_handler(
        MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, presses.on_note)
    )
    return Telegram(settings, application)
