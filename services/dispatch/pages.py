"""The sign-in page every service sends staff to (dispatch owns the accounts)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse, RedirectResponse

from shared.pages import page

WEB = files("services.dispatch") / "web"


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/masuk")
    async def sign_in() -> HTMLResponse:
        return page(WEB / "masuk.html")

    @router.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse("/masuk", status.HTTP_303_SEE_OTHER)

    return router
