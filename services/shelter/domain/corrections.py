"""What a supervisor may correct on a case that has ended, and with which values. Pure."""

from __future__ import annotations

import re

from services.shelter.domain.cases import ENDED, CaseError
from shared.contracts.vocabulary import CaseOutcome

CORRECTABLE = {"outcome", "outcome_detail", "category"}
CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]{0,59}")  # the taxonomy's codes (intake owns the list)


def check_correction(state: str, field: str, value: str) -> None:
    """Refuse (``CaseError``) a correction of an open case, of a field that is not corrected, or
    to a value the field cannot hold."""
    if state not in ENDED:
        raise CaseError("an open case is changed by its own steps, not corrected")
    if field not in CORRECTABLE:
        raise CaseError(f"only {', '.join(sorted(CORRECTABLE))} can be corrected")
    if field == "outcome" and value not in {o.value for o in CaseOutcome}:
        raise CaseError("unknown outcome")
    if field == "category" and not CATEGORY_CODE.fullmatch(value):
        raise CaseError("a category is a code of at most 60 characters, e.g. odgj_terlantar")
