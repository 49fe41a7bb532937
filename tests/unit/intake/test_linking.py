"""The linking rules: a shared signal (the same caller, a nearby report) only proposes a link; a
report joins an open one only when it is plausibly the same case, and never loses a person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.intake.domain.duplicates import Candidate, DuplicatePolicy
from services.intake.domain.linking import (
    compatible_categories,
    judge_nearby,
    judge_same_caller,
)
from services.intake.domain.taxonomy import default_taxonomy
from services.intake.links import link
from services.intake.models import Report, ReportStatus

T0 = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
TAXONOMY = default_taxonomy()
POLICY = DuplicatePolicy()
ODGJ_HALTE = Candidate("r1", "odgj_terlantar", T0, "Baloi Indah", "Lubuk Baja", 1.1301, 104.0529)


def later(minutes: int = 40, **fields: object) -> Candidate:
    base: dict[str, object] = {"report_id": "new", "received_at": T0 + timedelta(minutes=minutes)}
    return Candidate(**(base | fields))  # type: ignore[arg-type]


def metres_north(metres: float) -> float:
    return 1.1301 + metres / 111_195  # one degree of latitude ≈ 111.2 km


# ------------------------------------------------------------------ the same caller


@pytest.mark.parametrize(
    ("new", "why"),
    [
        # An old woman alone in front of a mosque in another kecamatan: another person.
        (later(category="lanjut_usia_terlantar", kelurahan="Tanjung Riau", kecamatan="Sekupang"),
         "kategori lain; tempat lain"),
        (later(category="lanjut_usia_terlantar"), "kategori lain"),  # no place: category decides
        (later(category="", kelurahan="Tanjung Riau", kecamatan="Sekupang"), "tempat lain"),
        (later(category="odgj_terlantar", latitude=metres_north(1500), longitude=104.0529),
         "tempat lain"),
    ],
)  # fmt: skip
def test_the_same_caller_about_another_person_or_place_stands_alone_with_a_hint(
    new: Candidate, why: str
) -> None:
    verdict = judge_same_caller(new, ODGJ_HALTE, POLICY, TAXONOMY)
    assert not verdict.linked
    assert verdict.reason.startswith("penelepon yang sama dengan laporan r1 (")
    assert f"({why})" in verdict.reason and "/ same caller as report r1" in verdict.reason


@pytest.mark.parametrize(
    "new",
    [
        later(category=""),  # "he moved on": no category, no place
        later(category="odgj_terlantar", kelurahan="Baloi Indah", kecamatan="Lubuk Baja"),
        later(category="penyandang_disabilitas"),  # the official category ODGJ is reported as
        later(category="", latitude=metres_north(300), longitude=104.0529, people_count=3),
    ],
)
def test_the_same_caller_about_the_same_case_is_a_follow_up(new: Candidate) -> None:
    verdict = judge_same_caller(new, ODGJ_HALTE, POLICY, TAXONOMY)
    assert verdict.linked and verdict.other_id == "r1"
    assert "penelepon yang sama" in verdict.reason


def test_categories_are_compatible_within_an_spm_group_or_an_official_category() -> None:
    assert compatible_categories("pengemis", "gelandangan", TAXONOMY)  # both gepeng
    assert compatible_categories("anak_jalanan", "anak_terlantar", TAXONOMY)
    assert compatible_categories("odgj_terlantar", "penyandang_disabilitas", TAXONOMY)
    assert compatible_categories(None, "odgj_terlantar", TAXONOMY)
    assert not compatible_categories("lanjut_usia_terlantar", "odgj_terlantar", TAXONOMY)
    assert not compatible_categories("pemulung", "fakir_miskin", TAXONOMY)  # no group: the code


def test_a_follow_up_that_adds_danger_keeps_its_higher_priority_when_it_joins() -> None:
    earlier = _report("r1", category="odgj_terlantar", priority="P2")
    follow_up = _report("r2", category=None, priority="P1", danger_flags=["violence"])
    link(follow_up, earlier, "tindak lanjut")
    assert (follow_up.status, follow_up.duplicate_of) == (ReportStatus.LINKED, "r1")
    assert (follow_up.category, follow_up.priority) == ("odgj_terlantar", "P1")
    calm = _report("r3", category=None, priority="P4")
    link(calm, earlier, "tindak lanjut")
    assert calm.priority == "P2"  # as urgent as the case it joins, never less


# ------------------------------------------------------------------ nearby, different reporters


def flood(report_id: str, metres: float, people: int, **fields: object) -> Candidate:
    return Candidate(
        report_id,
        "korban_bencana_alam",
        T0 + timedelta(minutes=len(report_id)),
        "Baloi Indah",
        "Lubuk Baja",
        metres_north(metres),
        104.0529,
        people_count=people,
        **fields,  # type: ignore[arg-type]
    )


def test_two_households_close_together_with_different_counts_stay_apart_with_a_hint() -> None:
    verdict = judge_nearby(flood("new", 220, 5), [flood("h1", 0, 3)], POLICY, TAXONOMY)
    assert verdict is not None and not verdict.linked
    assert verdict.reason.startswith("laporan serupa di dekat: h1 (220 m;")
    assert "jumlah orang berbeda: 5 dan 3" in verdict.reason
    assert "/ similar report nearby: h1" in verdict.reason


@pytest.mark.parametrize(
    ("new", "open_one"),
    [
        (flood("new", 220, 4), flood("h1", 0, 4)),  # the same count, another house
        (flood("new", 220, 1), flood("h1", 0, 1)),  # a disaster victim stays home
        (later(category="anak_jalanan", latitude=metres_north(200), longitude=104.0529,
               people_count=3),
         Candidate("g1", "anak_jalanan", T0, latitude=1.1301, longitude=104.0529,
                   people_count=3)),  # a group of three, 200 m off
        (later(category="gelandangan", kelurahan="Baloi Indah", people_count=2),
         Candidate("g1", "gelandangan", T0, "Baloi Indah", people_count=2)),  # a kelurahan is wide
    ],
)  # fmt: skip
def test_households_and_groups_hundreds_of_metres_apart_are_not_merged(
    new: Candidate, open_one: Candidate
) -> None:
    verdict = judge_nearby(new, [open_one], POLICY, TAXONOMY)
    assert verdict is not None and not verdict.linked
    assert "a household or group at another spot" in verdict.reason


@pytest.mark.parametrize(
    ("new", "open_one"),
    [
        (flood("new", 30, 4), flood("h1", 0, 4)),  # the same house, from two neighbours
        (Candidate("new", "korban_bencana_alam", T0, "Baloi Indah", "Lubuk Baja", people_count=4,
                   address="perum baloi blok c no 7"),
         Candidate("h1", "korban_bencana_alam", T0, "Baloi Indah", "Lubuk Baja", people_count=4,
                   address="Perum Baloi Blok C No. 7")),  # the same written address
        (later(category="odgj_terlantar", latitude=metres_north(400), longitude=104.0529),
         ODGJ_HALTE),  # one man on foot, 400 m on
        (later(category="pengemis", kelurahan="Baloi Indah", kecamatan="Lubuk Baja"),
         Candidate("g1", "gelandangan", T0, "Baloi Indah", "Lubuk Baja")),  # one person, gepeng
    ],
)  # fmt: skip
def test_the_same_case_seen_by_two_people_is_linked(new: Candidate, open_one: Candidate) -> None:
    verdict = judge_nearby(new, [open_one], POLICY, TAXONOMY)
    assert verdict is not None and verdict.linked
    assert verdict.other_id == open_one.report_id


def test_nothing_similar_near_gives_no_hint() -> None:
    far = later(category="odgj_terlantar", latitude=metres_north(2000), longitude=104.0529)
    other = later(category="lanjut_usia_terlantar", latitude=1.1301, longitude=104.0529)
    old = later(minutes=7 * 60, category="odgj_terlantar", kelurahan="Baloi Indah")
    for new in (far, other, old):
        assert judge_nearby(new, [ODGJ_HALTE], POLICY, TAXONOMY) is None


def test_the_closest_report_of_the_same_case_wins_over_a_closer_other_household() -> None:
    verdict = judge_nearby(
        flood("new", 20, 4), [flood("h1", 0, 2), flood("h22", 40, 4)], POLICY, TAXONOMY
    )
    assert verdict is not None and (verdict.linked, verdict.other_id) == (True, "h22")


def _report(report_id: str, **fields: object) -> Report:
    base: dict[str, object] = {
        "id": report_id,
        "region_code": "21.71",
        "channel": "call_center",
        "source_ref": report_id,
        "description": "x",
        "status": ReportStatus.OPEN,
        "reported_at": T0,
        "received_at": T0,
    }
    return Report(**(base | fields))


def test_the_same_village_is_named_as_the_region_names_it() -> None:
    open_report = Candidate("r1", "gelandangan", T0, "Kedungwungu", "Anjatan", village_word="desa")
    new = later(category="gelandangan", kelurahan="Kedungwungu", kecamatan="Anjatan")
    new = Candidate(**{**new.__dict__, "village_word": "desa"})
    verdict = judge_nearby(new, [open_report], POLICY, TAXONOMY)
    assert verdict is not None and verdict.linked
    assert verdict.reason == "same desa, 40 min"  # the page says "desa yang sama, 40 menit"
