"""The HTTP face every service shares: health probes, metrics, and the platform started in the
lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from shared.asyncapi import build_asyncapi_router
from shared.logging import get_logger
from shared.metrics import CONTENT_TYPE
from shared.pages import protect
from shared.platform import Platform
from shared.tracing import fastapi_telemetry

log = get_logger(__name__)


def platform_of(request: Request) -> Platform:
    """The platform of the app serving ``request`` (set by :func:`create_http_app`)."""
    platform: Platform = request.app.state.platform
    return platform


def create_http_app(
    platform: Platform, *, title: str, routers: Sequence[APIRouter] = ()
) -> FastAPI:
    settings = platform.settings

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            await platform.migrate()
        await platform.start()
        log.info("service_started", url=f"http://{settings.http_host}:{settings.http_port}")
        try:
            yield
        finally:
            await platform.stop()
            log.info("service_stopped")

    app = FastAPI(title=title, lifespan=lifespan, telemetry=fastapi_telemetry())  # type: ignore[arg-type]
    app.state.platform = platform
    app.state.auth = settings.auth
    # Called when the server begins to stop, before it waits for open requests: live streams
    # end then, instead of holding the shutdown (see shared/service.py).
    app.state.before_shutdown = []
    protect(app, settings.auth, platform.service_package)

    @app.get("/livez", tags=["health"], summary="The process is alive")
    async def livez() -> dict[str, str]:
        return {"status": "ok", "service": platform.service}

    @app.get("/readyz", tags=["health"], summary="Database, broker and outbox relay are working")
    async def readyz() -> JSONResponse:
        checks = await platform.readiness()
        return JSONResponse(checks, status_code=200 if checks["ready"] else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus text exposition of this service's metrics."""
        return Response(await platform.metrics.scrape(), media_type=CONTENT_TYPE)

    for router in [*routers, build_asyncapi_router()]:
        app.include_router(router)
    return app
