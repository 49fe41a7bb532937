"""Entry point shared by the service processes: ``python -m services.<name> [serve|migrate]``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import sys
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from shared.logging import configure_logging
from shared.messaging.uow import UnitOfWork
from shared.migrate import make_revision, service_versions
from shared.platform import Platform
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


class QuietServer(uvicorn.Server):
    """uvicorn without its ten wake-ups a second at rest. Its main loop sleeps 0.1 s at a time
    to notice a stop; here the stop signal wakes it, and otherwise it ticks once a second (the
    ``Date`` header is refreshed at that pace anyway). A stop asked by setting
    ``should_exit`` without a signal is noticed within that second."""

    TICK_S = 1.0

    async def main_loop(self) -> None:
        self._exit_rung = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 10) % 864000  # uvicorn's ticks are tenths: every one is a second
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._exit_rung.wait(), self.TICK_S)
            should_exit = await self.on_tick(counter)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if (rung := getattr(self, "_exit_rung", None)) is not None:
            self._loop.call_soon_threadsafe(rung.set)


class Server(QuietServer):
    """uvicorn, telling the app it is stopping before it waits for the open requests to finish:
    live streams (Server-Sent Events) end at once instead of holding the shutdown."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        state = getattr(self.config.app, "state", None)
        for hook in getattr(state, "before_shutdown", []):
            hook()
        await super().shutdown(sockets)


def run(create_app: Callable[[S], FastAPI], settings_class: type[S]) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m services.{settings_class().service_name}")
    parser.add_argument(
        "command", nargs="?", default="serve", choices=["serve", "migrate", "makemigration"]
    )
    parser.add_argument("-m", "--message", help="makemigration: what the revision changes")
    parser.add_argument(
        "--standby",
        action="store_true",
        help="serve: import and build everything, then wait for 'go' on stdin (trc up's spare)",
    )
    args = parser.parse_args()
    settings = settings_class()
    configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
    app = create_app(settings)
    platform: Platform = app.state.platform
    if args.command == "migrate":
        asyncio.run(_migrate(platform))
        print(f"{settings.service_name}: database up to date")
        return
    if args.command == "makemigration":
        if not args.message or not platform.service_package:
            sys.exit("usage: makemigration -m 'what changed' (for a service package)")
        script = make_revision(
            settings.database_url.get_secret_value(),
            versions=service_versions(platform.service_package),
            label=settings.service_name,
            message=args.message,
            target_metadata=platform.metadata(),
        )
        print(f"{settings.service_name}: wrote {getattr(script, 'path', script)}")
        return
    if args.standby:
        if settings.auto_migrate and asyncio.run(_migrated_quietly(platform)):
            settings.auto_migrate = False  # checked now, so a woken spare serves sooner
        if not _told_to_serve():
            return  # a spare no longer needed
    print(
        f"{settings.service_name}: http://{settings.http_host}:{settings.http_port} "
        f"(health: /livez /readyz, API docs: /docs)",
        flush=True,
    )
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,  # then open requests are cancelled: a stop never hangs
    )
    server = Server(config)
    asyncio.run(server.serve())
    if not server.started:
        sys.exit(1)


def _told_to_serve() -> bool:
    """A warm spare of ``trc up`` (trc/embedded/stack.py) has imported and built everything,
    and waits here, idle, until the supervisor wakes it to replace a process that died: "go" on
    its stdin. Its stdin closed without a word: it is not needed any more."""
    return sys.stdin.buffer.readline().strip() == b"go"


def run_admin(app: FastAPI, action: Callable[[UnitOfWork], Awaitable[int]]) -> int:
    """A service's admin command: database up to date, one unit of work for ``action`` (its
    session, and events that are published if it commits), engine closed."""
    configure_logging("WARNING", json=False)
    platform: Platform = app.state.platform

    async def go() -> int:
        try:
            await platform.migrate()
            async with platform.uow() as uow:
                return await action(uow)
        finally:
            await platform.engine.dispose()

    return asyncio.run(go())


async def _migrated_quietly(platform: Platform) -> bool:
    """The spare's migration check (the database is up to date: the service it stands in for
    migrated it); False if the database cannot be reached now, and then it is done on waking."""
    try:
        await _migrate(platform)
    except Exception:
        return False
    return True


async def _migrate(platform: Platform) -> None:
    try:
        await platform.migrate()
    finally:
        await platform.engine.dispose()
