"""Other kabupaten/kota named the way people write them (short names, kabupaten capitals), and a
relative's town that is not where the person is."""

from __future__ import annotations

import pytest

from services.intake.domain.elsewhere import _bare, short_names
from services.intake.ingest import elsewhere_for
from shared.contracts.regions import known_region_codes, region_name

MAKASSAR, DENPASAR, SURABAYA = "73.71", "51.71", "35.78"


def test_every_short_name_names_one_kabupaten_or_kota_of_the_national_list() -> None:
    official = {_bare(region_name(code)) for code in known_region_codes()}
    names = {**short_names()["short"], **short_names()["towns"]}
    assert names
    assert not [n for n in names.values() if _bare(n) not in official]


@pytest.mark.parametrize(
    ("department", "text", "code"),
    [
        (MAKASSAR, "Nenek tidur di los pasar di Sidrap, tdk ada yg urus", "73.14"),
        (SURABAYA, "ada bapak tua linglung di terminal Tembilahan sejak kemarin", "14.04"),
        (DENPASAR, "anak2 ngamen di lampu merah di Solo sampai malam", "33.72"),
    ],
)
def test_a_short_name_or_a_capital_places_the_person_elsewhere(
    department: str, text: str, code: str
) -> None:
    found = elsewhere_for(department).find(text)
    assert found is not None and found.region_code == code


@pytest.mark.parametrize(
    ("department", "text"),
    [
        (DENPASAR, "Pemuda di kos Jl. Gunung Agung tiap hari ngelem, ortunya di Singaraja"),
        (MAKASSAR, "Kakak beradik yatim di Kel. Bonto Duri, tante di Pangkep belum sanggup ambil"),
        (SURABAYA, "Kakek tidur di emperan toko Jl. Kapasan, orang tua di Sidrap tdk tahu"),
        (DENPASAR, "Bapak ini main musik solo di depan toko tiap malam, tidur di emperan"),
        (
            MAKASSAR,
            "Nenek di Kel. Bonto Lebang terbaring di lantai, anaknya di Kendari tdk bisa datang",
        ),
    ],
)
def test_a_relatives_town_or_a_word_is_not_where_the_person_is(department: str, text: str) -> None:
    assert elsewhere_for(department).find(text) is None
