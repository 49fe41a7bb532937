"""What a team reads on an assignment's message and which buttons it gets: the text in Bahasa
Indonesia and English for each priority, the status line of each state, and the keyboards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.notify.texts import assignment_body, buttons, status_line, with_status
from shared.contracts.events import AssignmentCreated
from shared.contracts.vocabulary import Priority

TOKEN = "Xy12_-ab34CDefGH"
BATAM = "21.71"


def created(**extra: object) -> AssignmentCreated:
    return AssignmentCreated.model_validate(AssignmentCreated.EXAMPLE | extra)


def test_an_assignment_reads_in_bahasa_indonesia() -> None:
    assert assignment_body(created(), BATAM, "id").splitlines() == [
        "🔴 P1 · Anak jalanan",
        "Nomor: 21.71-261122-0001",
        "Tempat: Belian, Batam Kota",
        "Laporan: Anak kecil sendirian di tepi jalan, tampak terluka.",
        "Jumlah orang: 1",
        "Bahaya: anak, darurat medis",
        "Sumber: telepon call center",
        "Terima sebelum: 22 Nov 2026 20.07 WIB",
        "Alasan penugasan: zone match, load 1/3",
    ]


def test_an_assignment_reads_in_english() -> None:
    assert assignment_body(created(), BATAM, "en").splitlines() == [
        "🔴 P1 · Anak jalanan",
        "Number: 21.71-261122-0001",
        "Place: Belian, Batam Kota",
        "Report: Anak kecil sendirian di tepi jalan, tampak terluka.",
        "People: 1",
        "Danger: child, medical emergency",
        "Source: call-center phone",
        "Accept before: 22 Nov 2026 20:07 WIB",
        "Why this team: zone match, load 1/3",
    ]


@pytest.mark.parametrize(
    ("priority", "icon"),
    [(Priority.P1, "🔴"), (Priority.P2, "🟠"), (Priority.P3, "🟡"), (Priority.P4, "🔵")],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_first_line_shows_the_priority_with_its_colour(
    priority: Priority, icon: str, lang: str
) -> None:
    body = assignment_body(created(priority=priority, danger_flags=[]), BATAM, lang)
    assert body.splitlines()[0] == f"{icon} {priority.value} · Anak jalanan"


def keyboard(markup: dict[str, object]) -> list[list[dict[str, str]]]:
    return markup["inline_keyboard"]  # type: ignore[return-value]


def test_a_known_position_adds_a_map_link_and_a_missing_place_a_dash() -> None:
    located = created(location={"latitude": 1.12, "longitude": 104.05})
    lines = assignment_body(located, BATAM, "id").splitlines()
    assert "Tempat: —" in lines
    assert (
        "Peta: https://www.openstreetmap.org/?mlat=1.12&mlon=104.05#map=17/1.12/104.05" in lines
    )


def test_a_new_assignment_has_all_six_buttons_in_two_rows_of_three() -> None:
    assert buttons(TOKEN, "id") == {
        "inline_keyboard": [
            [
                {"text": "Terima", "callback_data": f"t:{TOKEN}"},
                {"text": "Menuju lokasi", "callback_data": f"m:{TOKEN}"},
                {"text": "Tiba", "callback_data": f"b:{TOKEN}"},
            ],
            [
                {"text": "Diamankan", "callback_data": f"d:{TOKEN}"},
                {"text": "Tidak ditemukan", "callback_data": f"n:{TOKEN}"},
                {"text": "Catatan", "callback_data": f"c:{TOKEN}"},
            ],
        ]
    }


def test_the_english_buttons_carry_the_same_callback_data() -> None:
    english, indonesian = keyboard(buttons(TOKEN, "en")), keyboard(buttons(TOKEN, "id"))
    assert [[b["text"] for b in row] for row in english] == [
        ["Accept", "On my way", "Arrived"],
        ["Secured", "Not found", "Note"],
    ]
    assert [[b["callback_data"] for b in row] for row in english] == [
        [b["callback_data"] for b in row] for row in indonesian
    ]


def test_a_check_in_on_scene_offers_only_the_outcomes_and_a_note() -> None:
    keyboard = buttons(TOKEN, "id", only=("secured", "not_found", "note"))
    assert keyboard == {
        "inline_keyboard": [
            [
                {"text": "Diamankan", "callback_data": f"d:{TOKEN}"},
                {"text": "Tidak ditemukan", "callback_data": f"n:{TOKEN}"},
                {"text": "Catatan", "callback_data": f"c:{TOKEN}"},
            ]
        ]
    }


AT = datetime(2026, 11, 22, 13, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "indonesian", "english"),
    [
        ("acknowledged", "Terima", "Accept"),
        ("en_route", "Menuju lokasi", "On my way"),
        ("on_scene", "Tiba", "Arrived"),
        ("secured", "Diamankan", "Secured"),
        ("not_found", "Tidak ditemukan", "Not found"),
        ("closed", "closed", "closed"),
        ("handed_over", "handed over", "handed over"),
    ],
)
def test_each_state_has_its_status_line(state: str, indonesian: str, english: str) -> None:
    by_member = status_line(state, "Anggota 14", AT, BATAM, "id")
    assert by_member == f"{indonesian} oleh Anggota 14 (22 Nov 2026 20.06 WIB)"
    assert status_line(state, "Anggota 14", AT, BATAM, "en") == f"{english} by Anggota 14 (22 Nov 2026 20:06 WIB)"


def test_a_status_without_a_member_names_nobody() -> None:
    assert status_line("secured", None, AT, BATAM, "id") == "Diamankan (22 Nov 2026 20.06 WIB)"


def test_the_status_goes_below_the_body_and_none_leaves_it_as_it_was() -> None:
    assert with_status("Tugas", "Tiba (…)", "id") == "Tugas\n\nStatus: Tiba (…)"
    assert with_status("Tugas", "", "en") == "Tugas"
