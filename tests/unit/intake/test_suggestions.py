"""The call-center form's suggestions are the report pipeline's own reading of the text: the same
category, priority, danger flags and place a report saved now without a category would get, with
the model's confidence, its next guesses and the words that weighed. Pure and fast."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from services.intake import ingest
from services.intake.domain.decision import NOT_A_REPORT
from services.intake.ingest import Submission, _build_report
from services.intake.suggestions import (
    ALTERNATIVE_FLOOR,
    ALTERNATIVES,
    Suggestion,
    SuggestRequest,
    suggest,
)
from shared.contracts.events import Location
from shared.contracts.vocabulary import Channel, DangerFlag

BATAM = "21.71"
NOON = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)  # 12.00 WIB: no night
# Written for this test (call notes as an operator types them), not taken from the corpus.
ODGJ_WITH_MACHETE = "Pria dewasa ngamuk bawa parang di depan ruko, Kelurahan Tanjung Riau"
SLEEPING_GRANDFATHER = "Kakek tua tidur di emperan toko sejak kemarin sore, bajunya lusuh"
NO_KEYWORD = (
    "Ada cowok mondar-mandir tanpa baju sambil teriak-teriak gak jelas, warga jadi takut lewat"
)
BIRTHDAY = "Selamat ulang tahun ya kak, semoga panjang umur dan sehat selalu"
SENTENCES = (ODGJ_WITH_MACHETE, SLEEPING_GRANDFATHER, NO_KEYWORD, BIRTHDAY)


def suggestion(text: str, **fields: object) -> Suggestion:
    return suggest(SuggestRequest(region_code=BATAM, description=text, **fields), NOON)


def test_a_keyword_suggests_its_category_with_priority_danger_place_and_words() -> None:
    found = suggestion(ODGJ_WITH_MACHETE)
    assert found.category is not None
    assert (found.category.code, found.category.basis) == ("odgj_terlantar", "keyword")
    assert found.category.name_id.startswith("ODGJ terlantar")
    assert found.category.name_en.startswith("Neglected person with mental illness")
    assert "ngamuk" in found.keywords
    assert found.danger_words and set(found.danger_words) <= {"ngamuk", "parang"}
    assert DangerFlag.VIOLENCE in found.danger_flags
    assert found.priority.priority == "P1"
    assert "kekerasan / violence" in found.priority.reasons
    assert found.place is not None
    assert (found.place.kecamatan, found.place.kelurahan) == ("Sekupang", "Tanjung Riau")
    assert found.place.matched == "tanjung riau"
    assert found.triage_reason is None  # a category and a place: it would be dispatched


def test_without_a_keyword_the_models_guess_is_suggested_with_its_confidence() -> None:
    model = ingest.shipped_model()
    assert model is not None
    found = suggestion(NO_KEYWORD)
    _, guess, _ = model.read(NO_KEYWORD)
    assert found.keywords == []
    assert found.category is not None and found.category.basis == "model"
    assert found.category.code == guess.label
    assert found.category.confidence == pytest.approx(guess.probability)
    assert found.model_words == guess.words.split(", ")
    assert found.report_probability is not None and 0 <= found.report_probability <= 1


def test_alternatives_are_the_models_next_guesses_best_first() -> None:
    for text in SENTENCES:
        found = suggestion(text)
        chosen = found.category.code if found.category else None
        confidences = [option.confidence or 0.0 for option in found.alternatives]
        assert len(found.alternatives) <= ALTERNATIVES
        assert chosen not in [option.code for option in found.alternatives]
        assert confidences == sorted(confidences, reverse=True)
        assert all(c >= ALTERNATIVE_FLOOR for c in confidences)


def test_chatter_gets_no_category_and_says_why() -> None:
    found = suggestion(BIRTHDAY)
    assert found.category is None
    assert found.triage_reason == NOT_A_REPORT
    assert found.priority.priority == "P4"
    assert found.place is None and found.danger_flags == []


@pytest.mark.parametrize("text", SENTENCES)
def test_the_suggestion_is_what_the_pipeline_would_store(text: str) -> None:
    """Saved now without the operator's category, the report gets exactly what was suggested."""
    found = suggestion(text)
    submission = Submission(
        region_code=BATAM,
        channel=Channel.CALL_CENTER,
        source_ref="suggestion-test",
        description=text,
        reported_at=NOON,
    )
    report = _build_report(submission, NOON)
    assert report.category == (found.category.code if found.category else None)
    assert (report.priority, report.priority_reasons) == (
        found.priority.priority,
        found.priority.reasons,
    )
    assert report.danger_flags == [flag.value for flag in found.danger_flags]
    assert report.triage_reason == found.triage_reason
    place = found.place
    assert report.kecamatan == (place.kecamatan if place else None)
    assert report.kelurahan == (place.kelurahan if place else None)


def test_the_operators_danger_flags_and_place_weigh_but_are_not_suggested_back() -> None:
    plain = suggestion(SLEEPING_GRANDFATHER)
    ticked = suggestion(
        SLEEPING_GRANDFATHER,
        danger_flags=[DangerFlag.MEDICAL],
        location=Location(kecamatan="Lubuk Baja"),
    )
    assert plain.priority.priority != "P1" and plain.triage_reason is not None  # no place
    assert ticked.priority.priority == "P1"
    assert "darurat medis / medical emergency" in ticked.priority.reasons
    assert DangerFlag.MEDICAL not in ticked.danger_flags
    assert ticked.triage_reason is None  # the place the operator chose counts
    assert ticked.place is None  # the text itself names none


def test_without_a_model_the_keywords_still_suggest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "shipped_model", lambda: None)
    found = suggestion(ODGJ_WITH_MACHETE)
    assert found.category is not None and found.category.code == "odgj_terlantar"
    assert found.category.confidence is None
    assert found.alternatives == [] and found.model_words == []
    assert found.report_probability is None


def test_a_suggestion_takes_milliseconds() -> None:
    suggestion(ODGJ_WITH_MACHETE)  # the model and the region's places are loaded once
    fastest = min(_timed(ODGJ_WITH_MACHETE) for _ in range(5))
    assert fastest < 0.010, f"{fastest * 1000:.1f} ms"


def _timed(text: str) -> float:
    started = time.perf_counter()
    suggestion(text)
    return time.perf_counter() - started
