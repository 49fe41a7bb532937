"""One staff identity for every service: a signed session token checked with a shared key.

Dispatch owns the accounts and issues the token at sign-in; every service verifies it with the
same key (``TRC_AUTH_SECRET``) and reads the roles and region scopes from it. No service reads
another's tables. Integrations use API keys instead (see intake).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.scope import in_any

COOKIE = "trc_session"
ALGORITHM = "HS256"
ISSUER = "trc-dispatch"


class Role(StrEnum):
    CALL_CENTER = "call_center"  # logs phone reports, works the triage queue
    SUPERVISOR = "supervisor"  # watches and steers a region
    PROVINCIAL_SUPERVISOR = "provincial_supervisor"  # reads every region of a province
    SHELTER_STAFF = "shelter_staff"  # peksos, psychologist, caregivers
    ADMIN = "admin"  # accounts, rosters, configuration


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRC_AUTH_", env_file=".env", extra="ignore")

    secret: SecretStr = Field(
        default=SecretStr(""), description="Shared signing key (32+ random bytes, base64)"
    )
    token_hours: float = Field(default=12, gt=0, description="A session lasts one shift or so")
    login_url: str = Field(
        default=":8002/masuk",
        description="The sign-in page (served by dispatch): a full URL, or ':<port>/<path>' for "
        "the same host as the page that sends people there",
    )

    @field_validator("secret")
    @classmethod
    def _strong_enough(cls, value: SecretStr) -> SecretStr:
        if value.get_secret_value() and len(value.get_secret_value()) < 32:
            raise ValueError("TRC_AUTH_SECRET must be at least 32 characters")
        return value


@dataclass(frozen=True)
class Staff:
    account_id: str
    username: str
    roles: frozenset[Role]
    regions: frozenset[str]  # Kemendagri codes; a province code covers its regencies/cities

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles)) or Role.ADMIN in self.roles

    def covers(self, region_code: str) -> bool:
        """Admins cover every region; a province code covers its regencies and cities."""
        if Role.ADMIN in self.roles:
            return True
        return in_any(region_code, self.regions)


class AuthError(Exception):
    """A session that cannot be trusted: missing key, bad signature, expired, garbled."""


def issue_token(staff: Staff, settings: AuthSettings, *, now: datetime | None = None) -> str:
    secret = settings.secret.get_secret_value()
    if not secret:
        raise AuthError("TRC_AUTH_SECRET is not set")
    now = now or datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "sub": staff.account_id,
        "name": staff.username,
        "roles": sorted(staff.roles),
        "regions": sorted(staff.regions),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=settings.token_hours)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, settings: AuthSettings) -> Staff:
    secret = settings.secret.get_secret_value()
    if not secret:
        raise AuthError("TRC_AUTH_SECRET is not set")
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp"]}
        )
        return Staff(
            account_id=str(claims["sub"]),
            username=str(claims["name"]),
            roles=frozenset(Role(r) for r in claims["roles"]),
            regions=frozenset(str(r) for r in claims["regions"]),
        )
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise AuthError(f"invalid session: {type(exc).__name__}") from None


def _token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE)


def staff_or_none(request: Request) -> Staff | None:
    """The signed-in staff member, or None (pages send such visitors to the sign-in page)."""
    token = _token_from(request)
    if not token:
        return None
    try:
        return verify_token(token, request.app.state.auth)
    except AuthError:
        return None


def current_staff(request: Request) -> Staff:
    """FastAPI dependency: the signed-in staff member (401 otherwise)."""
    settings: AuthSettings = request.app.state.auth
    token = _token_from(request)
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "sign in first")
    try:
        return verify_token(token, settings)
    except AuthError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc)) from None


def ensure_covers(staff: Staff, region_code: str) -> None:
    """403 unless ``staff`` works in ``region_code`` (admins and a province's people do)."""
    if not staff.covers(region_code):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"region {region_code} is not yours")


def require(*roles: Role):  # type: ignore[no-untyped-def]
    """FastAPI dependency factory: the staff member must hold one of ``roles`` (or be admin)."""

    def check(staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
        if not staff.has(*roles):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "your role may not do this")
        return staff

    return check
