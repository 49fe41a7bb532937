"""Normalising Indonesian free text so keywords and place names match however they are typed."""

from __future__ import annotations

import re
import unicodedata

# Common abbreviations in posts and call notes, expanded before matching.
ABBREVIATIONS = {
    "kel": "kelurahan",
    "kec": "kecamatan",
    "ds": "desa",
    "plb": "pelabuhan",
    "pel": "pelabuhan",
    "jl": "jalan",
    "jln": "jalan",
    "gg": "gang",
    "simp": "simpang",
    "ps": "pasar",
    "psr": "pasar",
    "tg": "tanjung",
    "tj": "tanjung",
    "sei": "sungai",
    "sg": "sungai",
    "kp": "kampung",
    "kmp": "kampung",
    "perum": "perumahan",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "sdh": "sudah",
    "blm": "belum",
    "tdk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "org": "orang",
    "anak2": "anak anak",
    "bpk": "bapak",
    "ibu2": "ibu ibu",
    "mlm": "malam",
    "malem": "malam",
    "ortu": "orang tua",
    "skrg": "sekarang",
    "dkt": "dekat",
    "depan2": "depan",
    # everyday chat spellings (the danger and alone rules read them; the model sees both)
    "gk": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "kagak": "tidak",
    "ndak": "tidak",
    "nda": "tidak",
    "tak": "tidak",
    "bs": "bisa",
    "lemes": "lemas",
    "hr": "hari",
    "ank": "anak",
    "sy": "saya",
    "tp": "tapi",
    "krn": "karena",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "msh": "masih",
    "lg": "lagi",
    "sdg": "sedang",
    "brsn": "barusan",
    "td": "tadi",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "tlg": "tolong",
    "tlong": "tolong",
    "dr": "dari",
    "utk": "untuk",
}
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, expand abbreviations, undo reduplication marks.

    ``"Anak2 ngamen di Simp. Jam, Kel. Belian!"``
    → ``"anak anak ngamen di simpang jam kelurahan belian"``
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b([a-z]+)-\1\b", r"\1 \1", text)  # minta-minta → minta minta
    text = re.sub(r"\b([a-z]{2,})2\b", r"\1 \1", text)  # anak2 → anak anak (not 12, p2)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # tolonggg → tolong (no word triples a letter)
    words = [ABBREVIATIONS.get(w, w) for w in _WORD.findall(text)]
    return " ".join(words)


def contains_phrase(normalised_text: str, normalised_phrase: str) -> bool:
    return f" {normalised_phrase} " in f" {normalised_text} "
