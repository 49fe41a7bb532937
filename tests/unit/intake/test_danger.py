"""Danger in every form people write it (word roots under Indonesian affixes), a disaster placed
days ago is not immediate danger, the night a text's own clock tells, and what is immediate:
a danger happening now, not one told as a habit, an aftermath or with the person safe now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.intake.domain.danger import danger_from_roots, roots
from services.intake.domain.priority import decide_priority
from services.intake.domain.text import normalise
from services.intake.domain.urgency import clock_at_night, in_the_past
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


@pytest.mark.parametrize(
    "text", ["banjir minggu lalu", "rumah terbakar 2 hari lalu", "kemarin longsor"]
)
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
    found = classifier_for("21.71").classify("Pkl 23.40 anak perempuan ±6th, ortu tdk diketahui")
    assert found.mentions_night and found.mentions_alone
    decision = decide_priority(
        category="anak_terlantar", danger_flags=set(found.danger_flags) | {DangerFlag.CHILD},
        local_time=datetime(2026, 12, 1, 10, 0, tzinfo=UTC), alone=found.mentions_alone,
        night_in_text=found.mentions_night,
    )  # fmt: skip
    assert decision.priority is Priority.P1


# --- Immediate or not: the same danger told now, as a habit, in an aftermath, or safe now ---

MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _priority(text: str, region: str = "21.71") -> Priority:
    found = classifier_for(region).classify(text)
    return decide_priority(
        category=found.category.code if found.category else None,
        danger_flags=set(found.urgent_flags), local_time=MORNING, alone=found.mentions_alone,
        night_in_text=found.mentions_night, infant_alone=found.mentions_infant_alone,
    ).priority  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["bapaknya sering mukulin istrinya kalau mabuk, anak2 takut pulang",
     "dulu pernah dipukul majikan, sekarang sudah aman di rumah saudara"],
)  # fmt: skip
def test_violence_told_as_a_habit_or_safe_now_is_on_the_report_but_not_a_rescue(text: str) -> None:
    found = classifier_for("21.71").classify(text)
    assert DangerFlag.VIOLENCE in found.danger_flags  # the team should know
    assert DangerFlag.VIOLENCE not in found.urgent_flags


@pytest.mark.parametrize(
    "text",
    ["suaminya sering mukulin dia, sekarang lagi dipukulin lagi di dalam rumah",
     "om itu sering kambuh, hari ini ngamuk bawa golok di depan warung"],
)  # fmt: skip
def test_violence_happening_now_or_armed_is_immediate_even_in_a_habit(text: str) -> None:
    assert DangerFlag.VIOLENCE in classifier_for("21.71").classify(text).urgent_flags


@pytest.mark.parametrize(
    "text", ["keluarga itu diancam diusir dari kontrakan", "anak2nya terancam putus sekolah"]
)
def test_a_threat_of_eviction_or_of_dropping_out_is_no_violence(text: str) -> None:
    assert DangerFlag.VIOLENCE not in classifier_for("21.71").classify(text).danger_flags


@pytest.mark.parametrize(
    ("text", "urgent"),
    [("tiga hari pascabanjir warga masih di posko masjid, butuh selimut", False),
     ("kampung kami kalau hujan pasti kebanjiran, mohon perhatian", False),
     ("banjir sepinggang, nenek terjebak di loteng belum bisa keluar", True),
     ("warga mengungsi ke masjid, banjir setinggi dada", True)],
)  # fmt: skip
def test_a_disaster_in_its_aftermath_or_season_is_not_a_rescue(text: str, urgent: bool) -> None:
    found = classifier_for("21.71").classify(text)
    assert (DangerFlag.DISASTER in found.urgent_flags) is urgent


@pytest.mark.parametrize(
    "text",
    ["kakek di pos ronda gk bs bangun dr pagi", "bayinya lemes ga gerak", "udh 3 hr tdk makan",
     "temennya mulutnya berbusa abis minum obat", "ibu itu hamil tua kayaknya mau lahiran"],
)  # fmt: skip
def test_being_unable_to_move_breathe_or_eat_is_a_medical_emergency(text: str) -> None:
    assert DangerFlag.MEDICAL in classifier_for("21.71").classify(text).urgent_flags


def test_a_dressed_wound_is_not_an_emergency_but_a_severe_one_is() -> None:
    assert (
        DangerFlag.MEDICAL
        not in classifier_for("21.71").classify("kakinya luka bernanah").danger_flags
    )
    assert (
        DangerFlag.MEDICAL in classifier_for("21.71").classify("kepalanya luka parah").danger_flags
    )


@pytest.mark.parametrize(
    ("text", "p1"),
    [("ada bayi ditemukan dalam kardus di depan ruko Kel. Belian", True),
     ("balita umur 2 tahun ditinggal sendirian di kos sejak pagi, Kel. Belian", True),
     ("ibu muda ditinggal suami dengan 3 balita, tidak punya uang, Kel. Belian", False),
     ("balita ditinggal ibunya merantau, sekarang diurus neneknya di Kel. Belian", False),
     ("anak 2 tahun sering ditinggal sendirian kalau ibunya kerja, Kel. Belian", False)],
)  # fmt: skip
def test_a_baby_or_toddler_alone_is_p1_at_any_hour(text: str, p1: bool) -> None:
    assert (_priority(text) is Priority.P1) is p1


@pytest.mark.parametrize(
    ("text", "night"),
    [("Call masuk 22.40 - anak nangis di halte", True), ("temuan 01:15: anak tidur di emperan", True),
     ("harga beras 21.500 sekilo", False), ("tanggal 12.05.2026 jam 9 pagi", False)],
)  # fmt: skip
def test_a_bare_clock_in_the_raw_text_tells_the_night(text: str, night: bool) -> None:
    assert clock_at_night(normalise(text), text) is night


def test_a_child_sleeping_out_on_a_named_night_is_p1_but_a_nightly_habit_told_by_day_is_not() -> (
    None
):
    assert _priority("jam 1 malam ini ada anak2 kecil tidur di trotoar Kel. Belian") is Priority.P1
    assert _priority("2 anak tidur di gerobak setiap malam di Kel. Belian") is not Priority.P1


def test_chat_spellings_are_read() -> None:
    assert normalise("tolonggg bapak mamanya ndak ada, gk bs bangun") == (
        "tolong bapak mamanya tidak ada tidak bisa bangun"
    )


@pytest.mark.parametrize(
    "text",
    ["istrinya dipukuli suaminya, terakhir 3 hari lalu, sekarang tinggal di rumah ibunya",
     "UPDATE: anak yang hilang di Kel. Belian sudah ditemukan tadi malam dalam keadaan sehat",
     "bayi yang ditemukan di teras masjid kemarin sudah dirawat di RS"],
)  # fmt: skip
def test_what_is_over_days_ago_or_resolved_is_no_p1(text: str) -> None:
    assert _priority(text) is not Priority.P1


@pytest.mark.parametrize(
    "text",
    ["ODGJ jalan di tengah jalan raya Kel. Belian, hampir ketabrak truk",
     "bapak itu belum mengamuk tapi keluarga takut, Kel. Belian"],
)  # fmt: skip
def test_a_danger_only_feared_or_denied_is_none(text: str) -> None:
    found = classifier_for("21.71").classify(text)
    assert not {DangerFlag.VIOLENCE, DangerFlag.MEDICAL} & set(found.danger_flags)


@pytest.mark.parametrize(
    ("text", "flag"),
    [("tawuran antar kampung masih berlangsung di Kel. Belian, rumah dibakar", DangerFlag.VIOLENCE),
     ("anak perempuan ditarik paksa lalu diculik pakai mobil hitam di Kel. Belian", DangerFlag.VIOLENCE),
     ("massa mengepung rumah ibadah di Kel. Belian sekarang", DangerFlag.VIOLENCE),
     ("air sudah sedada, satu keluarga di atap rumah Kel. Belian", DangerFlag.DISASTER),
     ("nenek di Kel. Belian tidak keluar rumah 2 hari, terdengar merintih", DangerFlag.MEDICAL)],
)  # fmt: skip
def test_emergencies_in_the_words_people_use_are_immediate(text: str, flag: DangerFlag) -> None:
    assert flag in classifier_for("21.71").classify(text).urgent_flags


def test_a_place_named_with_a_danger_word_is_a_place_but_a_lone_word_stays_a_danger() -> None:
    makassar = classifier_for("73.71")
    assert (
        DangerFlag.VIOLENCE
        not in makassar.classify("lansia tidur di pos Parang Tambung").danger_flags
    )
    assert DangerFlag.VIOLENCE in makassar.classify("ODGJ bawa parang di pasar").danger_flags


def test_a_child_is_known_by_a_written_age_and_by_the_models_category() -> None:
    assert (
        DangerFlag.CHILD
        in classifier_for("21.71").classify("adek umur 7 tahun jualan tisu").danger_flags
    )
    assert DangerFlag.CHILD in classifier_for("21.71").classify("ada yg ±8th ngamen").danger_flags
    assert (
        DangerFlag.CHILD
        not in classifier_for("21.71").classify("sudah 3 tahun tinggal di situ").danger_flags
    )
