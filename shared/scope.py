"""Which regions a code covers, one rule for every service: a kabupaten/kota code covers itself,
a province code covers itself and its kabupaten/kota ("64" covers "64.72"; "21.71" never covers
"21.710"). Used for access checks, SQL filters and the console's live stream alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, false, or_
from sqlmodel import col


def is_province(code: str) -> bool:
    """A province code has no dot ("64"); a kabupaten/kota code has one ("64.72")."""
    return "." not in code


def in_scope(region_code: str, scope: str) -> bool:
    """``region_code`` is ``scope`` or one of its kabupaten/kota."""
    return region_code == scope or region_code.startswith(scope + ".")


def in_any(region_code: str, scopes: Iterable[str]) -> bool:
    return any(in_scope(region_code, scope) for scope in scopes)


def within(column: Any, scope: str) -> ColumnElement[bool]:
    """SQL: ``column`` is ``scope`` or one of its kabupaten/kota. A prefix ``LIKE``, not a
    string range: PostgreSQL's locale collations ignore the dot when they compare."""
    if not is_province(scope):
        return col(column) == scope
    return or_(col(column) == scope, col(column).like(scope + ".%"))


def within_any(column: Any, scopes: Iterable[str]) -> ColumnElement[bool]:
    """SQL: ``column`` is in one of ``scopes`` (none: nothing)."""
    return or_(false(), *(within(column, scope) for scope in sorted(scopes)))
