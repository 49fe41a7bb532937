"""Danger read from word roots, whatever the affixes, and the words of emergencies and weapons.

"dipukulin", "mukulin", "memukuli", "pukul2" all say *pukul*; "ngancam", "diancam", "mengancam"
say *ancam*. A light affix stripper (Indonesian prefixes me-/di-/ter-/ber-/ke-/pe-/ng-/nge- and
suffixes -kan/-in/-i/-an/-nya, with the nasal forms m-/n-/ng-/ny- of p/t/k/s) finds the root, so
a danger word is matched in every form people write it, without a stemming dictionary. A danger
only feared or denied ("hampir ketabrak", "belum mengamuk") is not one. Whether what a text tells
is happening now is ``urgency.py``'s question.
"""

from __future__ import annotations

import re

from shared.contracts.vocabulary import DangerFlag

DANGER_ROOTS: dict[DangerFlag, tuple[str, ...]] = {
    DangerFlag.VIOLENCE: (
        "pukul", "aniaya", "siksa", "tusuk", "bacok", "tikam", "ancam", "hajar", "tampar",
        "tendang", "cekik", "perkosa", "keroyok", "sekap", "amuk", "bunuh", "culik", "sandera",
        "tawur", "bentrok", "kepung", "cabul", "leceh", "gebuk",
    ),
    DangerFlag.MEDICAL: (
        "pingsan", "kejang", "sekarat", "overdosis", "koma", "tabrak", "serempet", "rintih",
    ),
    DangerFlag.DISASTER: ("banjir", "longsor", "gempa", "tenggelam", "hanyut", "rob", "karam"),
}  # fmt: skip
_PREFIXES = (
    "meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "pe", "di", "ter", "ber",
    "ke", "nge", "ng",
)  # fmt: skip
_SUFFIXES = ("kan", "nya", "in", "an", "i")
_VOWELS = frozenset("aeiou")
# A danger only feared or denied: "hampir ketabrak", "takut dipukul", "tidak dianiaya".
NOT_HAPPENED = frozenset(
    {
        "hampir",
        "nyaris",
        "takut",
        "khawatir",
        "ngeri",
        "jangan",
        "bisa",
        "bakal",
        "tidak",
        "belum",
        "bukan",
    }
)
# "luka" alone is often a wound to dress (a festering foot, a healed scar); these are not.
SEVERE_WOUND = re.compile(r"\b(luka) (parah|berat|serius|bacok|tusuk|tembak|robek)\b")
# Unable to move, breathe or eat: a person who needs carrying, written the ways people write it.
INCAPABLE = re.compile(
    r"\b(tidak|tak|belum) (bisa |dapat |mau )?(bangun|berdiri|bergerak|gerak|bernapas|bernafas"
    r"|napas|nafas|berjalan|sadar)\b"
    r"|\bmulut(nya)? berbusa\b|\bsakit keras\b|\bhamil tua\b"
    r"|\b(mau|akan|hendak) (melahirkan|lahiran)\b"
    r"|\b(tidak|belum) (di ?kasih )?(makan|minum)( apa apa)? (sejak |selama )?"
    r"(\d+|dua|tiga|empat|lima|beberapa) (hari|hr)\b"
    r"|\b(\d+|dua|tiga|empat|lima|beberapa) (hari|hr) (\w+ )?(tidak|belum) (di ?kasih )?"
    r"(makan|minum)\b"
    r"|\b(sakit|nyeri) dada|\bdada(nya)? (sakit|nyeri|sesak)|\bsesak\b|\bbadan(nya)? dingin\b"
    r"|\bkedinginan\b|\bterbaring di jalan\b"
    r"|\b(mau|ingin|hendak|akan|coba|mencoba|ancam) (loncat|lompat|terjun|gantung diri|bunuh diri"
    r"|minum racun)"
)
# Water rising around people, people trapped: a disaster happening, whatever it is called.
DISASTER_NOW = re.compile(
    r"\bair (sudah )?(naik|masuk rumah|sedada|sepinggang|seleher)"
    r"|\bse(dada|pinggang|leher|atap|paha)\b"
    r"|\bsetinggi (dada|pinggang|leher|atap|kepala)\b|\bterjebak (?!macet)"
)
# A child by age: "umur 7 tahun", "±8th", "5thn" (a glued age is how notes write a person's age).
CHILD_AGE = re.compile(
    r"\b(umur|usia|sekitar|kira kira) ([1-9]|1[0-2]) ?(th|thn|tahun|taun)\b"
    r"|\b([1-9]|1[0-2])(th|thn)\b"
)
WEAPON = re.compile(
    r"\b(parang|pisau|peso|badik|golok|celurit|clurit|senjata|pistol|samurai|kapak|busur|panah"
    r"|molotov|bensin)\b"
)
HARM_ROOTS = frozenset({"bunuh", "pukul", "bacok", "tusuk", "bakar", "siram", "cekik", "perkosa"})


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
    found |= {"t" + f[1:] for f in found if f.startswith("n") and not f.startswith(("ng", "ny"))}
    found |= {"k" + f[2:] for f in found if f.startswith("ng") and f[2:3] in _VOWELS}  # ngepung
    found |= {"s" + f[2:] for f in found if f.startswith("ny") and f[2:3] in _VOWELS}  # nyiksa
    return found


def danger_from_roots(normalised: str) -> dict[DangerFlag, str]:
    """The danger flags whose roots some word of the (normalised) text inflects."""
    flags: dict[DangerFlag, str] = {}
    words = normalised.split()
    for at, word in enumerate(words):
        if NOT_HAPPENED & set(words[max(0, at - 2) : at]):
            continue
        forms = roots(word)
        for flag, flag_roots in DANGER_ROOTS.items():
            if flag not in flags and (hit := next((r for r in flag_roots if r in forms), None)):
                flags[flag] = f"{word} ({hit})"
    return flags


def happened(normalised: str, phrase: str) -> bool:
    """``phrase`` occurs in the text at least once not just after a word that fears or denies it
    ("hampir ketabrak", "belum mengamuk", "takut dipukul")."""
    words = f" {normalised} "
    start = words.find(f" {phrase} ")
    while start != -1:
        if not NOT_HAPPENED & set(words[:start].split()[-2:]):
            return True
        start = words.find(f" {phrase} ", start + 1)
    return False
