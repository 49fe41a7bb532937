"""Social-media posts for the simulator, composed from parts the way people write them.

A post about a category is an opener (or none), the person — named by a label or only described
by what they do —, what is happening, the place (from the region's gazetteer, written in varied
ways: the kecamatan alone, "kel. X", "daerah X", a street, abbreviations, now and then a typo),
a time that fits the hour it is sent, a plea or a question, emoji, hashtags or a mention, and
light slang. Danger is written in only when the plan says so, and then always. Noise posts are
donation appeals, welfare-programme news, jokes, ads, lost cats, chatter and cases already
handled. Pure: every choice comes from the caller's ``random.Random``, so the same seed writes
the same posts. The phrases are the simulator's own (``post_kinds``, ``post_parts``), never the
triage corpus's, so the demo does not flatter intake's classifier.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from trc.simulator.post_kinds import KINDS, Kind
from trc.simulator.post_parts import (
    ANY_TIME,
    DANGER,
    DESA,
    EMOJI,
    GREETING,
    HABIT,
    HASHTAGS,
    KECAMATAN,
    KELURAHAN,
    MENTIONS,
    NAME_SHORT,
    NOISE,
    NOISE_WEIGHTS,
    OPENERS,
    PARTICLES,
    PLEAS,
    SEEN,
    SLANG,
    SPOTS,
    TIMES,
    VIOLENCE_BY,
    VIOLENCE_TO,
)

NUMBER_WORDS = {2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam"}
RARE_SLANG = frozenset({"anak"})  # "ank" is written, but seldom
TYPO_RATE = 0.08
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@dataclass(frozen=True)
class Where:
    """A place of the region's gazetteer."""

    kecamatan: str
    kelurahan: str | None = None


def part_of_day(hour: int) -> str:
    if hour < 4:
        return "dini"
    if hour < 11:
        return "pagi"
    if hour < 15:
        return "siang"
    return "sore" if hour < 18 else "malam"


class PostWriter:
    """Writes posts with ``rng``; ``region_code`` chooses the province's sentence particles,
    ``village`` what a village is called there (a kota's kelurahan, a kabupaten's desa)."""

    def __init__(self, rng: random.Random, region_code: str = "", village: str = "kelurahan"):
        self.rng = rng
        self.particles = PARTICLES.get(region_code[:2], PARTICLES[""])
        self.villages = DESA if village == "desa" else KELURAHAN

    @staticmethod
    def knows(category: str) -> bool:
        return category in KINDS

    # ------------------------------------------------------------------ reports
    def report(
        self,
        category: str,
        where: Where,
        *,
        danger: Sequence[str] = (),
        people: int = 1,
        hour: int | None = None,
        event: str = "",
    ) -> str:
        """A post about ``people`` of ``category`` at ``where``, saying every planned danger;
        ``event`` names a surge the post belongs to ("banjir utara": a flood, not a landslide)."""
        rng = self.rng
        kind = KINDS[category]
        flags = list(dict.fromkeys(danger))
        level = rng.choice((0.0, 0.25, 0.5, 0.8))
        core, covered = self._core(kind, flags, people, event)
        extra = [self._danger(kind, flag) for flag in flags if flag not in covered]
        place = self._place(where)
        time = self._time(hour, habit=not flags)
        seen = rng.choice(SEEN)
        plea = self._plea()
        shape = rng.randrange(6)
        if shape == 0:
            sentences = [f"{seen} {core} {place} {time}", *extra, plea]
        elif shape == 1:
            sentences = [f"{place} {time} {seen} {core}", *extra, plea]
        elif shape == 2:
            sentences = [f"{core} {place}, {time}", *extra, plea]
        elif shape == 3:
            sentences = [f"{time} lewat {place}, lihat {core}", *extra, plea]
        elif shape == 4:
            sentences = [plea, f"{core} {place} {time}", *extra]
        else:
            sentences = [f"{place} {time}: {core}", *extra, plea]
        opener = self._opener(hour) if shape != 4 and rng.random() < 0.55 else ""
        body = self._sentences(sentences)
        if opener:  # after "Min," the post goes on in lower case (an acronym stays)
            body = f"{opener} {body[0].lower() if body[1:2].islower() else body[0]}{body[1:]}"
        body = self._slang(body, level, keep=place)
        return self._finish(body, where, mention=True)

    def _core(self, kind: Kind, flags: list[str], people: int, event: str) -> tuple[str, set[str]]:
        """Who and what is happening, and the planned dangers that already says."""
        rng = self.rng
        covered = {"child"} if kind.child else set()
        if "child" in flags and kind.with_child and not kind.child and rng.random() < 0.7:
            return rng.choice(kind.with_child), covered | {"child"}
        who = self._person(kind, people)
        if kind.disaster and "disaster" in flags:
            named = [w for w in event.lower().split() if len(w) > 3]
            now = [p for p in kind.now["disaster"] if any(w in p for w in named)]
            now = now or list(kind.now["disaster"])
            return f"{who} {rng.choice(now)}", covered | {"disaster"}
        if "violence" in flags and "violence" in kind.now and rng.random() < 0.7:
            return f"{who} {rng.choice(kind.now['violence'])}", covered | {"violence"}
        return f"{who} {rng.choice(kind.doing)}", covered

    def _person(self, kind: Kind, people: int) -> str:
        rng = self.rng
        if people > 1 and kind.group:
            n = NUMBER_WORDS.get(people) if rng.random() < 0.4 else None
            return rng.choice(kind.group).format(n=n or people)
        return rng.choice(kind.label if rng.random() < 0.45 else kind.plain)

    def _danger(self, kind: Kind, flag: str) -> str:
        if flag in kind.now:
            return self.rng.choice(kind.now[flag])
        if flag == "violence":
            return self.rng.choice(VIOLENCE_BY if kind.acts else VIOLENCE_TO)
        return self.rng.choice(DANGER[flag]) if flag in DANGER else ""

    # ------------------------------------------------------------------ noise
    def noise(self, where: Where | None = None, hour: int | None = None) -> str:
        """A post that is no report: an appeal, news, a joke, an ad, a lost cat, chatter, a case
        already handled."""
        rng = self.rng
        kinds = list(NOISE_WEIGHTS)
        kind = rng.choices(kinds, weights=[NOISE_WEIGHTS[k] for k in kinds])[0]
        template = rng.choice(NOISE[kind])
        place = self._place(where) if where else "di sini"
        kec = self._name(where.kecamatan, typo=False) if where else "sini"
        body = template.format(place=place, kec=kec, spot=rng.choice(SPOTS),
                               n=rng.randint(2, 6), time=self._time(hour))  # fmt: skip
        if rng.random() < 0.3:
            body = f"{rng.choice(('Info', 'Guys', 'Warga', 'Min'))}, {body[0].lower()}{body[1:]}"
        body = self._slang(body, rng.choice((0.0, 0.3, 0.6)), keep=place)
        return self._finish(body, where, mention=False)

    # ------------------------------------------------------------------ places
    def _place(self, where: Where) -> str:
        rng = self.rng
        typo = rng.random() < TYPO_RATE
        typo_kel = typo and rng.random() < 0.5
        kec = self._name(where.kecamatan, typo=typo and not typo_kel)
        spot = rng.choice(SPOTS)
        if where.kelurahan and rng.random() < 0.65:
            kel = self._name(where.kelurahan, typo=typo_kel)
            return rng.choice(self.villages).format(kel=kel, kec=kec, spot=spot)
        return rng.choice(KECAMATAN).format(kec=self._name(where.kecamatan, typo=typo), spot=spot)

    def _name(self, name: str, *, typo: bool) -> str:
        """A gazetteer name as people type it: shortened words, lower case, now and then a typo."""
        rng = self.rng
        words = name.split()
        plain = []  # words left as they are: a typo goes into one of them
        for i, word in enumerate(words):
            short = NAME_SHORT.get(word.lower())
            if short and rng.random() < 0.5:
                words[i] = rng.choice(short)
            else:
                plain.append(i)
        if typo and (long := [i for i in plain if len(words[i]) >= 5]):
            i = rng.choice(long)
            words[i] = self._typo(words[i])
        written = " ".join(words)
        return written.lower() if rng.random() < 0.3 else written

    def _typo(self, word: str) -> str:
        """A letter dropped, doubled or swapped with the next (a hyphen stays)."""
        letters = [i for i in range(1, len(word) - 1) if word[i : i + 2].isalpha()]
        if not letters:
            return word
        i = self.rng.choice(letters)
        how = self.rng.randrange(3)
        if how == 0:
            return word[:i] + word[i + 1 :]  # a letter dropped
        if how == 1:
            return word[:i] + word[i] + word[i:]  # a letter doubled
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped

    # ------------------------------------------------------------------ the rest
    def _time(self, hour: int | None, *, habit: bool = False) -> str:
        """A time fitting ``hour``; with ``habit`` also "tiap hari" (not for danger now)."""
        rng = self.rng
        if hour is None or rng.random() < 0.3:
            return rng.choice(ANY_TIME + HABIT if habit else ANY_TIME)
        return rng.choice(TIMES[part_of_day(hour)]).format(
            h=f"{hour:02d}", k=hour % 12 or 12, m=f"{rng.randrange(0, 60, 5):02d}"
        )

    def _opener(self, hour: int | None) -> str:
        rng = self.rng
        if hour is not None and rng.random() < 0.2:
            return GREETING["malam" if part_of_day(hour) == "dini" else part_of_day(hour)]
        return rng.choice(OPENERS).format(mention=rng.choice(MENTIONS))

    def _plea(self) -> str:
        plea = self.rng.choice(PLEAS)
        if self.rng.random() < 0.35:  # a question takes "ya"; a plea the province's particle
            particle = self.rng.choice(self.particles)
            plea = f"{plea[:-1]} ya?" if plea.endswith("?") else f"{plea} {particle}"
        return plea.upper() if self.rng.random() < 0.05 else plea

    def _sentences(self, sentences: list[str]) -> str:
        """Sentences joined and capitalised as a hurried writer would."""
        rng = self.rng
        out = []
        for sentence in filter(None, (s.strip() for s in sentences)):
            if rng.random() < 0.7:
                sentence = sentence[0].upper() + sentence[1:]
            if sentence[-1] not in ".?!":
                sentence += rng.choice((".", ".", ".", "!", "!!", "..", ","))
            out.append(sentence)
        return re.sub(r"\s+", " ", " ".join(out)).rstrip(",")

    def _slang(self, text: str, level: float, *, keep: str) -> str:
        """Words shortened as in chat (yg, tdk, dgn, sdh, org, bgt, anak2); ``keep`` untouched."""
        if not level:
            return text
        rng = self.rng

        def shorten(match: re.Match[str]) -> str:
            word = match.group(0)
            variants = SLANG.get(word.lower())
            chance = level * (0.3 if word.lower() in RARE_SLANG else 1.0)
            if not variants or rng.random() >= chance:
                return word
            short = rng.choice(variants)
            if word.isupper() and len(word) > 1:
                return short.upper()
            return short[0].upper() + short[1:] if word[0].isupper() else short

        head, found, tail = text.partition(keep)
        if not found:
            return _WORD.sub(shorten, text)
        return _WORD.sub(shorten, head) + keep + _WORD.sub(shorten, tail)

    def _finish(self, body: str, where: Where | None, *, mention: bool) -> str:
        """Emoji, hashtags and a mention, then the text's spaces tidied."""
        rng = self.rng
        tail = []
        if rng.random() < 0.45:
            tail.append("".join(rng.sample(EMOJI, rng.randint(1, 2))))
        if rng.random() < 0.3:
            tags = rng.sample(HASHTAGS, rng.randint(1, 2))
            if where and rng.random() < 0.4:
                tags.append("#" + re.sub(r"[^a-z0-9]", "", where.kecamatan.lower()))
            tail.append(" ".join(tags))
        if mention and rng.random() < 0.2:
            tail.append(f"cc {rng.choice(MENTIONS)}")
        text = " ".join([body, *tail])
        text = re.sub(r"\s+([,.:!?])", r"\1", re.sub(r"\s+", " ", text)).strip()
        return text.replace(",.", ".").replace(":.", ":")
