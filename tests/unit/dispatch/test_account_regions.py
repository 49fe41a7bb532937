"""Who may hold which region: known Kemendagri codes only, and a whole province only for a
provincial supervisor or an admin (a province code gives every kabupaten/kota of it)."""

from __future__ import annotations

import pytest

from services.dispatch.accounts.staff import AccountError, check_account_regions
from shared.auth import Role


@pytest.mark.parametrize(
    ("roles", "regions"),
    [
        ([Role.CALL_CENTER], ["21.71"]),
        ([Role.SUPERVISOR], ["64.72", "64.71"]),
        ([Role.SHELTER_STAFF], ["32.12"]),
        ([Role.PROVINCIAL_SUPERVISOR], ["64"]),
        ([Role.PROVINCIAL_SUPERVISOR], ["64", "65.71"]),
        ([Role.PROVINCIAL_SUPERVISOR], ["73.71"]),
        ([Role.ADMIN], ["21"]),
        ([Role.ADMIN, Role.PROVINCIAL_SUPERVISOR], ["21", "21.71"]),
        ([Role.ADMIN], []),
        ([Role.SUPERVISOR, Role.CALL_CENTER], ["63.71"]),
    ],
)
def test_allowed(roles: list[Role], regions: list[str]) -> None:
    assert check_account_regions(roles, regions) == regions


@pytest.mark.parametrize(
    "roles",
    [
        [Role.SUPERVISOR],
        [Role.CALL_CENTER],
        [Role.SHELTER_STAFF],
        [Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR],  # the supervisor role would write in all
    ],
)
def test_a_province_only_for_provincial_supervisors_and_admins(roles: list[Role]) -> None:
    with pytest.raises(AccountError) as refused:
        check_account_regions(roles, ["64.72", "64"])
    message = str(refused.value)
    assert "kode provinsi '64'" in message and "a province code ('64')" in message
    assert "provincial_supervisor atau admin" in message
    assert sorted(r.value for r in roles if r is not Role.PROVINCIAL_SUPERVISOR)[0] in message


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("99", "no province '99'"),
        ("73.99", "no kabupaten/kota with this code"),
        ("21.71.05", "a region code is a province (21) or a kabupaten/kota (21.71)"),
        ("batam", "unknown region 'batam'"),
    ],
)
def test_unknown_codes_are_refused(code: str, why: str) -> None:
    for roles in ([Role.CALL_CENTER], [Role.PROVINCIAL_SUPERVISOR], [Role.ADMIN]):
        with pytest.raises(AccountError, match=r"tidak dikenal|harus provinsi") as refused:
            check_account_regions(roles, ["21.71", code])
        assert why in str(refused.value)
