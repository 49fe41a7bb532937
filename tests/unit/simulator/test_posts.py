"""The simulator's social posts: the same seed writes the same posts, they vary, every category
of intake is written with its place and exactly the planned danger, and none of them comes from
the triage corpus (not a text of it, not six words in a row of one)."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.intake.domain.text import normalise
from tests.unit.simulator.places import REGION_NAMES, REGIONS
from trc.simulator import post_kinds, post_parts
from trc.simulator.posts import PostWriter, Where
from trc.triage.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[3]
INTAKE_DATA = ROOT / "services" / "intake" / "data"
CATEGORIES = [
    c["code"] for c in json.loads((INTAKE_DATA / "categories.json").read_text())["categories"]
]
PLACES = {
    code: [(kec, kel) for kec, kels in region.items() for kel in [None, *kels]]
    for code, region in REGIONS.items()
}
FLAGS = ("violence", "medical", "disaster", "child")
RUN = 6  # words in a row that no post may share with a corpus text


# ------------------------------------------------------------------ reading a post back
EXPAND = {"kel": "kelurahan", "kec": "kecamatan", "jl": "jalan", "jln": "jalan", "gg": "gang"}


def _words(text: str) -> list[str]:
    """Lower case, no accents or punctuation, reduplication written out (anak2 → anak anak)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b([a-z]+)-\1\b", r"\1 \1", text)
    text = re.sub(r"\b([a-z]{2,})2\b", r"\1 \1", text)
    return re.findall(r"[a-z0-9]+", text)


def _same_word() -> dict[str, str]:
    """Every way the writer shortens a word or a place's word, back to one spelling."""
    back = dict(EXPAND)
    for word, variants in post_parts.SLANG.items():
        for variant in variants:
            if len(_words(variant)) == 1:
                back.setdefault(_words(variant)[0], " ".join(_words(word)))
    groups: list[set[str]] = []
    for word, variants in post_parts.NAME_SHORT.items():
        group = {w for v in (word, *variants) for w in _words(v)}
        for other in [g for g in groups if g & group]:
            group |= other
            groups.remove(other)
        groups.append(group)
    for group in groups:
        back.update(dict.fromkeys(group, max(group, key=len)))
    return back


SAME = _same_word()
CHILD = re.compile(r"\b(" + "|".join(post_parts.CHILD_WORDS) + r")")


def plain(text: str) -> str:
    """The words of a text, the writer's slang and shortenings undone (nothing of intake's)."""
    return " ".join(SAME.get(w, w) for w in _words(text))


def canonical(text: str) -> str:
    """As intake reads it (its normalisation: abbreviations, squeezed letters), and then the
    writer's slang undone: the strictest reading, for comparing with the corpus."""
    return " ".join(SAME.get(w, w) for w in normalise(plain(text)).split())


# What a reader takes for danger: the writer's own vocabulary, not intake's rules (which change
# on their own; intake's tests judge intake).
DANGER_SAID = {
    "violence": re.compile(
        r"amuk|pukul|mukul|tendang|nendang|keroyok|aniaya|ancam|serang|nyerang|pisau|lempar batu"
    ),
    "medical": re.compile(r"pingsan|sadar|kejang|luka|darah|lemas|sesak|demam"),
    "disaster": re.compile(r"banjir|longsor|gempa|terbakar|kebakaran|\bapi\b|tsunami"),
}
PAST = re.compile(r"\b(minggu lalu|bulan lalu|tahun lalu|\d+ hari lalu|kemarin)\b")


def danger_said(text: str, where: Where | None = None) -> set[str]:
    """The dangers a reader finds around the place's names (a kelurahan may be called "Parang
    Tambung": that is no machete): violence, a medical emergency, a disaster not placed in the
    past, a child."""
    words = plain(text).split()
    for name in (where.kecamatan, where.kelurahan) if where else ():
        wanted = plain(name or "").split()
        spans = range(len(words) - len(wanted) + 1) if wanted else range(0)
        near = [(_osa(" ".join(words[i : i + len(wanted)]), " ".join(wanted)), i) for i in spans]
        typos = 1 if len(name or "") >= 8 else 0  # "sadai" is one letter from "sadar"
        if near and (best := min(near))[0] <= typos:  # the place's name, typo or not
            words[best[1] : best[1] + len(wanted)] = [""] * len(wanted)
    said = " ".join(filter(None, words))
    flags = {flag for flag, words_of in DANGER_SAID.items() if words_of.search(said)}
    if PAST.search(said):
        flags.discard("disaster")
    if CHILD.search(said):
        flags.add("child")
    return flags


def _osa(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def names_place(text: str, name: str, typos: int = 0) -> bool:
    said, wanted = plain(text).split(), plain(name).split()
    windows = (" ".join(said[i : i + len(wanted)]) for i in range(len(said) - len(wanted) + 1))
    return any(_osa(w, " ".join(wanted)) <= typos for w in windows)


def draws(
    seed: int, count: int, region: str = "21.71"
) -> Iterator[tuple[str, Where, tuple[str, ...], str]]:
    """(category, place, planned danger, post) for ``count`` posts of every category."""
    rng = random.Random(seed)
    writer = PostWriter(random.Random(seed), region)
    for category in CATEGORIES:
        for _ in range(count):
            where = Where(*rng.choice(PLACES[region]))
            danger = tuple(f for f in FLAGS if rng.random() < 0.25)
            people = rng.choice((1, 1, 1, 2, 3, 5, 9))
            text = writer.report(
                category, where, danger=danger, people=people, hour=rng.randrange(24)
            )
            yield category, where, danger, text


# ------------------------------------------------------------------ the tests
def test_the_same_seed_writes_the_same_posts_and_another_seed_others() -> None:
    first = [t for *_, t in draws(7, 3)]
    assert first == [t for *_, t in draws(7, 3)]
    assert first != [t for *_, t in draws(8, 3)]


@pytest.mark.parametrize(
    "category", ["gelandangan", "odgj_terlantar", "anak_jalanan", "fakir_miskin"]
)
def test_posts_about_one_category_at_one_place_hardly_repeat(category: str) -> None:
    writer = PostWriter(random.Random(1), "21.71")
    where = Where("Sekupang", "Tiban Baru")
    texts = [writer.report(category, where, hour=20) for _ in range(500)]
    assert len(set(texts)) >= 0.9 * len(texts)


def test_noise_of_every_kind_is_written_and_varies() -> None:
    writer = PostWriter(random.Random(2), "73.71")
    texts = [writer.noise(Where("Tamalate", "Jongaya"), hour=h % 24) for h in range(500)]
    assert len(set(texts)) >= 0.9 * len(texts)
    stems = {
        kind: [plain(t.split("{")[0])[:25] for t in ts] for kind, ts in post_parts.NOISE.items()
    }
    for kind, starts in stems.items():  # donations, programme news, jokes, ads, lost cats, …
        assert any(any(s in plain(t) for s in starts) for t in texts), kind


def test_every_category_of_intake_is_written_and_says_its_category() -> None:
    assert set(CATEGORIES) == set(post_kinds.KINDS), "the writer knows intake's 29 categories"
    assert len(CATEGORIES) == 29
    for category, _where, _danger, text in draws(3, 20):
        kind = post_kinds.KINDS[category]
        phrases = [*kind.doing, *kind.with_child, *(p for ps in kind.now.values() for p in ps)]
        assert text.strip()
        assert any(plain(p) in plain(text) for p in phrases), (category, text)


def test_the_place_is_in_the_post_written_in_varied_ways() -> None:
    posts = [(where, text) for region in REGIONS for _c, where, _d, text in draws(4, 15, region)]
    exact = 0
    for where, text in posts:
        names = [where.kecamatan, *([where.kelurahan] if where.kelurahan else [])]
        assert any(names_place(text, n, typos=1) for n in names), (where, text)
        exact += any(names_place(text, n) for n in names)
    assert exact >= 0.85 * len(posts)  # a typo now and then, not often
    texts = [t for _, t in posts]
    for way in ("kel. ", "Kel ", "kec. ", "Jl. ", "daerah ", "Tg. ", "Sei "):
        assert any(way in t for t in texts), way
    kelurahan_given = [(w, t) for w, t in posts if w.kelurahan]
    assert any(not names_place(t, w.kelurahan or "", typos=1) for w, t in kelurahan_given)


def test_a_post_says_the_danger_the_plan_says_and_no_other() -> None:
    for category, where, danger, text in draws(5, 40):
        said = danger_said(text, where)
        assert set(danger) <= said, (category, danger, text)
        expected = set(danger) | ({"child"} if post_kinds.KINDS[category].child else set())
        assert said <= expected, (category, danger, text)


def test_the_tables_name_no_region() -> None:
    """The writer serves any region: the region's places come from its gazetteer."""
    tables = canonical(" ".join(_strings(post_kinds.KINDS) + _strings(vars(post_parts))))
    for name in REGION_NAMES:
        assert f" {canonical(name)} " not in f" {tables} ", name


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if not str(k).startswith("__") for s in _strings(v)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "__dataclass_fields__"):
        return _strings(vars(value))
    return []


# ------------------------------------------------------------------ not the corpus
def _corpus_texts() -> list[str]:
    """Every text of every corpus file (found by pattern: no file is named here)."""
    files = sorted(CORPUS.glob("*.jsonl"))
    assert len(files) >= 2, "the development and the held-out sets"
    texts = []
    for path in files:
        texts += [
            json.loads(line)["text"]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    assert texts
    return texts


def _runs(text: str) -> set[tuple[str, ...]]:
    words = canonical(text).split()
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_post_is_a_corpus_text_or_shares_six_words_in_a_row_with_one() -> None:
    corpus = _corpus_texts()
    whole = {t.strip() for t in corpus} | {canonical(t) for t in corpus}
    runs = set().union(*(_runs(t) for t in corpus))
    posts = [
        text for seed in (11, 12, 13) for region in REGIONS for *_, text in draws(seed, 12, region)
    ]
    for seed in (11, 12):
        writer = PostWriter(random.Random(seed), "21.71")
        for region in REGIONS:
            posts += [
                writer.noise(Where(*random.Random(i).choice(PLACES[region])), hour=i % 24)
                for i in range(300)
            ]
    assert len(posts) >= 3000
    copied = [t for t in posts if t.strip() in whole or canonical(t) in whole]
    assert not copied, copied[:5]
    shared = [(t, " ".join(sorted(_runs(t) & runs)[0])) for t in posts if _runs(t) & runs]
    assert not shared, f"{len(shared)} posts share six words in a row with the corpus: {shared[:5]}"
