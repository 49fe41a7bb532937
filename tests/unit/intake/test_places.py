"""Finding places as people write them, in any kabupaten/kota: abbreviations, names that are also
everyday words, typos, partial names, names several kecamatan share (never guessed: the triage
queue is told), and other kabupaten/kota of the province told by their towns and villages."""

from __future__ import annotations

import pytest

from services.intake.domain.address import address_in
from services.intake.domain.elsewhere import ElsewhereFinder
from services.intake.domain.gazetteer import gazetteer
from services.intake.domain.placematch import TYPO_THRESHOLD, variants
from services.intake.domain.text import normalise
from services.intake.ingest import elsewhere_for
from trc.region.everyday import NEAR

BATAM, MAKASSAR, INDRAMAYU = "21.71", "73.71", "32.12"


def place(region: str, text: str) -> tuple[str | None, str | None] | None:
    guess = gazetteer(region).find(text)
    return None if guess is None else (guess.kecamatan, guess.kelurahan)


@pytest.mark.parametrize(
    ("abbreviated", "written"),
    [
        ("Kel. Tiban Baru", "kelurahan tiban baru"),
        ("Kec. Sekupang", "kecamatan sekupang"),
        ("Sei Panas", "sungai panas"),
        ("Tj. Riau, Tg. Uncang", "tanjung riau tanjung uncang"),
        ("Kp. Seraya", "kampung seraya"),
        ("Jl. Gatot Subroto Gg. 3", "jalan gatot subroto gang 3"),
    ],
)
def test_abbreviations_are_written_out(abbreviated: str, written: str) -> None:
    assert normalise(abbreviated) == written


@pytest.mark.parametrize(
    ("region", "text", "found"),
    [
        (BATAM, "anak tidur di Kel. Tg. Uncang", ("Batu Aji", "Tanjung Uncang")),
        (BATAM, "ODGJ di Kp. Seraya", ("Batu Ampar", "Kampung Seraya")),
        (BATAM, "pengemis di Tj. Riau", ("Sekupang", "Tanjung Riau")),
        (BATAM, "anak2 di Pelabuhan Sekupang", ("Sekupang", "Tanjung Pinggir")),  # a landmark
        (INDRAMAYU, "lansia di Desa Sukagumiwang", ("Sukagumiwang", "Sukagumiwang")),
        (INDRAMAYU, "gelandangan di Kec. Haurgeulis", ("Haurgeulis", None)),
    ],
)
def test_places_are_found_however_abbreviated(region: str, text: str, found: tuple) -> None:
    assert place(region, text) == found


@pytest.mark.parametrize(
    ("region", "text", "found"),
    [
        # the national list writes these joined; people write them apart
        ("61.71", "adiknya disuruh jual sabu di Kel. Sungai Beliung", ("Pontianak Barat", "Sungaibeliung")),
        ("61.71", "korban kebakaran Sungai Jawi Dalam ditampung", ("Pontianak Barat", "Sungaijawi Dalam")),
        # and numbered ones in words; people write the digits
        ("16.71", "anak SMP di Kel. 35 Ilir tinggal sendiri", ("Ilir Barat Dua", "Tiga-puluh-lima Ilir")),
        ("16.71", "nenek di 7 ulu tidak ada yang urus", ("Seberang Ulu Satu", "Tujuh Ulu")),
    ],
)  # fmt: skip
def test_joined_and_numbered_names_are_found_as_people_write_them(
    region: str, text: str, found: tuple
) -> None:
    assert place(region, text) == found


def test_name_variants_split_a_joined_word_and_write_a_number_in_digits() -> None:
    assert variants("sungaibeliung") == {"sungai beliung"}
    assert variants("tiga puluh lima ilir") == {"35 ilir"}
    assert variants("dua belas ulu") == {"12 ulu"}
    assert variants("sebelas ulu") == {"11 ulu"}
    assert variants("batu ampar") == set()  # apart already
    assert variants("airputih") == set()  # "air putih" is drinking water: not split
    assert variants("lima") == set()  # a number alone is no name


def test_names_that_are_everyday_words_need_their_level_word() -> None:
    assert place(MAKASSAR, "jual rumah baru, galang dana untuk daya listrik") is None
    assert place(MAKASSAR, "nenek di kelurahan baru") == ("Ujung Pandang", "Baru")
    assert place(BATAM, "ada galang dana") is None
    assert place(BATAM, "pengemis di kecamatan galang") == ("Galang", None)
    assert place(INDRAMAYU, "dibawa ke tugu") is None
    assert place(INDRAMAYU, "di desa tugu kecamatan lelea") == ("Lelea", "Tugu")
    # … or a word for an area or a facility named after the place it stands in.
    assert place(MAKASSAR, "bapak buta di pasar daya") == ("Biringkanaya", "Daya")
    assert place(MAKASSAR, "kami di daerah manggala") == ("Manggala", "Manggala")
    # The region's own name is the city, not its kecamatan of that name.
    assert place(MAKASSAR, "gelandangan di makassar") is None
    assert place(MAKASSAR, "gelandangan di kecamatan makassar") == ("Makassar", None)


def test_a_typo_in_a_name_is_read_but_a_word_of_the_language_never_is() -> None:
    assert place(BATAM, "remaja dipukuli di depan minimarket tembsi") == ("Sagulung", "Tembesi")
    assert place(BATAM, "ODGJ di tanjung uncag") == ("Batu Aji", "Tanjung Uncang")
    guess = gazetteer(BATAM).find("tembsi")
    assert guess is not None and guess.matched == "tembsi" and guess.confidence < 0.9
    assert place(BATAM, "jatuh bulan lalu") is None  # not Kecamatan Bulang
    assert place(MAKASSAR, "pengemis pura2 buntung") is None  # not Kelurahan Butung
    assert NEAR <= TYPO_THRESHOLD  # the vendored not-typo words cover the threshold


def test_a_partial_name_shared_by_one_kecamatans_villages_gives_that_kecamatan() -> None:
    assert place(BATAM, "opung pikun nyasar di Tiban") == ("Sekupang", None)
    assert place(MAKASSAR, "anak di barrang") == ("Kepulauan Sangkarrang", None)
    assert place(BATAM, "tidur di Tiban Lama") == ("Sekupang", "Tiban Lama")


def test_a_name_two_kecamatan_share_is_resolved_by_the_kecamatan_named_or_left_open() -> None:
    guess = gazetteer(INDRAMAYU).find("anak terlantar di Desa Mekarsari")
    assert guess is not None and guess.ambiguous
    assert (guess.kecamatan, guess.kelurahan, guess.confidence) == (None, None, 0.0)
    assert guess.candidates == ("Mekarsari (Kec. Patrol)", "Mekarsari (Kec. Tukdana)")
    assert place(INDRAMAYU, "di Mekarsari kec. Patrol") == ("Patrol", "Mekarsari")
    assert place(INDRAMAYU, "Karanganyar, Kandanghaur") == ("Kandanghaur", "Karanganyar")
    three = gazetteer(INDRAMAYU).find("di Karanganyar")
    assert three is not None and len(three.candidates) == 3


@pytest.mark.parametrize(
    ("region", "text", "elsewhere"),
    [
        (MAKASSAR, "ada nenek terlantar di Sungguminasa", "Kabupaten Gowa"),
        (MAKASSAR, "anak jalanan di bundaran Sungguminasa", "Kabupaten Gowa"),  # takes its name
        (MAKASSAR, "anak jalanan di jalan Sungguminasa", None),  # a street is named after anything
        (MAKASSAR, "nenek dari Sungguminasa tidur di emperan", None),  # where she came from
        (BATAM, "dicari anak hilang di Tanjung Uban", "Kabupaten Bintan"),  # a partial name
        (BATAM, "kebakaran di Senggarang semalam", "Kota Tanjung Pinang"),
        (MAKASSAR, "anak jualan kue di masjid toddopuli", None),  # a building named after anything
        (MAKASSAR, "lansia di lampu merah andi tonro", None),  # a street named after a person
        (MAKASSAR, "bapak baring di kardus depan toko", None),  # an everyday word
    ],
)
def test_other_kabupaten_kota_are_told_by_their_towns_and_villages(
    region: str, text: str, elsewhere: str | None
) -> None:
    found = elsewhere_for(region).find(text)
    assert (found.name if found else None) == elsewhere


def test_a_town_elsewhere_does_not_count_where_the_text_names_a_place_of_the_department() -> None:
    finder = elsewhere_for(MAKASSAR)
    assert finder.find("warga Sungguminasa terlantar di Tamalanrea", here=True) is None
    assert finder.find("di Sungguminasa", here=False) is not None
    # Names the department's own region has are never another region's.
    own = {s for p in gazetteer(MAKASSAR).places for s in p.names}
    assert not own & set(gazetteer(MAKASSAR).nearby)
    assert ElsewhereFinder(MAKASSAR).find("di Sungguminasa") is None  # no province data given


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("anak jualan tisu di jl. toddopuli raya", "jalan toddopuli raya"),
        ("ada org bugil di depan BCS mall skrg", "depan bcs mall"),  # the mall's name first
        ("ibu2 gendong bayi di lampu merah pettarani-alauddin", "lampu merah pettarani alauddin"),
        ("anak dipukuli di pajak Petisah", "pajak petisah"),  # Medan's market
        ("kakek linglung di Mal Ratu Indah dari pagi", "mal ratu indah"),
        ("sy ke mall tadi", None),
        ("minta air putih", None),
    ],
)
def test_an_address_is_what_a_team_can_find_in_any_city(text: str, found: str | None) -> None:
    assert address_in(text) == found
