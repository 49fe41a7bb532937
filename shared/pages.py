"""Staff web pages: plain files behind the shared sign-in, a strict content policy, and
cross-site request forgery protection for everything a signed-in browser can send.

Pages are static HTML + JavaScript (no build step, no internet assets) calling the service's own
JSON API. The session cookie is ``SameSite=Strict`` and every unsafe request that carries it must
also carry the ``X-CSRF-Token`` header matching the ``trc_csrf`` cookie (double submit, by
starlette-csrf); API clients that send a bearer token and no cookie are not affected.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette_csrf import CSRFMiddleware

from shared.auth import COOKIE, AuthSettings, Role, Staff, current_staff, staff_or_none

CSRF_COOKIE = "trc_csrf"
CSRF_HEADER = "x-csrf-token"
ASSETS = files("shared") / "web"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP.format(connect="'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class _Csrf(CSRFMiddleware):
    def _get_error_response(self, request: Request) -> Response:
        return JSONResponse(
            {"detail": "token CSRF tidak cocok, muat ulang halaman / CSRF token mismatch, reload"},
            status_code=status.HTTP_403_FORBIDDEN,
        )


def protect(app: FastAPI, auth: AuthSettings, package: str | None = None) -> None:
    """Serve the shared assets (and ``package``'s own ``web`` folder at ``/web``), answer who is
    signed in, and require the CSRF header."""
    secret = auth.secret.get_secret_value()
    # Every service derives the same key, so the token a page got from one is good at another.
    key = (
        hmac.new(secret.encode(), b"trc-csrf", hashlib.sha256).hexdigest()
        if secret
        else secrets.token_hex(32)
    )
    app.add_middleware(
        _Csrf,
        secret=key,
        sensitive_cookies={COOKIE},
        cookie_name=CSRF_COOKIE,
        cookie_samesite="strict",
        header_name=CSRF_HEADER,
    )
    app.mount("/assets", StaticFiles(directory=str(ASSETS)), name="assets")
    if package and (web := files(package) / "web").is_dir():
        app.mount("/web", StaticFiles(directory=str(web)), name="web")
    app.include_router(_session_router())


class Me(BaseModel):
    account_id: str
    username: str
    roles: list[str]
    regions: list[str]


def _session_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

    @router.get("/me", response_model=Me, summary="Who is signed in")
    async def me(staff: Annotated[Staff, Depends(current_staff)]) -> Me:
        return Me(
            account_id=staff.account_id,
            username=staff.username,
            roles=sorted(staff.roles),
            regions=sorted(staff.regions),
        )

    @router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
    async def logout(response: Response) -> None:
        response.delete_cookie(COOKIE)

    return router


def page(html: Traversable, connect: Iterable[str] = ()) -> HTMLResponse:
    """A static page; ``connect``: origins of other services its scripts may call."""
    policy = CSP.format(connect=" ".join(["'self'", *connect]))
    headers = {**HEADERS, "Content-Security-Policy": policy}
    return HTMLResponse(html.read_text(encoding="utf-8"), headers=headers)


def on_host(target: str, scheme: str, hostname: str | None) -> str:
    """A configured address: a full URL, or ':<port>/<path>' on the host the browser used."""
    return f"{scheme}://{hostname}{target}" if target.startswith(":") else target


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def login_url(request: Request) -> str:
    """The sign-in page, coming back to this page afterwards."""
    target = on_host(request.app.state.auth.login_url, request.url.scheme, request.url.hostname)
    return f"{target}?next={quote(str(request.url), safe='')}"


def staff_page(
    router: APIRouter,
    path: str,
    html: Traversable,
    roles: Iterable[Role],
    connect: Callable[[Request], list[str]] | None = None,
) -> None:
    """A page for signed-in staff holding one of ``roles``; others are sent to sign in.
    ``connect``: the origins of other services the page calls, for this request's host."""
    allowed = tuple(roles)

    @router.get(path, include_in_schema=False, response_model=None)
    async def show(request: Request) -> Response:
        staff = staff_or_none(request)
        if staff is None:
            return RedirectResponse(login_url(request), status.HTTP_303_SEE_OTHER)
        if not staff.has(*allowed):
            return page_forbidden()
        return page(html, connect(request) if connect else ())


def page_forbidden() -> HTMLResponse:
    response = page(ASSETS / "forbidden.html")
    response.status_code = status.HTTP_403_FORBIDDEN
    return response
