"""Texts that place their person in another kabupaten/kota or province than the department's.

The names are every province and kabupaten/kota of Kemendagri's list (``shared.contracts``),
without "Kota"/"Kabupaten": "Tanjungpinang", "Gowa", "Medan". A name that is also an everyday word
("batu", "malang", "padang", "metro", "puncak") counts only after "kota"/"kab"/
"kabupaten"/"provinsi" — and, for most, after "di" ("di palu"; not "di batu", "di serang"). The
department's own names (its city, its province, its own places) are taken out of the text first:
"Kepulauan Riau" is not Riau, Kecamatan Wajo in Makassar is not Kabupaten Wajo.

The other kabupaten/kota of the department's province are told by their kecamatan and
kelurahan/desa too ("di Sungguminasa" is Kabupaten Gowa, "Tanjung Uban" Kabupaten Bintan), when the
name is distinctive — several words, or one that is no everyday word —, belongs to one
kabupaten/kota only, and is no name of the department's own region; only where the text names no
place of the department's own, and not right after a street, estate or building word or a person's
title: a city names its streets and buildings after places and people ("jl. andi tonro" is in
Makassar); a market, terminal or harbour takes the name of the place it stands in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from services.intake.domain.placematch import is_everyday, shared_starts, spelling_of
from services.intake.domain.text import normalise
from services.intake.domain.wilayah import RegionData
from shared.contracts.regions import known_region_codes, region_name

PREFIXES = ("kota administrasi", "kabupaten administrasi", "kota", "kabupaten", "kab")
# Region names that are also everyday words (or food, or brands): only with a prefix.
EVERYDAY_WORDS = frozenset(
    {
        "aru", "bone", "batu", "batang", "banjar", "buru", "bungo", "karo", "kota", "kudus",
        "lebak", "malaka", "malang", "metro", "muna", "padang", "palu", "pati", "puncak",
        "sabu", "seram", "serang", "solok", "sula", "tegal", "agam", "belu", "alor", "deli",
        "solo",
    }
)  # fmt: skip
# Of those, the ones that after "di" name the city: "di palu" is Kota Palu ("di batu" may be on a
# stone, "di serang" attacked, "di banjar" a Balinese hamlet).
AFTER_DI = EVERYDAY_WORDS - {"batu", "batang", "banjar", "kota", "serang", "tegal", "deli", "bone",
                             "buru", "lebak", "sula", "seram", "puncak"}  # fmt: skip
# Common short names people write instead of the official one.
ALIASES = {"jkt": "31", "jakarta": "31", "jogja": "34", "yogya": "34", "jogjakarta": "34"}


@dataclass(frozen=True)
class Elsewhere:
    region_code: str
    name: str  # as the official list writes it
    matched: str  # the spelling found in the text


def _bare(name: str) -> str:
    words = normalise(name)
    for prefix in PREFIXES:
        if words.startswith(prefix + " "):
            return words[len(prefix) + 1 :]
    for prefix in ("provinsi ", "daerah khusus ibukota ", "dki ", "daerah istimewa "):
        words = words.removeprefix(prefix)
    return words


@cache
def _names() -> tuple[tuple[str, str], ...]:
    """(spelling, code) of every region, longest first: "jakarta selatan" before "jakarta"."""
    found: dict[str, str] = {}
    for code in known_region_codes():
        bare = _bare(region_name(code))
        found.setdefault(bare, code)
        if " " in bare:
            found.setdefault(bare.replace(" ", ""), code)  # "tanjungpinang"
    for alias, code in ALIASES.items():
        found.setdefault(alias, code)
    for short, official in short_names()["short"].items():
        found.setdefault(normalise(short), found[_bare(official)])
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


@cache
def short_names() -> dict[str, dict[str, str]]:
    """How people name a kabupaten/kota besides the national list (``data/
    region_short_names.json``): ``short`` forms ("sidrap", "kukar") and ``towns`` it is known
    by ("tembilahan", "sungguminasa"), each → the kabupaten/kota's name in the list."""
    path = files("services.intake").joinpath("data", "region_short_names.json")
    data: dict[str, dict[str, str]] = json.loads(path.read_text())
    return {"short": data["short"], "towns": data["towns"]}


@cache
def _towns() -> dict[str, str]:
    """{spelling: code} of :func:`short_names`' towns."""
    codes = dict(_names())  # each spelling once
    return {normalise(town): codes[_bare(name)] for town, name in short_names()["towns"].items()}


class ElsewhereFinder:
    """Finds the first other region a text names, for one department."""

    def __init__(
        self,
        region_code: str,
        own_places: tuple[str, ...] = (),
        nearby: Mapping[str, str] | None = None,
    ) -> None:
        own = {region_code, region_code[:2]}
        # a place name of another kab/kota → its code: the province's (``nearby``, from the
        # national list), and the towns a kabupaten/kota of another province is known by
        towns = {t: code for t, code in _towns().items() if code[:2] != region_code[:2]}
        self._nearby = {**towns, **dict(nearby or {})}
        self._nearby_words = max((s.count(" ") + 1 for s in self._nearby), default=0)
        self._own_phrases = sorted(
            {_bare(region_name(code)) for code in own}
            | {normalise(region_name(code)) for code in own}
            | {normalise(p) for p in own_places},
            key=len,
            reverse=True,
        )
        self._others = [(spelling, code) for spelling, code in _names() if code not in own]

    def find(self, text: str, *, here: bool = False) -> Elsewhere | None:
        """The other region where the text places its person: named with its prefix ("Kab.
        Wajo") even where the department has a place of that name, otherwise by its bare name
        outside the department's own names, or (``here`` False: the text names no place of the
        department's own) by a place of another kab/kota of the province; never a place of
        origin ("dari Medan", "asal Gowa")."""
        words = f" {normalise(text)} "
        named = [(s, code) for s, code in self._others if f" {s} " in words]  # the few it names
        for spelling, code in named:
            prefixed = (f"{p} {spelling}" for p in (*PREFIXES, "provinsi"))
            if any(_said_as_here(words, phrase) for phrase in prefixed):
                return Elsewhere(code, region_name(code), spelling)
        for phrase in self._own_phrases:
            while f" {phrase} " in words:
                words = words.replace(f" {phrase} ", " | ")
        for spelling, code in named:
            if spelling not in EVERYDAY_WORDS and _said_as_here(words, spelling):
                return Elsewhere(code, region_name(code), spelling)
            if spelling in AFTER_DI and f" di {spelling} " in words:
                return Elsewhere(code, region_name(code), spelling)  # "di palu", "di padang"
        return None if here else self._nearby_place(words)

    def _nearby_place(self, words: str) -> Elsewhere | None:
        split = words.split()
        for n in range(self._nearby_words, 0, -1):
            for start in range(len(split) - n + 1):
                phrase = " ".join(split[start : start + n])
                code = self._nearby.get(phrase)
                before = split[start - 1] if start else ""
                if code is None or before in _NAMED_AFTER:
                    continue
                if _said_as_here(words, phrase):
                    return Elsewhere(code, region_name(code), phrase)
        return None


def nearby_names(own_spellings: Iterable[str], others: Iterable[RegionData]) -> dict[str, str]:
    """{spelling: kab/kota code} of the distinctive kecamatan and kelurahan/desa names (and the
    shared first words of several, "tanjung uban") of the province's other kabupaten/kota."""
    homes: dict[str, set[str]] = {}
    everyday: frozenset[str] = frozenset()
    for region in others:
        everyday = region.everyday
        names = {spelling_of(k.name) for k in region.kecamatan}
        villages = [(spelling_of(v.name), k.code) for k in region.kecamatan for v in k.villages]
        names |= {name for name, _kec in villages}
        names |= set(_starts(villages))
        for name in names:
            homes.setdefault(name, set()).add(region.code)
    own = set(own_spellings)
    return {
        name: next(iter(codes))
        for name, codes in homes.items()
        if len(codes) == 1 and name not in own and _distinctive(name, everyday)
    }


def _starts(villages: list[tuple[str, str]]) -> Iterable[str]:
    """First words several villages of one kab/kota share (any kecamatan of it)."""
    return shared_starts((name, "") for name, _kec in villages)


def _distinctive(name: str, everyday: frozenset[str]) -> bool:
    if is_everyday(name, everyday):
        return False  # "masing masing" is said twice, not a name
    return " " in name or len(name) >= 5


# A person's titles: a name after one is a person's (a street named after them), not a place.
TITLES = frozenset(
    {"andi", "sultan", "syekh", "haji", "daeng", "karaeng", "opu", "teuku", "tengku", "pangeran",
     "kyai", "raden"}
)  # fmt: skip
# Streets, estates and buildings are named after anything — a person, another town ("jl.
# toddopuli", "masjid raya makassar"); a market, a terminal, a harbour, a square or a beach takes
# the name of the place it stands in ("terminal sungguminasa", "alun-alun watampone"): after
# those a name of another kab/kota places the text there. (Development set: other-region reports
# dispatched 15.7 → 13.8 %, genuine reports dispatched 91.9 → 91.8 %.)
NAMED_AFTER_ANYTHING = frozenset(
    {"jalan", "gang", "lorong", "komplek", "kompleks", "perumahan", "perum", "btn", "blok",
     "kampus", "sekolah", "universitas", "kantor", "hotel", "masjid", "mesjid", "gereja",
     "musholla", "mushola"}
)  # fmt: skip
_NAMED_AFTER = NAMED_AFTER_ANYTHING | TITLES


# Words after which a region is not where the person is now: where they came from or are going,
# or a street named after it ("jl. landak", "jalan bone").
NOT_HERE = frozenset(
    {"dari", "dr", "asal", "asli", "pindahan", "perantau", "kelahiran", "ke", "via", "menuju",
     "pulang", "jalan", "gang", "lorong"}
)  # fmt: skip


# A relative of the person (not the person): "ortunya di Singaraja", "tante di Pangkep" — the
# family elsewhere, the person here. (The bare "anak", "ibu", "nenek" are as often the person.)
RELATIVES = frozenset(
    {"keluarga", "keluarganya", "ortu", "ortunya", "orangtua", "orangtuanya", "tante", "om",
     "paman", "bibi", "sepupu", "sepupunya", "saudara", "saudaranya", "kerabat", "kerabatnya",
     "anaknya", "suaminya", "istrinya", "kakaknya", "adiknya", "tantenya", "pamannya"}
)  # fmt: skip


def _said_as_here(words: str, phrase: str) -> bool:
    """``phrase`` occurs in ``words`` (padded with spaces) at least once not just after a word of
    :data:`NOT_HERE` (or two words after it: "dari kota Medan", "jalan ratulangi landak"), nor
    after a relative (:data:`RELATIVES`, "orang tua": where the family is)."""
    start = words.find(f" {phrase} ")
    while start != -1:
        before = words[:start].split()[-3:]
        relative = RELATIVES & set(before) or "orang tua" in " ".join(before)
        if not NOT_HERE & set(before) and not relative:
            return True
        start = words.find(f" {phrase} ", start + 1)
    return False
