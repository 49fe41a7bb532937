"""The development set's hard cases, read the way intake reads a post (``decide`` with the shipped
model): a kecamatan named alone, slang and paraphrase, noise that uses report words, posts from
other cities, danger happening now or not.

These guard against regressions. The model has read these very texts, so its category is
nearly always right here; what generalises is measured by ``python -m bench triage`` on the
held-out set. The place, the other-city and the danger rules have not been fitted to any text,
so their figures here say what they are worth.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pytest

from services.intake.domain.decision import Verdict, decide
from services.intake.domain.priority import decide_priority
from services.intake.domain.textmodel import shipped_model
from services.intake.ingest import classifier_for, elsewhere_for
from shared.contracts.vocabulary import Priority
from trc.triage.corpus import DEV, Entry, read


@cache
def _read() -> list[tuple[Entry, Verdict]]:
    model = shipped_model()
    return [
        (e, decide(e.text, classifier_for(e.department), model, elsewhere_for(e.department)))
        for e in read(DEV)
    ]


def _share(hits: list[bool]) -> float:
    assert hits, "the development set has no such case"
    return sum(hits) / len(hits)


def _genuine(tag: str) -> list[tuple[Entry, Verdict]]:
    return [(e, v) for e, v in _read() if e.genuine_here and e.category and tag in e.tags]


def test_a_report_naming_only_its_kecamatan_is_placed_there() -> None:
    placed = [
        v.location is not None and v.location.kecamatan == e.kecamatan
        for e, v in _genuine("kecamatan_only")
        if e.kecamatan
    ]
    assert _share(placed) >= 0.95


@pytest.mark.parametrize("tag", ["slang", "abbrev", "typo", "regional", "paraphrase", "behaviour"])
def test_slang_paraphrase_and_behaviour_find_the_category(tag: str) -> None:
    assert _share([v.category == e.category for e, v in _genuine(tag)]) >= 0.9


def test_noise_that_uses_report_words_is_not_dispatched() -> None:
    noise = [v.dispatch for e, v in _read() if not e.is_report]
    assert _share(noise) <= 0.01


def test_most_posts_from_other_cities_are_not_dispatched() -> None:
    away = [v.dispatch for e, v in _read() if e.is_report and e.in_region is False]
    assert _share(away) <= 0.2  # 15.7 % today: towns not in the national list still slip through


def test_danger_happening_now_is_told_from_danger_told_as_past_or_habit() -> None:
    """P1 from the words and the model, on the P1/not-P1 pairs and every other genuine report."""

    morning = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10.00 WIB, 11.00 WITA: daytime
    said, right, wanted = 0, 0, 0
    for e, v in _read():
        if not (e.genuine_here and v.dispatch):
            continue
        p1 = decide_priority(
            category=v.category, danger_flags=set(v.urgent_flags), local_time=morning,
            alone=v.mentions_alone, night_in_text=v.mentions_night, sensed=v.model_danger,
            infant_alone=v.mentions_infant_alone,
        ).priority is Priority.P1  # fmt: skip
        said += p1
        right += p1 and e.p1
        wanted += e.p1
    assert right / wanted >= 0.85 and right / said >= 0.75  # 96.9 % and 76.6 % on 1,653 texts
