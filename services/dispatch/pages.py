"""The sign-in page every service sends staff to (dispatch owns the accounts), and the
supervisor console (``/konsol``: the live board, an incident, teams, shelters, figures)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse, RedirectResponse

from shared.auth import Role
from shared.pages import page, staff_page

WEB = files("services.dispatch") / "web"
READERS = (Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR)  # admins may open every page
CONSOLE = {
    "/konsol": ("konsol.html", (*READERS, Role.CALL_CENTER)),
    "/konsol/insiden/{incident_id}": ("konsol-insiden.html", (*READERS, Role.CALL_CENTER)),
    "/konsol/tim": ("konsol-tim.html", (*READERS, Role.CALL_CENTER)),
    "/konsol/shelter": ("konsol-shelter.html", READERS),
    "/konsol/angka": ("konsol-angka.html", READERS),
}


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/masuk")
    async def sign_in() -> HTMLResponse:
        return page(WEB / "masuk.html")

    for path, (html, roles) in CONSOLE.items():
        staff_page(router, path, WEB / html, roles)

    @router.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse("/masuk", status.HTTP_303_SEE_OTHER)

    return router
