"""A place a team can find, written in a post as people write it: a street, an alley, a market, a
mosque, a bus stop, a mall — "jl. toddopuli raya", "lorong 5 jl. veteran", "dkt SPBU jl. racing
centre", "depan pasar terong", "lampu merah pettarani", "depan bcs mall" (a mall's name comes
first). Found by the word that opens it, whichever city, so a post that names no kecamatan the
gazetteer knows still tells the team where to go (the supervisor sees the words).
"""

from __future__ import annotations

import re

from services.intake.domain.text import normalise

# Words that open a place a team can find. Normalised (``text.ABBREVIATIONS`` expands jl, gg, …).
OPENERS = (
    "jalan", "gang", "lorong", "komplek", "kompleks", "perumahan", "perum", "btn", "blok",
    "pasar", "masjid", "mesjid", "musholla", "mushola", "gereja", "terminal", "pelabuhan",
    "halte", "taman", "lapangan", "pantai", "jembatan", "simpang", "bundaran", "mall", "plaza",
    "rsud", "puskesmas", "spbu", "stasiun", "bandara", "kolong", "ruko", "alun", "tpa", "kampus",
    "sekolah", "universitas", "kantor", "hotel", "pertigaan", "perempatan", "flyover", "tol",
    "dermaga", "kampung", "mal", "lampu", "trotoar", "monumen", "tugu", "pajak", "ruli",
    "pujasera", "tepian", "kolam", "bendungan", "waduk", "rusun", "rusunawa", "gedung",
)  # fmt: skip
# Words that close a place named before them: "bcs mall", "lucky plaza", "mega mall".
CLOSERS = frozenset({"mall", "plaza", "square", "mart"})
# Words that end a place: what comes after it in a sentence.
STOPS = frozenset(
    {
        "ada", "ini", "itu", "yang", "dan", "atau", "tapi", "sudah", "udah", "lagi", "sejak",
        "dari", "ke", "di", "pada", "untuk", "karena", "krn", "kondisi", "dengan", "tidak",
        "sekarang", "skrg", "tolong", "mohon", "min", "pak", "bu", "kak", "umur", "usia",
        "sekitar", "kira", "tidur", "duduk", "jalan", "minta", "mengemis", "orang", "bapak",
        "ibu", "anak", "nenek", "kakek", "laki", "perempuan", "tadi", "td", "kemarin", "kmrn",
        "kemaren",
    }
)  # fmt: skip
_OPENER = re.compile(r"\b(" + "|".join(OPENERS) + r")\b")
MAX_WORDS = 4
_ABBREVIATED = re.compile(r"\b(jl|jln|gg|kel|kec|tg|tj|kp|ps|psr|simp|perum|no|sei)\.\s*", re.I)
_CLAUSE = re.compile(r"[,;!?()\n]|\.\s+(?=[A-Z])")  # "jl. x": a dot abbreviates


def address_in(text: str) -> str | None:
    """The first place phrase of ``text`` (normalised, at most four words after the opener), or
    None: "jalan toddopuli raya", "pasar terong", "lorong 5 jalan veteran selatan"."""
    for clause in _CLAUSE.split(_ABBREVIATED.sub(r"\1 ", text)):
        words = normalise(clause).split()
        for index, word in enumerate(words):
            if not _OPENER.fullmatch(word):
                continue
            tail = []
            for following in words[index + 1 : index + 1 + MAX_WORDS]:
                if following in STOPS:
                    break
                tail.append(following)
            if tail:
                return " ".join([word, *tail])
            if word in CLOSERS:
                head = [w for w in words[max(0, index - 2) : index] if w not in STOPS]
                if head and head == words[index - len(head) : index]:
                    return " ".join([*head, word])
    return None
