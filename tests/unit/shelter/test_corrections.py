"""A supervisor corrects only an ended case, only its outcome, outcome detail or category, and
only to a value that field can hold."""

from __future__ import annotations

import pytest

from services.shelter.domain.cases import CaseError
from services.shelter.domain.corrections import check_correction


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("outcome", "returned_to_family"),
        ("outcome_detail", "went home with an aunt"),
        ("category", "odgj_terlantar"),
    ],
)
@pytest.mark.parametrize("state", ["outcome", "closed"])
def test_an_ended_case_is_corrected(state: str, field: str, value: str) -> None:
    check_correction(state, field, value)


@pytest.mark.parametrize("state", ["awaiting_admission", "admitted", "assessed", "in_service"])
def test_an_open_case_is_not_corrected(state: str) -> None:
    with pytest.raises(CaseError, match="changed by its own steps"):
        check_correction(state, "category", "gepeng")


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("state", "open", "only category, outcome, outcome_detail can be corrected"),
        ("outcome", "vanished", "unknown outcome"),
        ("category", "ODGJ", "a category is a code"),
        ("category", "9lives", "a category is a code"),
        ("category", "x" * 61, "a category is a code"),
    ],
)
def test_a_field_or_value_that_cannot_be_is_refused(field: str, value: str, why: str) -> None:
    with pytest.raises(CaseError, match=why):
        check_correction("closed", field, value)
