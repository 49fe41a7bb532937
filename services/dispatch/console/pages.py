"""The sign-in page every service sends staff to (dispatch owns the accounts), and the
supervisor console (``/konsol``: the live board, an incident, teams, shelters, figures)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from fastapi import APIRouter, FastAPI, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from shared.auth import Role
from shared.pages import on_host, origin_of, page, staff_page

WEB = files("services.dispatch.console") / "web"
READERS = (Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR)  # admins may open every page
CONSOLE = {
    "/konsol": ("konsol.html", (*READERS, Role.CALL_CENTER)),
    "/konsol/insiden/{incident_id}": ("konsol-insiden.html", (*READERS, Role.CALL_CENTER)),
    "/konsol/tim": ("konsol-tim.html", (*READERS, Role.CALL_CENTER)),
    "/konsol/shelter": ("konsol-shelter.html", READERS),
    "/konsol/angka": ("konsol-angka.html", READERS),
}


def intake_address(request: Request) -> str:
    """Intake's address for the browser that sent ``request`` (it splits linked reports)."""
    return on_host(request.app.state.intake_url, request.url.scheme, request.url.hostname)


def shelter_address(request: Request) -> str:
    """Shelter's address for the browser that sent ``request`` (the figures page links to its
    month's XLSX report there), without a trailing slash."""
    address = on_host(request.app.state.shelter_url, request.url.scheme, request.url.hostname)
    return address.rstrip("/")


# Pages whose scripts call another service: its origin joins their content policy.
CALLS_OUT: dict[str, Callable[[Request], list[str]]] = {
    "/konsol/insiden/{incident_id}": lambda request: [origin_of(intake_address(request))],
}


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/masuk")
    async def sign_in() -> HTMLResponse:
        return page(WEB / "masuk.html")

    for path, (html, roles) in CONSOLE.items():
        staff_page(router, path, WEB / html, roles, connect=CALLS_OUT.get(path))

    @router.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse("/masuk", status.HTTP_303_SEE_OTHER)

    return router


def serve_web(app: FastAPI) -> None:
    """The pages' scripts and styles at ``/web`` (their folder lives beside this module, not at
    the package's root where :func:`shared.pages.protect` looks)."""
    app.mount("/web", StaticFiles(directory=str(WEB)), name="web")
