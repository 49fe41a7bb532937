"""One staff token for every service: signed with the shared secret, refused when expired,
forged or garbled, scoped to regions and roles."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from pydantic import ValidationError

from shared.auth import AuthError, AuthSettings, Role, Staff, issue_token, verify_token

SETTINGS = AuthSettings(secret="k" * 48)
STAFF = Staff("acc-1", "rina", frozenset({Role.CALL_CENTER}), frozenset({"21.71"}))


def test_a_token_signed_by_one_service_is_read_by_another() -> None:
    token = issue_token(STAFF, SETTINGS)
    assert verify_token(token, AuthSettings(secret="k" * 48)) == STAFF


@pytest.mark.parametrize(
    "token",
    [
        issue_token(STAFF, SETTINGS, now=datetime.now(UTC) - timedelta(hours=13)),  # expired
        issue_token(STAFF, AuthSettings(secret="x" * 48)),  # another key
        jwt.encode({"sub": "a", "name": "b", "roles": ["admin"], "regions": []}, "k" * 48),
        "not-a-token",
    ],
)
def test_expired_forged_and_garbled_tokens_are_refused(token: str) -> None:
    with pytest.raises(AuthError):
        verify_token(token, SETTINGS)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValidationError):
        AuthSettings(secret="short")


def test_region_scope_and_roles() -> None:
    provincial = Staff("p", "p", frozenset({Role.PROVINCIAL_SUPERVISOR}), frozenset({"64"}))
    assert provincial.covers("64.72") and not provincial.covers("21.71")
    assert STAFF.covers("21.71") and not STAFF.covers("21.72")
    admin = Staff("a", "a", frozenset({Role.ADMIN}), frozenset())
    assert admin.has(Role.SUPERVISOR) and not STAFF.has(Role.SUPERVISOR)
    assert admin.covers("73.71")
