"""The services' HTTP server at rest: uvicorn's main loop wakes once a second instead of ten
times, and a stop signal still ends it at once."""

from __future__ import annotations

import asyncio
import signal
import socket

import pytest
import uvicorn
from fastapi import FastAPI

from shared.service import QuietServer

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_server_ticks_once_a_second_and_stops_on_the_signal_at_once() -> None:
    config = uvicorn.Config(FastAPI(), host="127.0.0.1", port=_free_port(), log_config=None)
    server = QuietServer(config)
    ticks: list[int] = []
    on_tick = server.on_tick

    async def counted(counter: int) -> bool:
        ticks.append(counter)
        return await on_tick(counter)

    server.on_tick = counted  # type: ignore[method-assign]
    serving = asyncio.create_task(server._serve())
    while not server.started:
        await asyncio.sleep(0.01)
    await asyncio.sleep(2.5)
    assert 2 <= len(ticks) <= 4, f"{len(ticks)} ticks in 2.5 s (uvicorn's own: 25)"
    assert all(c % 10 == 0 for c in ticks)  # each is a whole second: the Date header is renewed

    loop = asyncio.get_running_loop()
    began = loop.time()
    server.handle_exit(signal.SIGTERM, None)
    await asyncio.wait_for(serving, 5)
    assert loop.time() - began < 0.5, "the stop waited for the next tick"
