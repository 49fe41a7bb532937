"""Finding a region's place names in normalised text: exact spellings, partial names, typos.

Rules (``docs/intake.md``, "Places anywhere"):

- A one-word name that is also an everyday word ("baru", "pasar", "harapan": the vendored
  ``everyday`` list; said twice too, "Masing-Masing"), shorter than four letters, or the
  region's own name (Kecamatan Makassar in Kota Makassar) counts only after the word for its
  level: "kelurahan"/"desa" for a village, "kecamatan"/"distrik" for a kecamatan ("kel.",
  "ds.", "kec." are expanded before), or after a word for an area or a public facility that
  takes the name of the place it stands in ("daerah manggala", "pasar daya", "terminal daya";
  not the region's own name: "wilayah makassar" is the city).
- A partial name that starts the names of several villages, all of ONE kecamatan ("tiban": Tiban
  Baru, Tiban Indah, Tiban Lama, Sekupang), names that kecamatan.
- A typo: in a name of six letters or more, one distinctive word (five letters or more, not
  everyday) written within :data:`TYPO_THRESHOLD` (rapidfuzz ``fuzz.ratio``) of it, the name's
  other words as written ("tembsi", "tanjung piayuu"). A word of the language close to a name
  ("bulan" and Bulang, the vendored ``not_typos``) is never a typo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from services.intake.domain.text import ABBREVIATIONS, normalise

# Chosen on the development set: of its 799 genuine reports with a labelled kecamatan, 85 placed
# 704 right and 2 wrong, 88 704 and 1, 90 703, 95 701, no typos 699. Never below 85: the
# vendored words of the language near a name (``not_typos``) are those within 85.
TYPO_THRESHOLD = 88.0
TYPO_MIN_LETTERS = 6  # a name shorter than this (without spaces) is never matched with a typo
TYPO_WORD_LETTERS = 5  # nor a word of a name shorter than this
SHORT = 4  # a one-word name shorter than this needs its level word
LEVEL_WORDS = {
    "kecamatan": frozenset({"kecamatan", "distrik"}),
    "kelurahan": frozenset({"kelurahan", "desa", "gampong", "nagari"}),
    "landmark": frozenset(),
}
# Words after which a one-word name is a place whatever else it means: an area, or a public
# facility named after the place it stands in.
PLACE_OPENERS = frozenset(
    {"daerah", "kawasan", "wilayah", "pasar", "terminal", "pelabuhan", "dermaga", "stasiun",
     "puskesmas"}
)  # fmt: skip


# Words that open many place names and that the national list sometimes writes joined to the
# rest ("Sungaibeliung", "Tanjunguma", "Daratsekip"), while people write them apart.
TOPONYM_WORDS = (
    "sungai", "tanjung", "tanjong", "teluk", "pulau", "bukit", "batu", "kampung", "padang",
    "muara", "ujung", "pasir", "tanah", "labuhan", "talang", "lubuk", "pematang", "tambak",
    "rawa", "kuala", "gunung", "sumber", "karang", "tegal", "darat", "benua", "siantan", "parit",
    "kebun", "pangkalan", "simpang", "rantau",
)  # fmt: skip  # not "air", "suka", "kali", "kota": "air putih" is drinking water
_UNITS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9,
}  # fmt: skip


def variants(spelling: str) -> set[str]:
    """Other ways people write a name: a joined word apart ("sungaibeliung" → "sungai beliung")
    and a number in words as digits ("tiga puluh lima ilir" → "35 ilir", "satu ulu" → "1 ulu")."""
    found = set()
    words = spelling.split()
    for i, word in enumerate(words):
        for lead in TOPONYM_WORDS:
            if word.startswith(lead) and len(word) - len(lead) >= 3:
                found.add(" ".join([*words[:i], lead, word[len(lead) :], *words[i + 1 :]]))
    number = _leading_number(words)
    if number is not None and number[1] < len(words):
        found.add(" ".join([str(number[0]), *words[number[1] :]]))
    return found - {spelling}


def _leading_number(words: list[str]) -> tuple[int, int] | None:
    """(value, words used) of a number in words at the start (1–99), or None."""
    value, used = 0, 0
    if words[:1] == ["sepuluh"]:
        value, used = 10, 1
    elif words[:1] == ["sebelas"]:
        value, used = 11, 1
    elif words and words[0] in _UNITS:
        value, used = _UNITS[words[0]], 1
        if words[1:2] == ["belas"]:
            value, used = 10 + value, 2
        elif words[1:2] == ["puluh"]:
            value, used = 10 * value, 2
            if words[2:3] and words[2] in _UNITS:
                value, used = value + _UNITS[words[2]], 3
    return (value, used) if used else None


def is_everyday(spelling: str, everyday: frozenset[str]) -> bool:
    """An everyday word, or one said twice (Indonesian reduplication: "masing masing")."""
    words = spelling.split()
    return words[0] in everyday and (len(words) == 1 or words == [words[0]] * 2)


def spelling_of(name: str) -> str:
    """``normalise(name)``, word by word with the words cached: a province's thousands of names
    share their words ("Sungai", "Baru"), and normalising each name whole costs 20 µs."""
    return " ".join(w for w in map(_word, name.split()) if w)


@lru_cache(maxsize=16384)
def _word(word: str) -> str:
    plain = word.lower()
    if plain.isascii() and plain.isalpha() and not _tripled(plain):
        return ABBREVIATIONS.get(plain, plain)  # what normalise makes of a plain word
    return normalise(word)


def _tripled(word: str) -> bool:
    return any(a == b == c for a, b, c in zip(word, word[1:], word[2:], strict=False))


@dataclass(frozen=True)
class Hit:
    """A spelling found at ``start`` (a word index) of the text, ``words`` long."""

    spelling: str
    start: int
    words: int
    how: str  # exact | partial | typo
    written: str  # the text's own words there


class Spellings:
    """Every spelling of a region's places, and how each may be found."""

    def __init__(
        self,
        spellings: Iterable[tuple[str, str]],  # (spelling, level: kecamatan|kelurahan|landmark)
        everyday: frozenset[str],
        own_names: frozenset[str],
        partial: Iterable[str] = (),
        not_typos: frozenset[str] = frozenset(),
    ) -> None:
        self._not_typos = not_typos
        self._everyday = everyday
        self._gated: dict[str, frozenset[str]] = {}  # spelling → the level words it needs
        self._levels: dict[str, set[str]] = {}
        for spelling, level in spellings:
            self._levels.setdefault(spelling, set()).add(level)
        for spelling, levels in self._levels.items():
            if "landmark" in levels:
                continue  # a department's own spellings ("MP", "TSM") count as written
            level_words = frozenset().union(*(LEVEL_WORDS[lv] for lv in levels))
            if spelling in own_names:  # "wilayah makassar" is the city
                self._gated[spelling] = level_words
            elif is_everyday(spelling, everyday) or len(spelling) < SHORT:
                self._gated[spelling] = level_words | PLACE_OPENERS
        self._partial = frozenset(p for p in partial if p not in self._levels)
        known = set(self._levels) | self._partial
        self._longest = max((s.count(" ") + 1 for s in known), default=1)
        self._exact = frozenset(known)
        # Typos: distinctive words, and the spellings each is part of.
        self._typo_words: dict[str, list[str]] = {}
        for spelling in self._levels:
            if len(spelling.replace(" ", "")) < TYPO_MIN_LETTERS or spelling in self._gated:
                continue
            for word in set(spelling.split()):
                if len(word) >= TYPO_WORD_LETTERS and word not in everyday:
                    self._typo_words.setdefault(word, []).append(spelling)
        self._typo_choices = sorted(self._typo_words)

    def is_partial(self, spelling: str) -> bool:
        return spelling in self._partial

    def exact(self, words: Sequence[str]) -> list[Hit]:
        """Every known spelling (and partial name) the words contain, where it may count."""
        hits = []
        for start in range(len(words)):
            for n in range(1, min(self._longest, len(words) - start) + 1):
                phrase = " ".join(words[start : start + n])
                if phrase in self._exact and self._may_count(phrase, words, start):
                    how = "partial" if phrase in self._partial else "exact"
                    hits.append(Hit(phrase, start, n, how, phrase))
        return hits

    def typos(self, words: Sequence[str], threshold: float = TYPO_THRESHOLD) -> list[Hit]:
        """Spellings written with one mistyped distinctive word ("tembsi", "tanjung uncag")."""
        hits = []
        for i, word in enumerate(words):
            if len(word) < TYPO_WORD_LETTERS - 1 or word in self._typo_words:
                continue
            if word in self._not_typos or word in self._everyday:
                continue  # a word of the language is no typo
            found = process.extract(
                word, self._typo_choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=3
            )
            for name_word, _score, _index in found:
                for spelling in self._typo_words[name_word]:
                    hit = _aligned(spelling, name_word, words, i)
                    if hit is not None:
                        hits.append(hit)
        return hits

    def _may_count(self, phrase: str, words: Sequence[str], start: int) -> bool:
        needs = self._gated.get(phrase)
        return needs is None or (start > 0 and words[start - 1] in needs)

    def levels(self, spelling: str, words: Sequence[str], start: int) -> set[str]:
        """The levels a found spelling stands for; a level word before it chooses one."""
        levels = self._levels.get(spelling, set())
        before = words[start - 1] if start > 0 else ""
        said = {lv for lv in levels if before in LEVEL_WORDS[lv]}
        return said or levels


def _aligned(spelling: str, name_word: str, words: Sequence[str], at: int) -> Hit | None:
    """``spelling`` with ``name_word`` mistyped at text word ``at``, its other words exact."""
    parts = spelling.split()
    for j, part in enumerate(parts):
        if part != name_word:
            continue
        start = at - j
        if start < 0 or start + len(parts) > len(words):
            continue
        window = words[start : start + len(parts)]
        if all(w == p or k == j for k, (w, p) in enumerate(zip(window, parts, strict=True))):
            return Hit(spelling, start, len(parts), "typo", " ".join(window))
    return None


def shared_starts(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Partial names: the first words that begin several village names, all of one kecamatan.

    ``names``: (normalised village name, its kecamatan). Returns {partial: kecamatan}.
    """
    homes: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for name, kecamatan in names:
        parts = name.split()
        for n in range(1, len(parts)):
            start = " ".join(parts[:n])
            homes.setdefault(start, set()).add(kecamatan)
            counts[start] = counts.get(start, 0) + 1
    return {
        start: next(iter(kecs))
        for start, kecs in homes.items()
        if len(kecs) == 1 and counts[start] >= 2
    }
