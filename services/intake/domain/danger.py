"""Danger read from word roots, whatever the affixes, and weighed by time: now, a habit, or past.

"dipukulin", "mukulin", "memukuli", "pukul2" all say *pukul*; "ngancam", "diancam", "mengancam"
say *ancam*. A light affix stripper (Indonesian prefixes me-/di-/ter-/ber-/ke-/pe-/ng-/nge- and
suffixes -kan/-in/-i/-an/-nya) finds the root, so a danger word is matched in every form people
write it, without a stemming dictionary. A disaster that a text places days ago ("minggu lalu",
"2 hari lalu") is a case to follow up, not immediate danger. A text's own clock ("jam 23.40",
"pkl 1 malam") tells the night as well as the words.

Immediate danger is an event happening now. Told as a habit ("sering dipukul", "tiap malam"), in
a disaster's aftermath (posko, mengungsi) or as a season ("kalau hujan kebanjiran"), with nothing
happening now and no weapon, it is a case to protect or follow up (P2–P4), not a rescue (P1). A
baby or a child under five alone is P1 at any hour; an older child alone, at night.
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
# Happening now: what makes a habit or an aftermath urgent again ("sering dipukul, sekarang …").
ACUTE = re.compile(
    r"\b(sekarang|sedang|barusan|baru saja|saat ini|tadi|segera|cepat|darurat|malam ini"
    r"|terjebak|belum bisa keluar|tidak bisa keluar|belum padam|masih menyala|masih mengamuk)\b"
)
# A habit or a condition, not an event: "sering dipukul", "tiap malam", "kalau hujan kebanjiran".
HABITUAL = re.compile(
    r"\b(sering|seringkali|tiap|setiap|selalu|biasanya|kerap|pernah|kadang|kalau|kalo|jika"
    r"|bertahun tahun|berbulan bulan)\b"
)
# What a disaster leaves behind: people to house and feed, no one to pull out.
AFTERMATH = re.compile(
    r"\b(pasca\w*|ludes|posko|tenda darurat|sudah padam|surut"
    r"|kehilangan tempat tinggal|sudah dievakuasi)\b"
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
)
INFANT = re.compile(
    r"\b(bayi|balita|batita|orok)\b|\b(umur|usia) [1-4] ?(th|thn|tahun)\b|\b[1-4](th|thn)\b"
)
# Someone has the person now: "sekarang aman", "dititipkan di rumah tetangga", "diurus neneknya".
SAFE_NOW = re.compile(r"\b(aman|diamankan|dititip\w*|dijaga|diurus|diasuh)\b")
# Left by a partner is a household's trouble, not a child left alone.
_LEFT_BY_PARTNER = re.compile(r"\bditinggal(kan)? (suami|istri|pacar)\w*")
SLEEPING_OUT = re.compile(r"\b(tidur|tertidur|terlelap)\b")
ABANDONED = re.compile(r"\b(dibuang|ditemukan|kardus|ditelantarkan|tidak ada yang mengaku)\b")
_PARENT_GONE = re.compile(
    r"\b(orang tua|ibu|ayah|bapak|mama|papa|mamak|emak)(nya)? "
    r"(tidak ada|tidak diketahui|entah|pergi|hilang)\b"
)
_SEASONAL = re.compile(
    r"\b(kalau|kalo|jika|tiap|setiap|sering|musim) (hujan|pasang|air pasang|rob)\b"
)
WEAPON = re.compile(r"\b(parang|pisau|badik|golok|celurit|clurit|senjata|pistol|samurai|kapak)\b")
_HARM = re.compile(r"\b(bunuh|pukul|bacok|tusuk|bakar|siram|cekik|perkosa|bunuh diri)\b")
NIGHT_WORDS = ("malam", "tengah malam", "dini hari", "subuh", "larut malam")
ALONE_WORDS = (
    "sendirian", "sendiri", "tanpa orang tua", "tidak ada orang tua", "orang tua tidak diketahui",
    "ditinggal", "terpisah", "tersesat",
)  # fmt: skip
_HABITUAL_NIGHT = re.compile(r"\b(tiap|setiap|sering) (malam|hari)\b")
_CLOCK = re.compile(r"\b(?:jam|pukul|pkl)\s*(\d{1,2})(?:[.:]\d{2})?\b")
# A bare clock in the raw text ("temuan 21.40:", "Call masuk 22.40"), not an amount or a date.
_BARE_CLOCK = re.compile(r"(?<![\d.:/,])([01]?\d|2[0-3])[.:]([0-5]\d)(?![\d]|[.:/,]\d)")


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


def clock_at_night(normalised: str, raw: str = "") -> bool:
    """A time written in the text between 21.00 and 04.59 ("jam 23.40", "pkl 1 malam", and in
    the raw text a bare "22.40")."""
    hours = [int(h) for h in _CLOCK.findall(normalised)]
    hours += [int(h) for h, _ in _BARE_CLOCK.findall(raw)]
    return any(h >= 21 or h <= 4 for h in hours)


def habitual_only(normalised: str) -> bool:
    """The text tells a habit or a condition ("sering dipukul", "tiap malam") and nothing
    happening now ("sekarang", "barusan", "terjebak")."""
    return HABITUAL.search(normalised) is not None and ACUTE.search(normalised) is None


def names_the_night(normalised: str, raw: str = "") -> bool:
    """Tonight, not every night: "jam 1 malam", "tengah malam", "malam ini" — "tiap malam" is a
    habit, told at any hour."""
    once = _HABITUAL_NIGHT.sub(" ", normalised)
    return any(f" {w} " in f" {once} " for w in NIGHT_WORDS) or clock_at_night(normalised, raw)


def alone_now(normalised: str) -> bool:
    """A person with nobody caring for them now: "sendirian", "ditinggal", "ortunya tidak ada"."""
    text = _LEFT_BY_PARTNER.sub(" ", normalised)
    said = any(f" {w} " in f" {text} " for w in ALONE_WORDS) or _PARENT_GONE.search(text)
    return bool(said) and not habitual_only(text) and SAFE_NOW.search(text) is None


def unattended(normalised: str) -> bool:
    """Alone now, or sleeping out ("tertidur di trotoar"): for a child at night, P1."""
    out = SLEEPING_OUT.search(normalised) is not None and not habitual_only(normalised)
    return alone_now(normalised) or (out and SAFE_NOW.search(normalised) is None)


def infant_alone(normalised: str) -> bool:
    """A baby or a child under five left alone or found abandoned: immediate danger at any hour."""
    left = alone_now(normalised) or (
        ABANDONED.search(normalised) is not None
        and not habitual_only(normalised)
        and SAFE_NOW.search(normalised) is None
    )
    return left and INFANT.search(normalised) is not None


def weigh(
    found: dict[DangerFlag, str], normalised: str
) -> tuple[dict[DangerFlag, str], dict[DangerFlag, str]]:
    """(the danger a text tells, the part of it that is immediate). A threat of eviction or of
    dropping out ("diancam diusir", "terancam putus sekolah") is no violence; a disaster days ago
    is no danger now; being unable to move, breathe or eat, or a severe wound, is a medical
    emergency however it is written. Immediate: a disaster in its aftermath or as a season, and
    violence told as a habit or with the person safe now, no weapon and nothing happening now,
    stay on the report (the team should know) but make it a case to protect, not a rescue."""
    flags = dict(found)
    armed = WEAPON.search(normalised) is not None
    threat = flags.get(DangerFlag.VIOLENCE, "")
    if "ancam" in threat and not armed and not _HARM.search(normalised):
        flags.pop(DangerFlag.VIOLENCE, None)
    if in_the_past(normalised):
        flags.pop(DangerFlag.DISASTER, None)
    hit = SEVERE_WOUND.search(normalised) or INCAPABLE.search(normalised)
    if hit and DangerFlag.MEDICAL not in flags:
        flags[DangerFlag.MEDICAL] = hit.group(0)
    urgent = dict(flags)
    acute = ACUTE.search(normalised) is not None
    if not acute and (AFTERMATH.search(normalised) or _SEASONAL.search(normalised)):
        urgent.pop(DangerFlag.DISASTER, None)
    if (habitual_only(normalised) or SAFE_NOW.search(normalised)) and not armed:
        urgent.pop(DangerFlag.VIOLENCE, None)
    return flags, urgent
