"""Sign-in for every service's staff: dispatch checks the password and issues the session token."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from services.dispatch.accounts.staff import authenticate, staff_of
from shared.auth import COOKIE, issue_token
from shared.http import platform_of


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class Session(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer …' to any service")
    username: str
    roles: list[str]
    regions: list[str]


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

    @router.post("/login", response_model=Session, summary="Sign in (one session, all services)")
    async def login(credentials: Credentials, request: Request, response: Response) -> Session:
        async with platform_of(request).sessions() as session:
            account = await authenticate(session, credentials.username, credentials.password)
            await session.commit()
        if account is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong username or password")
        staff = staff_of(account)
        token = issue_token(staff, request.app.state.auth)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=int(request.app.state.auth.token_hours * 3600),
        )
        return Session(
            token=token,
            username=staff.username,
            roles=sorted(staff.roles),
            regions=sorted(staff.regions),
        )

    return router
