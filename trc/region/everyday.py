"""Which words of place names are everyday Indonesian words, and which words are no typo of a name.

A word is everyday when people write it often (wordfreq's Indonesian words, PyPI ``wordfreq``,
``small_id``: a Zipf frequency of 3 or more, once in a million words) and it is a word of the
language: its root, by the Sastrawi stemmer, is in Sastrawi's root-word dictionary
(``kata-dasar.txt``, PyPI ``PySastrawi``; a word the dictionary has only said twice, "masing",
too) — or it is itself such a root and its forms together are written that often ("baring":
berbaring, terbaring). "Baru", "tengah", "pasar", "jaya", "harapan" (harap) are; "Sekupang"
(not written often), "Makassar" (a name), "Kabil" (a rare dictionary word) are not. A word of
the language (a Sastrawi root or a wordfreq word) that is close to a place name ("bulan" and
Bulang, "buntung" and Butung) is never read as a typo of it: each province's file lists those
words (``not_typos``). Read at build time only.
"""

from __future__ import annotations

import gzip
import math
import sys
import tempfile
import zipfile
from pathlib import Path

from rapidfuzz import fuzz, process

ZIPF = 3.0  # once in a million words
NEAR = 85.0  # rapidfuzz ratio: the lowest typo threshold intake may use (placematch.py)
NEAR_MIN_LETTERS = 5
SASTRAWI = ("PySastrawi", "1.2.1")
WORDFREQ = ("wordfreq", "3.1.1")
DESCRIPTION = (
    f"written at Zipf {ZIPF:g} or more in Indonesian (PyPI wordfreq {WORDFREQ[1]}, small_id: "
    "data CC BY-SA 4.0, by Robyn Speer and contributors) and a root in the Sastrawi dictionary "
    f"(PyPI PySastrawi {SASTRAWI[1]}, MIT) after its stemmer; or such a root whose forms "
    "together are written that often"
)


class Lexicon:
    """Everyday words, and the words of the language near a name (both from the two wheels)."""

    def __init__(self, sastrawi_wheel: Path, wordfreq_wheel: Path) -> None:
        zipf = _frequent(wordfreq_wheel)
        frequent = {w for w, z in zipf.items() if z >= ZIPF}
        with tempfile.TemporaryDirectory() as tmp:
            zipfile.ZipFile(sastrawi_wheel).extractall(tmp)
            sys.path.insert(0, tmp)
            try:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                factory = StemmerFactory()
                roots = {w.strip() for w in factory.get_words_from_file() if w.strip()}
                # A word the dictionary has only said twice is a word too ("masing-masing").
                said_twice = {w.split("-")[0] for w in roots if w.count("-") == 1}
                roots |= {w for w in said_twice if f"{w}-{w}" in roots}
                stemmer = factory.create_stemmer()
                stems = {w: stemmer.stem(w) for w in sorted(zipf)}
            finally:
                sys.path.remove(tmp)
                for name in [m for m in sys.modules if m.split(".")[0] == "Sastrawi"]:
                    del sys.modules[name]
        family: dict[str, float] = {}  # a root: how often its forms are written, together
        for word, z in zipf.items():
            family[stems[word]] = family.get(stems[word], 0.0) + 10**z
        often = {root for root, total in family.items() if math.log10(total) >= ZIPF}
        self._everyday = frozenset(
            {w for w in frequent if w in roots or stems[w] in roots} | (roots & often)
        )
        words = {w for w in frequent | roots if w.isascii() and w.isalpha()}
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(w for w in words if len(w) >= NEAR_MIN_LETTERS):
            self._by_length.setdefault(len(word), []).append(word)
        self._near: dict[str, frozenset[str]] = {}

    def everyday(self, word: str) -> bool:
        return word in self._everyday

    def near(self, name_words: set[str]) -> set[str]:
        """Words of the language within :data:`NEAR` of one of ``name_words`` (not equal)."""
        found: set[str] = set()
        for word in sorted(w for w in name_words if len(w) >= NEAR_MIN_LETTERS):
            if word not in self._near:
                size = len(word)
                lo, hi = math.ceil(size * NEAR / (200 - NEAR)), int(size * (200 - NEAR) / NEAR)
                choices = [c for n in range(lo, hi + 1) for c in self._by_length.get(n, ())]
                close = process.extract(
                    word, choices, scorer=fuzz.ratio, score_cutoff=NEAR, limit=None
                )
                self._near[word] = frozenset(c for c, _score, _i in close if c != word)
            found |= self._near[word]
        return found


def _frequent(wheel: Path) -> dict[str, float]:
    """wordfreq's Indonesian words with their Zipf frequency (its lists are by centibel: bucket
    i holds the words of frequency 10^(-i/100), Zipf 9 - i/100)."""
    raw = zipfile.ZipFile(wheel).read("wordfreq/data/small_id.msgpack.gz")
    header, *buckets = _unpack(gzip.decompress(raw))
    assert header.get("format") == "cB", header
    return {w: 9 - i / 100 for i, bucket in enumerate(buckets) for w in bucket}


def _unpack(data: bytes) -> list:
    """The msgpack subset wordfreq's lists use (arrays, maps, strings, integers)."""
    pos = 0

    def read() -> object:
        nonlocal pos
        byte = data[pos]
        pos += 1
        if byte <= 0x7F:
            return byte
        if 0x80 <= byte <= 0x8F or byte in (0xDE, 0xDF):
            n = byte & 0x0F if byte <= 0x8F else _length(byte == 0xDE)
            return {read(): read() for _ in range(n)}
        if 0x90 <= byte <= 0x9F or byte in (0xDC, 0xDD):
            n = byte & 0x0F if byte <= 0x9F else _length(byte == 0xDC)
            return [read() for _ in range(n)]
        if 0xA0 <= byte <= 0xBF or byte in (0xD9, 0xDA, 0xDB):
            n = byte & 0x1F if byte <= 0xBF else _sized({0xD9: 1, 0xDA: 2, 0xDB: 4}[byte])
            text = data[pos : pos + n].decode()
            pos += n
            return text
        if byte in (0xCC, 0xCD, 0xCE):
            return _sized({0xCC: 1, 0xCD: 2, 0xCE: 4}[byte])
        raise ValueError(f"msgpack type {byte:#x} not expected in a wordfreq list")

    def _length(short: bool) -> int:
        return _sized(2 if short else 4)

    def _sized(size: int) -> int:
        nonlocal pos
        value = int.from_bytes(data[pos : pos + size], "big")
        pos += size
        return value

    result = read()
    assert isinstance(result, list)
    return result
