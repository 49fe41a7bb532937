"""Intake's rules: the official categories and SPM groups, priority from danger and
vulnerability, phone numbers in E.164, duplicates nearby, places found through abbreviations."""

from datetime import UTC, datetime, timedelta

import pytest

from services.intake.domain.duplicates import (
    Candidate,
    DuplicatePolicy,
    distance_m,
    find_duplicate,
    find_nearby,
)
from services.intake.domain.gazetteer import UnknownRegionData, gazetteer, village_word
from services.intake.domain.phones import InvalidPhone, normalise_phone
from services.intake.domain.priority import decide_priority
from services.intake.domain.taxonomy import SPM_GROUPS, default_taxonomy
from shared.contracts.vocabulary import DangerFlag, Priority

NIGHT = datetime(2026, 11, 22, 22, 30)  # local time
DAY = datetime(2026, 11, 22, 10, 0)


# ------------------------------------------------------------------ taxonomy
def test_the_26_official_categories_ship_and_subtypes_map_onto_them() -> None:
    taxonomy = default_taxonomy()
    assert len(taxonomy.official()) == 26
    odgj = taxonomy.get("odgj_terlantar")
    assert not odgj.official
    assert odgj.official_code == "penyandang_disabilitas"
    assert taxonomy.get("gepeng").official_code == "gelandangan"


def test_the_five_spm_target_groups_are_marked() -> None:
    groups = {c.spm_group for c in default_taxonomy() if c.spm_group}
    assert groups == set(SPM_GROUPS)


# ------------------------------------------------------------------ priority
@pytest.mark.parametrize(
    ("flags", "category", "when", "alone", "expected"),
    [
        ({DangerFlag.VIOLENCE}, "odgj_terlantar", DAY, False, Priority.P1),
        ({DangerFlag.MEDICAL}, "lanjut_usia_terlantar", DAY, False, Priority.P1),
        ({DangerFlag.DISASTER}, "korban_bencana_alam", DAY, False, Priority.P1),
        ({DangerFlag.CHILD}, "anak_terlantar", NIGHT, True, Priority.P1),
        ({DangerFlag.CHILD}, "anak_jalanan", DAY, True, Priority.P2),
        ({DangerFlag.CHILD}, "anak_jalanan", NIGHT, False, Priority.P2),
        (set(), "odgj_terlantar", DAY, False, Priority.P2),
        (set(), "gelandangan", NIGHT, False, Priority.P3),
        (set(), "fakir_miskin", DAY, False, Priority.P4),
        (set(), None, DAY, False, Priority.P4),
    ],
)
def test_priority_follows_danger_then_vulnerability(flags, category, when, alone, expected) -> None:
    decision = decide_priority(category=category, danger_flags=flags, local_time=when, alone=alone)
    assert decision.priority == expected
    assert decision.reasons


def test_a_child_alone_at_night_says_why_it_is_p1() -> None:
    decision = decide_priority(
        category="anak_terlantar", danger_flags={DangerFlag.CHILD}, local_time=NIGHT, alone=True
    )
    assert decision.explain() == "P1: anak sendirian pada malam hari / child alone at night"


# ------------------------------------------------------------------ phones
@pytest.mark.parametrize(
    "raw", ["0812-3456-7890", "0812 3456 7890", "62812 3456 7890", "+62 812-3456-7890"]
)
def test_phone_numbers_become_e164(raw: str) -> None:
    assert normalise_phone(raw) == "+6281234567890"


def test_landlines_keep_their_area_code() -> None:
    assert normalise_phone("(0778) 123456") == "+62778123456"


@pytest.mark.parametrize("raw", ["112", "abc", "0812", ""])
def test_non_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


# ------------------------------------------------------------------ duplicates
T0 = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
OPEN = [
    Candidate("r1", "odgj_terlantar", T0, "Baloi Indah", "Lubuk Baja", 1.1301, 104.0529),
    Candidate("r2", "gelandangan", T0, "Sungai Jodoh", "Batu Ampar"),
    Candidate("r3", "odgj_terlantar", T0 - timedelta(hours=8), "Baloi Indah", "Lubuk Baja"),
]


def test_same_category_nearby_and_recent_is_a_duplicate() -> None:
    new = Candidate("n", "odgj_terlantar", T0 + timedelta(minutes=35), None, None, 1.1320, 104.0540)
    match = find_duplicate(new, OPEN, DuplicatePolicy())
    assert match is not None
    assert match.report_id == "r1"
    assert match.reason.endswith("35 min")


def test_same_kelurahan_counts_when_coordinates_are_missing() -> None:
    new = Candidate("n", "gelandangan", T0 + timedelta(hours=1), "Sungai Jodoh", "Batu Ampar")
    match = find_duplicate(new, OPEN, DuplicatePolicy())
    assert match is not None
    assert match.report_id == "r2"
    assert match.reason == "same kelurahan, 60 min"


def test_the_reason_names_a_village_the_way_the_region_does() -> None:
    new = Candidate(
        "n", "gelandangan", T0 + timedelta(hours=1), "Sungai Jodoh", "Batu Ampar",
        village_word="desa",
    )  # fmt: skip
    match = find_duplicate(new, OPEN, DuplicatePolicy())
    assert match is not None and match.reason == "same desa, 60 min"
    assert village_word("32.12") == "desa"  # Kabupaten Indramayu
    assert village_word("21.71") == "kelurahan"  # Kota Batam
    assert village_word("99.99") == "kelurahan"  # places not known


@pytest.mark.parametrize(
    "new",
    [
        Candidate("n", "gelandangan", T0, None, None, 1.1301, 104.0529),  # other category
        Candidate("n", "odgj_terlantar", T0, None, None, 1.1500, 104.0529),  # 2.2 km away
        Candidate("n", "odgj_terlantar", T0 + timedelta(hours=7), "Baloi Indah", "Lubuk Baja"),
        Candidate("n", "gelandangan", T0, None, "Batu Ampar"),  # a kecamatan is too wide
    ],
)
def test_other_category_far_away_or_old_is_not_a_duplicate(new: Candidate) -> None:
    assert find_duplicate(new, OPEN, DuplicatePolicy()) is None


def test_the_operator_hint_lists_the_same_kecamatan_after_closer_matches() -> None:
    reports = [
        *OPEN,
        Candidate("r4", "odgj_terlantar", T0, "Batu Selicin", "Lubuk Baja"),
        Candidate("r5", "odgj_terlantar", T0, "Sungai Jodoh", "Batu Ampar"),
    ]
    new = Candidate("n", "odgj_terlantar", T0 + timedelta(hours=1), "Baloi Indah", "Lubuk Baja")
    hints = find_nearby(new, reports, DuplicatePolicy(), same_kecamatan=True)
    assert [h.report_id for h in hints] == ["r1", "r4"]  # r3 too old, r5 another kecamatan
    assert hints[1].reason.startswith("same kecamatan")
    assert find_duplicate(new, reports, DuplicatePolicy()).report_id == "r1"  # type: ignore[union-attr]


def test_distance_is_in_metres() -> None:
    assert distance_m(1.1301, 104.0529, 1.1301, 104.0529) == 0
    assert 2100 < distance_m(1.1301, 104.0529, 1.1500, 104.0529) < 2300


# ------------------------------------------------------------------ gazetteer
def test_batam_and_makassar_have_the_national_places_and_their_own_landmarks() -> None:
    batam, makassar = gazetteer("21.71"), gazetteer("73.71")
    assert len(batam.kecamatan()) == 12
    assert len(makassar.kecamatan()) == 15
    assert not batam.sample and not makassar.sample  # the places are the national list
    assert (batam.landmark_count, makassar.landmark_count) == (12, 9)
    assert "Belian" in batam.kelurahan_of("Batam Kota")
    assert len(makassar.kelurahan_of("Mamajang")) == 13  # every one, not a sample
    with pytest.raises(UnknownRegionData):
        gazetteer("99.99")


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("di Kel. Tg. Uncang", "Tanjung Uncang"),
        ("depan ruko Sei Panas", "Sungai Panas"),
        ("dekat Simp. Jam", "Baloi Indah"),
        ("kec batuaji", None),
    ],
)
def test_places_are_found_through_abbreviations(text: str, kelurahan: str | None) -> None:
    guess = gazetteer("21.71").find(text)
    assert guess is not None
    assert guess.kelurahan == kelurahan


def test_everyday_words_are_not_places() -> None:
    assert gazetteer("73.71").find("jual rumah baru, galang dana") is None
    assert gazetteer("73.71").find("di kelurahan baru") is not None
