"""The call-center page: staff log a phone report, keyboard-first (``/laporan``)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, status
from fastapi.responses import RedirectResponse

from shared.auth import Role
from shared.pages import staff_page

WEB = files("services.intake") / "web"


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    staff_page(router, "/laporan", WEB / "laporan.html", roles=(Role.CALL_CENTER, Role.SUPERVISOR))

    @router.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse("/laporan", status.HTTP_303_SEE_OTHER)

    return router
