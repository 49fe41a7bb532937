"""Danger in every form people write it (word roots under Indonesian affixes), a disaster placed
days ago is not immediate danger, and the night a text's own clock tells."""

from __future__ import annotations

import pytest

from services.intake.domain.danger import clock_at_night, danger_from_roots, in_the_past, roots
from services.intake.domain.priority import decide_priority
from services.intake.domain.text import normalise
from services.intake.ingest import classifier_for
from shared.contracts.vocabulary import DangerFlag, Priority


@pytest.mark.parametrize(
    ("word", "root"),
    [("dipukulin", "pukul"), ("mukulin", "pukul"), ("memukuli", "pukul"), ("ngancam", "ancam"),
     ("diancam", "ancam"), ("menusuk", "tusuk"), ("pembunuhan", "bunuh"), ("dikeroyok", "keroyok"),
     ("kejang2", "kejang")],
)  # fmt: skip
def test_a_root_is_found_under_its_affixes(word: str, root: str) -> None:
    assert root in roots(normalise(word).split()[0])


def test_words_that_only_look_alike_are_not_danger() -> None:
    assert danger_from_roots(normalise("ada serangga di pasar, robek bajunya")) == {}


def test_violence_written_in_slang_is_violence() -> None:
    flags = danger_from_roots(normalise("tetangga tiap malem mukulin anaknya"))
    assert DangerFlag.VIOLENCE in flags


@pytest.mark.parametrize("text", ["banjir minggu lalu", "rumah terbakar 2 hari lalu", "kemarin longsor"])
def test_a_disaster_days_ago_is_a_case_to_follow_up_not_a_rescue(text: str) -> None:
    assert in_the_past(normalise(text))
    found = classifier_for("21.71").classify(f"korban {text}, masih numpang di rumah tetangga")
    assert DangerFlag.DISASTER not in found.danger_flags


def test_a_disaster_now_is_still_a_disaster() -> None:
    found = classifier_for("21.71").classify("air masuk rumah sejak subuh, banjir sepinggang")
    assert DangerFlag.DISASTER in found.danger_flags


@pytest.mark.parametrize(
    ("text", "night"),
    [("Pkl 23.40 anak sendirian", True), ("jam 1 malam ini", True), ("jam 22:15", True),
     ("pkl 16.45 ada anak", False), ("jam 7 pagi", False)],
)  # fmt: skip
def test_the_texts_own_clock_tells_the_night(text: str, night: bool) -> None:
    assert clock_at_night(normalise(text)) is night


def test_a_child_alone_at_a_night_the_text_names_is_p1_whenever_it_was_sent() -> None:
    from datetime import UTC, datetime

    found = classifier_for("21.71").classify("Pkl 23.40 anak perempuan ±6th, ortu tdk diketahui")
    assert found.mentions_night and found.mentions_alone
    decision = decide_priority(
        category="anak_terlantar", danger_flags=set(found.danger_flags) | {DangerFlag.CHILD},
        local_time=datetime(2026, 12, 1, 10, 0, tzinfo=UTC), alone=found.mentions_alone,
        night_in_text=found.mentions_night,
    )  # fmt: skip
    assert decision.priority is Priority.P1
