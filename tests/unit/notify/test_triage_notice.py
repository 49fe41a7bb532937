"""What the supervisors read when a P1 report waits in intake's triage queue: that it is a P1
waiting for triage and why, when it came in (the region's own zone), what was reported (cut at
300 characters) and that an operator must open /triase — in Bahasa Indonesia or English."""

from __future__ import annotations

from services.notify.texts import TRIAGE_TEXT_LIMIT, awaiting_triage
from shared.contracts.events import ReportAwaitingTriage

BATAM, MAKASSAR, JAYAPURA = "21.71", "73.71", "91.71"


def waiting(**extra: object) -> ReportAwaitingTriage:
    return ReportAwaitingTriage.model_validate(ReportAwaitingTriage.EXAMPLE | extra)


def test_the_example_of_the_contract_validates() -> None:
    r = waiting()
    assert (r.priority.value, r.triage_reason) == ("P1", "lokasi tidak jelas / unclear place")
    assert ReportAwaitingTriage.model_validate_json(r.model_dump_json()) == r


def test_in_indonesian_it_says_p1_the_reason_the_local_time_the_text_and_what_to_do() -> None:
    lines = awaiting_triage(waiting(), BATAM, "id").splitlines()
    assert lines == [
        "🔴 P1 MENUNGGU TRIASE — belum ada tim yang bisa dikirim: lokasi tidak jelas.",
        "Diterima: 23 Nov 2026 01.40 WIB",
        "Sumber: media sosial",
        "Kategori (saran): Anak balita terlantar",
        "Bahaya: anak",
        "Laporan: Tolong ada bayi ditinggal sendirian di emperan toko, nangis terus.",
        "Operator: buka antrean triase (/triase di layanan intake) sekarang.",
    ]


def test_in_english_the_reason_and_the_time_are_english() -> None:
    text = awaiting_triage(waiting(), MAKASSAR, "en")
    assert text.startswith("🔴 P1 WAITING FOR TRIAGE — no team can be sent yet: unclear place.")
    assert "Received: 23 Nov 2026 02:40 WITA" in text
    assert "Category (suggested): Anak balita terlantar" in text
    assert text.endswith("Operator: open the triage queue (/triase on the intake service) now.")


def test_the_time_is_the_regions_own_zone() -> None:
    assert "Diterima: 23 Nov 2026 03.40 WIT" in awaiting_triage(waiting(), JAYAPURA, "id")


def test_a_long_text_is_cut_and_no_category_or_danger_is_left_out() -> None:
    long = "anak kecil menangis sendirian " * 30
    text = awaiting_triage(waiting(description=long, category=None, danger_flags=[]), BATAM, "id")
    [report] = [line for line in text.splitlines() if line.startswith("Laporan: ")]
    quoted = report.removeprefix("Laporan: ")
    assert len(quoted) <= TRIAGE_TEXT_LIMIT and quoted.endswith("…")
    assert "Kategori" not in text and "Bahaya" not in text


def test_a_reason_in_one_language_only_is_said_as_it_is() -> None:
    text = awaiting_triage(waiting(triage_reason="ditahan operator"), BATAM, "en")
    assert text.splitlines()[0].endswith(": ditahan operator.")


def test_a_reminder_says_it_still_waits_since_when_and_for_how_long() -> None:
    reminder = waiting(reminder=2, announced_at="2026-11-22T19:00:00Z")
    lines = awaiting_triage(reminder, BATAM, "id").splitlines()
    assert lines[0] == (
        "🔴 P1 MASIH MENUNGGU TRIASE (pengingat ke-2, sejak 01.40 WIB, 20 menit) — "
        "belum ada tim yang bisa dikirim: lokasi tidak jelas."
    )
    assert lines[1:] == awaiting_triage(waiting(), BATAM, "id").splitlines()[1:]


def test_a_reminder_in_english_in_the_regions_zone() -> None:
    reminder = waiting(reminder=1, announced_at="2026-11-22T18:50:30Z")
    assert awaiting_triage(reminder, MAKASSAR, "en").splitlines()[0] == (
        "🔴 P1 STILL WAITING FOR TRIAGE (reminder 1, since 02:40 WITA, 10 min) — "
        "no team can be sent yet: unclear place."
    )


def test_a_reminder_without_its_time_leaves_the_minutes_out() -> None:
    reminder = waiting(reminder=3, announced_at=None)
    assert awaiting_triage(reminder, JAYAPURA, "id").startswith(
        "🔴 P1 MASIH MENUNGGU TRIASE (pengingat ke-3, sejak 03.40 WIT) — "
    )


def test_the_first_notice_is_unchanged_by_the_new_fields() -> None:
    assert awaiting_triage(waiting(reminder=0), BATAM, "id").startswith(
        "🔴 P1 MENUNGGU TRIASE — belum ada tim"
    )
