"""Staff accounts: argon2id password hashes, sign-in, and the session token every service reads."""

from __future__ import annotations

import asyncio
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.models import StaffAccount
from shared.auth import Role, Staff
from shared.regions import UnknownRegion, check_region
from shared.scope import is_province

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD = 10
# Roles that may hold a whole province: a province code gives an account every kabupaten/kota
# of it, so a call-center operator or a kab/kota supervisor never gets one.
PROVINCE_ROLES = frozenset({Role.PROVINCIAL_SUPERVISOR, Role.ADMIN})


class AccountError(ValueError):
    """An account that cannot be made as asked (weak password, taken name, no role)."""


def staff_of(account: StaffAccount) -> Staff:
    return Staff(
        account_id=account.id,
        username=account.username,
        roles=frozenset(Role(r) for r in account.roles),
        regions=frozenset(account.regions),
    )


def check_account_regions(roles: list[Role], regions: list[str]) -> list[str]:
    """The one rule for the regions an account may hold (``trc user create`` and any API that
    makes accounts): every code is a known Kemendagri province or kabupaten/kota code, and a
    province code ("64") only for an account whose every role is ``provincial_supervisor`` or
    ``admin`` (a provincial supervisor may hold kab/kota codes too). Returns the codes, or
    raises ``AccountError`` saying why (Bahasa Indonesia / English)."""
    for code in regions:
        try:
            check_region(code)
        except UnknownRegion as exc:
            raise AccountError(str(exc)) from None
    provinces = [code for code in regions if is_province(code)]
    others = sorted(r.value for r in roles if r not in PROVINCE_ROLES)
    if provinces and others:
        raise AccountError(
            f"kode provinsi {provinces[0]!r} hanya untuk peran provincial_supervisor atau admin, "
            f"bukan {', '.join(others)}; pakai kode kabupaten/kota ({provinces[0]}.xx) "
            f"/ a province code ({provinces[0]!r}) is only for the provincial_supervisor or admin "
            f"role, not {', '.join(others)}; use a kabupaten/kota code ({provinces[0]}.xx)"
        )
    return regions


async def create_account(
    session: AsyncSession,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: list[Role],
    regions: list[str],
) -> StaffAccount:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")
    if not roles:
        raise AccountError("an account needs at least one role")
    check_account_regions(roles, regions)
    existing = await session.exec(select(StaffAccount).where(StaffAccount.username == username))
    if existing.first() is not None:
        raise AccountError(f"username {username!r} is taken")
    account = StaffAccount(
        username=username,
        display_name=display_name,
        password_hash=_hasher.hash(password),
        roles=[r.value for r in roles],
        regions=regions,
        created_at=datetime.now(UTC),
    )
    session.add(account)
    return account


async def authenticate(session: AsyncSession, username: str, password: str) -> StaffAccount | None:
    account = (
        await session.exec(select(StaffAccount).where(StaffAccount.username == username))
    ).first()
    if account is None or not account.active:
        _hasher.hash(password)  # same cost whether or not the name exists
        return None
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.last_login_at = datetime.now(UTC)
    return account


async def first_admin(session: AsyncSession, password_file: Path) -> bool:
    """A fresh install has nobody to sign in as: make 'admin' once, never again (True if made),
    its password written to ``password_file`` (mode 600), never shown in a log."""
    if (await session.exec(select(StaffAccount).limit(1))).first() is not None:
        return False
    password = secrets.token_urlsafe(12)
    await create_account(
        session,
        username="admin",
        display_name="Admin",
        password=password,
        roles=[Role.ADMIN],
        regions=[],
    )
    # Written before the commit: a commit that fails leaves no account whose password is lost
    # (the next start makes it again and overwrites the file).
    await asyncio.to_thread(_write_secret, password_file, password)
    await session.commit()
    return True


def _write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text + "\n")
    path.chmod(0o600)  # a file that was there before keeps its mode on open
