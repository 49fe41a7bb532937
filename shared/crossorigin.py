"""Calls from the supervisor console's pages (served by dispatch, beside the sign-in page) to
another service's API, with the same session: the browser sends the session and CSRF cookies
(same host, another port) and this service answers that one origin's cross-origin requests.

The console's origin is the sign-in page's (``TRC_AUTH_LOGIN_URL``); in its ':<port>/<path>'
form it is that port on the host this request came to — never any other site.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.pages import CSRF_HEADER, on_host, origin_of


def console_origin(scope: Scope, login_url: str) -> str:
    """The console's origin for a request that came to ``scope``'s host."""
    hostname = Headers(scope=scope).get("host", "").rsplit(":", 1)[0]
    return origin_of(on_host(login_url, scope.get("scheme", "http"), hostname))


class ConsoleOrigin:
    """CORS for the console's origin only; every other request passes untouched."""

    def __init__(self, app: ASGIApp, login_url: str) -> None:
        self.app = app
        self.login_url = login_url
        self.cors = CORSMiddleware(
            app,
            allow_origin_regex=".*",  # only ever reached by the console's origin, see __call__
            allow_methods=("GET", "POST"),
            allow_headers=("content-type", CSRF_HEADER),
            allow_credentials=True,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = Headers(scope=scope).get("origin") if scope["type"] == "http" else None
        if origin and origin == console_origin(scope, self.login_url):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
