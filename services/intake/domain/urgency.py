"""Whether the danger a text tells is happening now: the time, the habit, the aftermath, the night.

Immediate danger is an event happening now. Told as a habit ("sering dipukul", "tiap malam"),
days ago ("minggu lalu", "3 hari lalu"), resolved ("sudah ditemukan"), in a disaster's aftermath
(posko, "api sudah padam") or as a season ("kalau hujan kebanjiran"), with nothing happening now
and no weapon, it stays on the report — the team should know — but makes a case to protect or
follow up (P2–P4), not a rescue (P1). A baby or a child under five alone is P1 at any hour; an
older child alone or sleeping out, at night: the hour the report came, or a night the text names
("jam 23.40", "tengah malam", a bare "22.40" — not "tiap malam").
"""

from __future__ import annotations

import re

from services.intake.domain.danger import (
    DISASTER_NOW,
    HARM_ROOTS,
    INCAPABLE,
    SEVERE_WOUND,
    WEAPON,
    roots,
)
from shared.contracts.vocabulary import DangerFlag

# Days ago ("sejak kemarin" is still going on, not past).
PAST = re.compile(
    r"(?<!sejak )(?<!dari )\b(minggu lalu|minggu lepas|bulan lalu|tahun lalu|\d+ hari (yang )?lalu"
    r"|beberapa hari lalu|kemarin)\b"
)
# It is over: the child found, the person fetched, the case handled.
RESOLVED = re.compile(
    r"\bsudah (ditemukan|dijemput|ditangani|dievakuasi|diamankan|dirawat|dibawa ke|pulang|aman"
    r"|bebas|padam|surut|diselamatkan)\b|\bsudah .{0,20}\bdirawat di rs\b"
)
# Happening now: what makes a habit or an aftermath urgent again ("sering dipukul, sekarang …").
ACUTE = re.compile(
    r"\b(sekarang|sedang|barusan|baru saja|saat ini|tadi|segera|cepat|darurat|malam ini"
    r"|terjebak|belum bisa keluar|tidak bisa keluar|belum padam|masih menyala|masih mengamuk"
    r"|masih berlangsung|berlangsung|pecah)\b"
)
_HAPPENING = re.compile(
    r"\b(sedang|barusan|baru saja|segera|cepat|darurat|terjebak|belum padam|masih menyala"
    r"|masih mengamuk|masih berlangsung|pecah lagi)\b"
)
# A disaster still happening: people to pull out, not to house.
DISASTER_ACUTE = re.compile(
    r"\b(terjebak|belum bisa keluar|tidak bisa keluar|belum padam|masih menyala|masih berlangsung"
    r"|arus deras|belum ditemukan|hanyut|tenggelam|perahu|minta dievakuasi)\b"
)
# A habit or a condition, not an event: "sering dipukul", "tiap malam", "kalau hujan kebanjiran".
HABITUAL = re.compile(
    r"\b(sering|seringkali|tiap|setiap|selalu|biasanya|kerap|pernah|kadang|berulang kali"
    r"|berkali kali|bertahun tahun|berbulan bulan)\b"
)
# What a disaster leaves behind: people to house and feed, no one to pull out.
AFTERMATH = re.compile(
    r"\b(pasca\w*|ludes|habis terbakar|semua habis|posko|tenda darurat|sudah padam|surut"
    r"|kehilangan tempat tinggal|sudah dievakuasi|mengungsi|ngungsi|pengungsian|numpang)\b"
)
_SEASONAL = re.compile(
    r"\b(kalau|kalo|jika|tiap|setiap|sering|musim) (hujan|pasang|air pasang|rob)\b"
)
INFANT = re.compile(
    r"\b(bayi|balita|batita|orok)\b|\b(umur|usia) [1-4] ?(th|thn|tahun)\b|\b[1-4](th|thn)\b"
)
# Someone has the person now: "sekarang aman", "dititipkan di rumah tetangga", "diurus neneknya".
SAFE_NOW = re.compile(r"\b(aman|diamankan|dititip\w*)\b")
# Someone cares for a child now: not alone, whoever left ("diurus neneknya").
CARED_FOR = re.compile(
    r"\b(diurus|diasuh|dirawat|dijaga|tinggal (bersama|dengan|sama)|ikut) (\w+ )?(nenek|kakek"
    r"|bibi|paman|om|tante|keluarga|kerabat|saudara|kakak|tetangga|panti)"
)
# Left by a partner is a household's trouble, not a child left alone.
_LEFT_BY_PARTNER = re.compile(r"\bditinggal(kan)? (suami|istri|pacar)\w*")
SLEEPING_OUT = re.compile(r"\b(tidur|tertidur|terlelap)\b")
ABANDONED = re.compile(
    r"\b(dibuang|ditemukan|temukan|menemukan|kardus|keranjang|ditelantarkan|diletakkan"
    r"|tidak ada yang mengaku|dikunci dari luar)\b"
)
_PARENT_GONE = re.compile(
    r"\b(orang tua|ibu|ayah|bapak|mama|papa|mamak|emak)(nya)? "
    r"(tidak ada|tidak diketahui|entah|pergi|hilang|tidak kelihatan|tidak keliatan"
    r"|tidak terlihat|tidak pulang)\b"
)
NIGHT_WORDS = ("malam", "tengah malam", "dini hari", "subuh", "larut malam")
ALONE_WORDS = (
    "sendirian", "sendiri", "tanpa orang tua", "tidak ada orang tua", "orang tua tidak diketahui",
    "ditinggal", "terpisah", "tersesat", "ditemukan", "hilang", "belum ketemu", "belum ditemukan",
    "tidak tahu alamat", "kabur dari rumah",
)  # fmt: skip
_HABITUAL_NIGHT = re.compile(r"\b(tiap|setiap|sering) (malam|hari)\b")
_CLOCK = re.compile(r"\b(?:jam|pukul|pkl)\s*(\d{1,2})(?:[.:]\d{2})?\b")
# A bare clock in the raw text ("temuan 21.40:", "Call masuk 22.40"), not an amount or a date.
_BARE_CLOCK = re.compile(r"(?<![\d.:/,])([01]?\d|2[0-3])[.:]([0-5]\d)(?![\d]|[.:/,]\d)")


def in_the_past(normalised: str) -> bool:
    return PAST.search(normalised) is not None


def over(normalised: str) -> bool:
    """Told as days ago or as resolved, with nothing happening right now (a plain "sekarang" or
    "tadi" tells where things stand after it: "sekarang tinggal di rumah ibunya")."""
    told = in_the_past(normalised) or RESOLVED.search(normalised) is not None
    return told and _HAPPENING.search(normalised) is None


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
    left = bool(said) and not habitual_only(text) and not over(text)
    return left and CARED_FOR.search(text) is None


def unattended(normalised: str) -> bool:
    """Alone now, or sleeping out ("tertidur di trotoar"): for a child at night, P1."""
    out = SLEEPING_OUT.search(normalised) is not None and not habitual_only(normalised)
    return alone_now(normalised) or (out and CARED_FOR.search(normalised) is None)


def infant_alone(normalised: str) -> bool:
    """A baby or a child under five left alone or found abandoned: immediate danger at any hour."""
    left = alone_now(normalised) or (
        ABANDONED.search(normalised) is not None
        and not habitual_only(normalised)
        and not over(normalised)
        and CARED_FOR.search(normalised) is None
    )
    return left and INFANT.search(normalised) is not None


def weigh(
    found: dict[DangerFlag, str], normalised: str
) -> tuple[dict[DangerFlag, str], dict[DangerFlag, str]]:
    """(the danger a text tells, the part of it that is immediate). A threat of eviction or of
    dropping out ("diancam diusir", "terancam putus sekolah") is no violence; a disaster days ago
    is no danger now; being unable to move, breathe or eat, or a severe wound, is a medical
    emergency however it is written; water rising around people is a disaster. Not immediate,
    though on the report (the team should know): anything over (days ago, resolved); a disaster in
    its aftermath or as a season; violence or illness told as a habit, or violence with the person
    safe now — unless a weapon is there or something is happening now."""
    flags = dict(found)
    armed = WEAPON.search(normalised) is not None
    threat = flags.get(DangerFlag.VIOLENCE, "")
    harm = any(HARM_ROOTS & roots(w) for w in normalised.split())
    if "ancam" in threat and not armed and not harm:
        flags.pop(DangerFlag.VIOLENCE, None)
    if in_the_past(normalised):
        flags.pop(DangerFlag.DISASTER, None)
    hit = SEVERE_WOUND.search(normalised) or INCAPABLE.search(normalised)
    if hit and DangerFlag.MEDICAL not in flags:
        flags[DangerFlag.MEDICAL] = hit.group(0)
    rising = DISASTER_NOW.search(normalised)
    if rising and DangerFlag.DISASTER not in flags and not in_the_past(normalised):
        flags[DangerFlag.DISASTER] = rising.group(0)
    urgent = dict(flags)
    if over(normalised) and not armed:
        urgent = {f: w for f, w in urgent.items() if f is DangerFlag.CHILD}
    rescue = DISASTER_ACUTE.search(normalised) or DISASTER_NOW.search(normalised)
    if not rescue and (AFTERMATH.search(normalised) or _SEASONAL.search(normalised)):
        urgent.pop(DangerFlag.DISASTER, None)
    if (habitual_only(normalised) or SAFE_NOW.search(normalised)) and not armed:
        urgent.pop(DangerFlag.VIOLENCE, None)
    if habitual_only(normalised):
        urgent.pop(DangerFlag.MEDICAL, None)
    return flags, urgent
