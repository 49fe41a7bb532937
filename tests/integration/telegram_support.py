"""The Telegram stand-in served on a real port for a test (python-telegram-bot talks HTTP)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from trc.embedded.broker import free_port
from trc.embedded.telegram.app import in_process_server
from trc.embedded.telegram.state import StandIn

TOKEN = "123456:TEST-TOKEN"


@dataclass
class Telegram:
    url: str
    state: StandIn
    control: httpx.AsyncClient

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"


@asynccontextmanager
async def running_standin() -> AsyncIterator[Telegram]:
    state = StandIn()
    port = free_port()
    server = in_process_server(state, port)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as control:
            yield Telegram(url, state, control)
    finally:
        server.should_exit = True
        await task
