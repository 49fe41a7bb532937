"""The call-center form's suggestions: what intake would make of the description typed so far.

Nothing here classifies: :func:`suggest` calls :func:`services.intake.ingest.read_report`, the
reading the report pipeline stores, and says it for the operator — the category it would file
(the keyword rules' or the model's) with the model's confidence and its next guesses, the
priority and why, the danger flags, the place, and the words that weighed. Pure computation:
nothing is stored and nothing is logged (the text may name the caller).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.intake.domain.taxonomy import default_taxonomy
from services.intake.domain.text import contains_phrase, normalise
from services.intake.ingest import Reading, read_report
from shared.contracts.envelope import RegionCode
from shared.contracts.events import Location
from shared.contracts.vocabulary import DangerFlag, Priority

ALTERNATIVES = 2  # the model's next guesses shown beside the suggestion
ALTERNATIVE_FLOOR = 0.05  # below this a guess is noise, not an alternative


class SuggestRequest(BaseModel):
    """The call-center form as typed so far."""

    model_config = ConfigDict(extra="forbid")

    region_code: RegionCode
    description: str = Field(min_length=1, max_length=4000)
    location: Location = Field(
        default_factory=Location, description="Place fields the operator already filled"
    )
    danger_flags: list[DangerFlag] = Field(
        default_factory=list, description="Ticked by the operator: they weigh in the priority"
    )


class CategoryOption(BaseModel):
    code: str = Field(examples=["odgj_terlantar"])
    name_id: str
    name_en: str
    confidence: float | None = Field(
        ge=0, le=1, description="The model's probability for this category (none without a model)"
    )


class SuggestedCategory(CategoryOption):
    basis: Literal["keyword", "model"] = Field(
        description="keyword: a keyword rule names it (it stands whatever the model's "
        "confidence); model: no keyword matched, the model's best guess"
    )


class SuggestedPriority(BaseModel):
    priority: Priority
    reasons: list[str] = Field(examples=[["kekerasan / violence"]])


class SuggestedPlace(BaseModel):
    kecamatan: str | None = None
    kecamatan_code: str | None = None
    kelurahan: str | None = None
    landmark: str | None = None
    address: str | None = Field(
        default=None, description="A street, market, mosque … the text writes (no known place)"
    )
    matched: str | None = Field(default=None, description="The place name as found in the text")


class Suggestion(BaseModel):
    """What intake would make of the description if it were saved now without a category."""

    category: SuggestedCategory | None = Field(description="None: no category would be found")
    alternatives: list[CategoryOption] = Field(
        default_factory=list, max_length=ALTERNATIVES, description="The model's next guesses"
    )
    priority: SuggestedPriority
    danger_flags: list[DangerFlag] = Field(description="Found in the text (the operator's apart)")
    place: SuggestedPlace | None = Field(description="None: the text names no place")
    keywords: list[str] = Field(
        default_factory=list, description="The category keywords found (normalised)"
    )
    danger_words: list[str] = Field(
        default_factory=list, description="The words that raised a danger flag"
    )
    model_words: list[str] = Field(
        default_factory=list,
        description="The model's features that weighed most for its category: words, word "
        "pairs, parts of words (<emp: a word starting with 'emp')",
    )
    report_probability: float | None = Field(
        default=None, ge=0, le=1, description="The model's probability that this is a report"
    )
    triage_reason: str | None = Field(
        default=None,
        description="Saved as it is, why it would wait in the triage queue; None: dispatched",
    )


def suggest(request: SuggestRequest, now: datetime) -> Suggestion:
    """The suggestion for what the operator typed, read as the pipeline reads a report saved at
    ``now`` without the operator's category."""
    reading = read_report(
        request.region_code,
        request.description,
        request.location,
        reported_at=now,
        danger_flags=request.danger_flags,
    )
    verdict = reading.verdict
    return Suggestion(
        category=_category(reading),
        alternatives=_alternatives(reading),
        priority=SuggestedPriority(
            priority=reading.priority.priority, reasons=list(reading.priority.reasons)
        ),
        danger_flags=sorted(verdict.danger_flags),
        place=_place(reading),
        keywords=list(verdict.rules.matched) if verdict.rules else [],
        danger_words=_danger_words(reading, request),
        model_words=_model_words(reading),
        report_probability=verdict.report_probability,
        triage_reason=verdict.triage_reason,
    )


def _probabilities(reading: Reading) -> dict[str, float]:
    model = reading.verdict.reading
    return model[1].probabilities if model else {}


def _category(reading: Reading) -> SuggestedCategory | None:
    code = reading.verdict.category
    taxonomy = default_taxonomy()
    if code is None or code not in taxonomy:
        return None
    found = taxonomy.get(code)
    rules = reading.verdict.rules
    by_rule = rules is not None and rules.category is not None and rules.category.code == code
    return SuggestedCategory(
        code=code,
        name_id=found.name_id,
        name_en=found.name_en,
        confidence=_probabilities(reading).get(code),
        basis="keyword" if by_rule else "model",
    )


def _alternatives(reading: Reading) -> list[CategoryOption]:
    taxonomy = default_taxonomy()
    ranked = sorted(_probabilities(reading).items(), key=lambda item: -item[1])
    options = [
        CategoryOption(
            code=code,
            name_id=taxonomy.get(code).name_id,
            name_en=taxonomy.get(code).name_en,
            confidence=probability,
        )
        for code, probability in ranked
        if code != reading.verdict.category and code in taxonomy
        and probability >= ALTERNATIVE_FLOOR
    ]  # fmt: skip
    return options[:ALTERNATIVES]


def _place(reading: Reading) -> SuggestedPlace | None:
    guess, address = reading.verdict.location, reading.verdict.address
    if guess is None:
        return SuggestedPlace(address=address) if address else None
    return SuggestedPlace(
        kecamatan=guess.kecamatan,
        kecamatan_code=guess.kecamatan_code,
        kelurahan=guess.kelurahan,
        landmark=guess.landmark,
        matched=guess.matched,
    )


def _danger_words(reading: Reading, request: SuggestRequest) -> list[str]:
    """The words as the text writes them ("dipukulin", not its root); a flag that no word
    raised (a child category) has none."""
    rules = reading.verdict.rules
    if rules is None:
        return []
    text = normalise(" ".join(filter(None, [request.description, request.location.address])))
    words = [hit.split(" (", 1)[0] for hit in rules.danger_matched.values()]
    return list(dict.fromkeys(w for w in words if contains_phrase(text, w)))


def _model_words(reading: Reading) -> list[str]:
    model = reading.verdict.reading
    return [word for word in model[1].words.split(", ") if word] if model else []
