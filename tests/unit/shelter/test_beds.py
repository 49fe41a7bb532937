"""Beds: a section with room takes the person; a full one is refused naming other shelters'
sections of the same kind with room, most room first."""

from __future__ import annotations

import pytest

from services.shelter.domain.beds import Section, ShelterFull, alternatives, bed_for
from services.shelter.domain.cases import CaseError

SECTIONS = [
    Section("rs-1", "Rumah Singgah", "male", 2, 2),
    Section("rs-1", "Rumah Singgah", "female", 2, 1),
    Section("upt-2", "UPT Sekupang", "male", 5, 4),
    Section("upt-3", "UPT Batu Aji", "male", 5, 1),
    Section("upt-4", "UPT Nongsa", "male", 3, 5),  # over capacity: no room, never negative
    Section("upt-5", "UPT Galang", "female", 9, 0),
]


def test_free_beds_are_never_negative() -> None:
    assert [s.free for s in SECTIONS] == [0, 1, 1, 4, 0, 9]


def test_a_section_with_room_is_given() -> None:
    assert bed_for(SECTIONS, "rs-1", "female") == SECTIONS[1]


def test_a_full_section_is_refused_with_the_others_of_its_kind_most_room_first() -> None:
    with pytest.raises(ShelterFull) as refused:
        bed_for(SECTIONS, "rs-1", "male")
    assert [s.shelter_id for s in refused.value.suggestions] == ["upt-3", "upt-2"]
    assert str(refused.value) == (
        "section male is full; room elsewhere: UPT Batu Aji (4 free), UPT Sekupang (1 free)"
    )


def test_a_full_section_with_no_room_anywhere_says_so() -> None:
    with pytest.raises(ShelterFull, match="room elsewhere: none in this region"):
        bed_for(SECTIONS[:2], "rs-1", "male")


def test_the_refusal_names_three_shelters_at_most() -> None:
    many = [Section(f"s{n}", f"Shelter {n}", "male", 5, 0) for n in range(5)]
    refusal = ShelterFull("male", alternatives(many, "male", "rs-1"))
    assert len(refusal.suggestions) == 5
    assert str(refusal).count("free") == 3


def test_equal_room_is_listed_by_name() -> None:
    tied = [Section("b", "Bravo", "male", 2, 0), Section("a", "Alfa", "male", 2, 0)]
    assert [s.shelter_name for s in alternatives(tied, "male", "x")] == ["Alfa", "Bravo"]


def test_an_unknown_section_is_refused() -> None:
    with pytest.raises(CaseError, match="no such shelter section"):
        bed_for(SECTIONS, "rs-1", "children")
