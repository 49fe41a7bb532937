"""What the supervisors read when a P1 they were told of leaves the triage queue: sent to a team
(category, kecamatan) or dismissed (the reason, to check), by whom and when in the region's own
zone, with the report's text shortened — in Bahasa Indonesia or English."""

from __future__ import annotations

from services.notify.texts import TRIAGE_TEXT_LIMIT, triaged
from shared.contracts.events import ReportTriaged

BATAM, MAKASSAR, JAYAPURA = "21.71", "73.71", "91.71"


def decided(**extra: object) -> ReportTriaged:
    return ReportTriaged.model_validate(ReportTriaged.EXAMPLE | extra)


def dispatched() -> ReportTriaged:
    return decided(
        outcome="dispatched", reason=None, category="anak_balita_terlantar", kecamatan="Lubuk Baja"
    )


def test_the_example_of_the_contract_validates() -> None:
    r = decided()
    assert (r.priority.value, r.outcome, r.operator) == ("P1", "dismissed", "rina")
    assert ReportTriaged.model_validate_json(r.model_dump_json()) == r


def test_a_dismissal_in_indonesian_says_who_when_why_and_to_check() -> None:
    assert triaged(decided(), BATAM, "id").splitlines() == [
        "⚠️ P1 dari antrean triase DIABAIKAN oleh rina (01.52 WIB): alasan «iklan / an "
        "advertisement». Periksa bila ragu.",
        "Laporan: Tolong ada bayi ditinggal sendirian di emperan toko, nangis terus.",
    ]


def test_a_dispatch_in_indonesian_says_the_category_and_kecamatan() -> None:
    head = triaged(dispatched(), BATAM, "id").splitlines()[0]
    assert head == (
        "✅ P1 dari antrean triase dikirim ke tim oleh rina (01.52 WIB): "
        "Anak balita terlantar, Lubuk Baja."
    )


def test_in_english_with_the_regions_own_zone() -> None:
    text = triaged(decided(), MAKASSAR, "en")
    assert text.startswith("⚠️ P1 from the triage queue DISMISSED by rina (02:52 WITA): reason «")
    assert "Check it if in doubt." in text and "Report: Tolong ada bayi" in text
    head = triaged(dispatched(), JAYAPURA, "en").splitlines()[0]
    assert head == (
        "✅ P1 from the triage queue sent to a team by rina (03:52 WIT): "
        "Anak balita terlantar, Lubuk Baja."
    )


def test_a_long_text_is_shortened_as_in_the_first_notice() -> None:
    long = "anak kecil menangis sendirian " * 30
    [_, report] = triaged(decided(description=long), BATAM, "id").splitlines()
    quoted = report.removeprefix("Laporan: ")
    assert len(quoted) <= TRIAGE_TEXT_LIMIT and quoted.endswith("…")
