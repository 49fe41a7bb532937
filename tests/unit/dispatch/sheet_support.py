"""What the sheet tests share: the BOM, and reading the errors a sheet is refused with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.dispatch.domain.sheets import SheetErrors, parse_members, parse_roster, parse_teams

BOM = "\ufeff"
PARSERS: list[Callable[[str], list[Any]]] = [parse_teams, parse_members, parse_roster]


def errors_of(parse: Callable[[str], list[Any]], text: str) -> list[tuple[int, str]]:
    with pytest.raises(SheetErrors) as caught:
        parse(text)
    return caught.value.errors


def lines_of(errors: list[tuple[int, str]]) -> list[int]:
    return [line for line, _ in errors]
