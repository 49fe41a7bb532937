"""Webhook mode: Telegram (the stand-in) pushes updates to notify, which accepts only those that
carry its secret token (compared in constant time)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import uvicorn

from services.notify.app import create_app
from services.notify.models import KnownMember, KnownTeam
from services.notify.settings import NotifySettings
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.telegram_support import running_standin
from trc.embedded.broker import free_port

pytestmark = pytest.mark.integration
SECRET = "rahasia-webhook-uji-0123456789"


async def test_updates_arrive_by_webhook_and_a_wrong_secret_is_refused(new_database: Any) -> None:
    port = free_port()
    async with running_standin() as tg:
        settings = NotifySettings(
            database_url=new_database("notify"),
            kafka=KafkaSettings(bootstrap="127.0.0.1:1"),  # no broker needed for this
            telegram_standin_url=tg.url,
            telegram_mode="webhook",
            webhook_url=f"http://127.0.0.1:{port}/telegram/webhook",
            webhook_secret=SECRET,
        )
        app = create_app(settings)
        platform: Platform = app.state.platform
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        task = asyncio.create_task(server.serve())
        try:
            for _ in range(200):
                if tg.state.webhook_url:
                    break
                await asyncio.sleep(0.05)
            assert (
                tg.state.webhook_url == settings.webhook_url and tg.state.webhook_secret == SECRET
            )
            async with platform.uow() as uow:
                uow.session.add(KnownTeam(team_id="t", region_code="21.71", code="A", name="Tim A"))
                await uow.commit()

            async with platform.uow() as uow:
                uow.session.add(
                    KnownMember(
                        team_id="t", telegram_user_id=42, member_id="m", name="Andi", role="leader"
                    )
                )
                await uow.commit()
            await tg.control.post(
                "/_standin/chats", json={"id": -77, "type": "group", "title": "Tim A"}
            )
            await tg.control.post(
                "/_standin/say", json={"chat_id": -77, "user": {"id": 42}, "text": "/daftar A"}
            )
            for _ in range(200):
                texts = [m["text"] for m in tg.state.chats[-77].messages if m["from"]["is_bot"]]
                if texts:
                    break
                await asyncio.sleep(0.05)
            assert texts and "terhubung dengan Tim A" in texts[0]
            async with httpx.AsyncClient() as client:
                forged = await client.post(
                    settings.webhook_url,
                    json={"update_id": 999, "message": {}},
                    headers={"X-Telegram-Bot-Api-Secret-Token": "salah"},
                )
                missing = await client.post(settings.webhook_url, json={"update_id": 998})
            assert (forged.status_code, missing.status_code) == (403, 403)
        finally:
            server.should_exit = True
            await task
