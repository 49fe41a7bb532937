"""The call-center pages: staff log a phone report, keyboard-first (``/laporan``), and work the
triage queue — reports intake could not dispatch as they stand (``/triase``)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, status
from fastapi.responses import RedirectResponse

from shared.auth import Role
from shared.pages import staff_page

WEB = files("services.intake") / "web"
OPERATORS = (Role.CALL_CENTER, Role.SUPERVISOR)


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for path, html in (("/laporan", "laporan.html"), ("/triase", "triase.html")):
        staff_page(router, path, WEB / html, roles=OPERATORS)

    @router.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse("/laporan", status.HTTP_303_SEE_OTHER)

    return router
