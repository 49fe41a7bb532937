"""Danger read from word roots, whatever the affixes; past events; the night a text speaks of.

"dipukulin", "mukulin", "memukuli", "pukul2" all say *pukul*; "ngancam", "diancam", "mengancam"
say *ancam*. A light affix stripper (Indonesian prefixes me-/di-/ter-/ber-/ke-/pe-/ng-/nge- and
suffixes -kan/-in/-i/-an/-nya) finds the root, so a danger word is matched in every form people
write it, without a stemming dictionary. A disaster that a text places days ago ("minggu lalu",
"2 hari lalu") is a case to follow up, not immediate danger. A text's own clock ("jam 23.40",
"pkl 1 malam") tells the night as well as the words.
"""

from __future__ import annotations

import re

from shared.contracts.vocabulary import DangerFlag

DANGER_ROOTS: dict[DangerFlag, tuple[str, ...]] = {
    DangerFlag.VIOLENCE: (
        "pukul", "aniaya", "siksa", "tusuk", "bacok", "tikam", "ancam", "hajar", "tampar",
        "tendang", "cekik", "perkosa", "keroyok", "sekap", "amuk", "bunuh",
    ),
    DangerFlag.MEDICAL: ("pingsan", "kejang", "sekarat", "overdosis", "koma"),
    DangerFlag.DISASTER: ("banjir", "longsor", "gempa", "tenggelam", "hanyut", "rob"),
}  # fmt: skip
_PREFIXES = (
    "meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "pe", "di", "ter", "ber",
    "ke", "nge", "ng",
)  # fmt: skip
_SUFFIXES = ("kan", "nya", "in", "an", "i")
PAST = re.compile(
    r"\b(minggu lalu|bulan lalu|tahun lalu|\d+ hari (yang )?lalu|beberapa hari lalu|kemarin)\b"
)
_CLOCK = re.compile(r"\b(?:jam|pukul|pkl)\s*(\d{1,2})(?:[.:]\d{2})?\b")


def roots(word: str) -> set[str]:
    """The forms a word may be the inflection of: itself, and it without a prefix, a suffix or
    both ("dipukulin" → {"dipukulin", "pukulin", "dipukul", "pukul", …})."""
    found = {word}
    stems = {word}
    stems |= {word[len(p) :] for p in _PREFIXES if word.startswith(p) and len(word) > len(p) + 3}
    for stem in stems:
        found.add(stem)
        found |= {stem[: -len(s)] for s in _SUFFIXES if stem.endswith(s) and len(stem) > len(s) + 3}
    # m-/n-/ng- replace a root's first p/t/k: "mukul" → "pukul", "nusuk" → "tusuk"
    found |= {"p" + f[1:] for f in found if f.startswith("m")}
    found |= {"t" + f[1:] for f in found if f.startswith("n")}
    return found


def danger_from_roots(normalised: str) -> dict[DangerFlag, str]:
    """The danger flags whose roots some word of the (normalised) text inflects."""
    flags: dict[DangerFlag, str] = {}
    for word in normalised.split():
        forms = roots(word)
        for flag, flag_roots in DANGER_ROOTS.items():
            if flag not in flags and (hit := next((r for r in flag_roots if r in forms), None)):
                flags[flag] = f"{word} ({hit})"
    return flags


def in_the_past(normalised: str) -> bool:
    return PAST.search(normalised) is not None


def clock_at_night(normalised: str) -> bool:
    """A time written in the text between 21.00 and 04.59 ("jam 23.40", "pkl 1 malam")."""
    return any(int(h) >= 21 or int(h) <= 4 for h in _CLOCK.findall(normalised))
