"""Classifying an Indonesian post or call note: category, danger flags and a place.

Keyword rules, not a model: every decision can be explained to an operator ("matched 'ngamuk'"),
the vocabulary is data (``data/categories.json``), and it runs on a closed network. A post with
no category is not a report: it goes to review, never to dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.intake.domain.danger import CHILD_AGE, danger_from_roots, happened
from services.intake.domain.gazetteer import Gazetteer, LocationGuess
from services.intake.domain.taxonomy import Category, Taxonomy
from services.intake.domain.text import contains_phrase, normalise
from services.intake.domain.urgency import infant_alone, names_the_night, unattended, weigh
from shared.contracts.vocabulary import DangerFlag

DANGER_WORDS: dict[DangerFlag, tuple[str, ...]] = {
    DangerFlag.VIOLENCE: (
        "kekerasan",
        "dipukul",
        "dipukuli",
        "memukul",
        "dianiaya",
        "menganiaya",
        "mengamuk",
        "ngamuk",
        "parang",
        "pisau",
        "senjata tajam",
        "berkelahi",
        "melempar batu",
        "kdrt",
        "disiksa",
        "menyerang",
        # held or taken by force
        "terkurung",
        "dikunciin",
        "diseret",
        "ditarik paksa",
        "dibawa paksa",
        "dipaksa naik",
        "dipaksa masuk",
        # weapons in hand
        "badik",
        "golok",
        "celurit",
        "clurit",
        "busur",
        "anak panah",
        "senjata api",
        "pistol",
        "samurai",
        "kapak",
        "peso",
    ),
    DangerFlag.CHILD: (
        "anak",
        "anak anak",
        "balita",
        "bayi",
        "bocah",
        "anak kecil",
        "anjal",
        "pengamen cilik",
        "remaja",
        "siswa",
        "adek",
        "adik kecil",
        "bocil",
    ),
    DangerFlag.MEDICAL: (
        "berdarah",
        "pingsan",
        "tidak sadar",
        "tak sadarkan diri",
        "kejang",
        "sesak napas",
        "sesak nafas",
        "demam tinggi",
        "lemas",
        "sakit parah",
        "muntah darah",
        "patah",
        "sekarat",
        "kritis",
        "tergeletak",
        "kelaparan",
        "dehidrasi",
        "terluka",
        "mengerang",
        "gantung diri",
        "minum racun",
        "lompat dari",
        "loncat dari",
        "terjun dari",
    ),
    DangerFlag.DISASTER: (
        "banjir",
        "kebanjiran",
        "kebakaran",
        "terbakar",
        "longsor",
        "gempa",
        "puting beliung",
        "tsunami",
        "angin kencang",
        "rumah roboh",
        "banjir rob",
        "meledak",
        "ledakan",
        "terbalik",
        "diterjang",
    ),
}
# Weak keywords ("~nenek", "~gila") count only beside one of these: they separate a report
# ("nenek tidur di emperan") from chatter ("ulang tahun nenek").
DISTRESS_CONTEXT = (
    "terlantar",
    "ditelantarkan",
    "tidur",
    "sendirian",
    "sebatang kara",
    "kelaparan",
    "tolong",
    "kasihan",
    "mohon",
    "bantu",
    "bantuan",
    "ditemukan",
    "lemas",
    "sakit",
    "jalan",
    "jalanan",
    "trotoar",
    "emperan",
    "halte",
    "kolong",
    "pasar",
    "lampu merah",
    "berkeliaran",
    "minta",
    "mengemis",
    "tidak terurus",
    "ditinggal",
    "bingung",
    "hilang",
    "tersesat",
    "dinsos",
    "trc",
    "telanjang",
    "mengamuk",
    "ngamuk",
    "meresahkan",
    "warga",
    "mengganggu",
    "teriak",
    "dipasung",
    "mengungsi",
    "pengungsi",
    "terendam",
    "dideportasi",
    "terdampar",
    "dirawat",
    "kumuh",
)
# Which category wins when several match: a disaster first, then who the person is (a child,
# an elderly or disabled person, ODGJ), then their situation (begging, sleeping rough).
_TIER = {
    "korban_bencana": 3,
    "anak_terlantar": 2,
    "lansia_terlantar": 2,
    "disabilitas_terlantar": 2,
}


@dataclass(frozen=True)
class Classification:
    category: Category | None
    score: float
    matched: tuple[str, ...]  # the category keywords found, for the operator
    danger_flags: tuple[DangerFlag, ...]
    danger_matched: dict[DangerFlag, str] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()  # every category a keyword names, the rules' choice first
    urgent_flags: tuple[DangerFlag, ...] = ()  # the danger happening now: these make a P1
    mentions_night: bool = False
    mentions_alone: bool = False
    mentions_infant_alone: bool = False  # a baby or a child under five alone or abandoned
    location: LocationGuess | None = None

    @property
    def is_report(self) -> bool:
        return self.category is not None


class Classifier:
    def __init__(self, taxonomy: Taxonomy, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer
        self._keywords = [
            (
                category,
                tuple(normalise(k) for k in category.keywords if not k.startswith("~")),
                tuple(normalise(k[1:]) for k in category.keywords if k.startswith("~")),
            )
            for category in taxonomy
        ]
        # Place names that hold a danger word ("Parang Tambung", "Sungai Hanyut") are places; a
        # one-word name ("Parang") is read as the word, which is the safer reading.
        names = {n for place in (gazetteer.places if gazetteer else ()) for n in place.names}
        names = {n for n in names if " " in n}
        self._dangerous_names = sorted((n for n in names if _sounds_dangerous(n)), key=len)[::-1]

    def _without_places(self, normalised: str) -> str:
        padded = f" {normalised} "
        for name in self._dangerous_names:
            padded = padded.replace(f" {name} ", " | ")
        return padded.strip()

    def classify(self, text: str) -> Classification:
        normalised = normalise(text)
        told = self._without_places(normalised)  # what danger is read from
        distress = any(contains_phrase(normalised, w) for w in DISTRESS_CONTEXT)
        matches: list[tuple[tuple[int, float], Category, tuple[str, ...]]] = []
        for category, strong, weak in self._keywords:
            found = tuple(k for k in strong if contains_phrase(normalised, k))
            if distress:
                found += tuple(k for k in weak if contains_phrase(normalised, k))
            if not found:
                continue
            # Longer phrases are more specific: "anak jalanan" outweighs a lone "anak".
            score = float(sum(len(k.split()) for k in found))
            matches.append(((_TIER.get(category.spm_group or "", 1), score), category, found))
        matches.sort(key=lambda m: m[0], reverse=True)
        best = matches[0] if matches else None
        flags: dict[DangerFlag, str] = {}
        for flag, words in DANGER_WORDS.items():
            hit = next((w for w in words if happened(told, w)), None)
            if hit:
                flags[flag] = hit
        for flag, hit in danger_from_roots(told).items():
            flags.setdefault(flag, hit)
        category = best[1] if best else None
        if category is not None and category.code.startswith("anak"):
            flags.setdefault(DangerFlag.CHILD, "kategori anak")
        if age := CHILD_AGE.search(told):
            flags.setdefault(DangerFlag.CHILD, age.group(0))
        flags, urgent = weigh(flags, told)  # now, a habit, an aftermath or days ago
        return Classification(
            category=category,
            score=best[0][1] if best else 0.0,
            matched=best[2] if best else (),
            danger_flags=tuple(flags),
            candidates=tuple(m[1].code for m in matches),
            urgent_flags=tuple(urgent),
            danger_matched=flags,
            mentions_night=names_the_night(told, text),
            mentions_alone=unattended(told),
            mentions_infant_alone=infant_alone(told),
            location=self._gazetteer.find(text) if self._gazetteer else None,
        )


def _sounds_dangerous(name: str) -> bool:
    words = (w for flag_words in DANGER_WORDS.values() for w in flag_words)
    return any(contains_phrase(name, w) for w in words) or bool(danger_from_roots(name))
