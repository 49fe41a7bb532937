"""A small trained text model, read from JSON and applied in pure Python (no library at run time).

The model is a linear classifier over TF-IDF features of the normalised text: words, word pairs
and character n-grams inside words (which carry typos, slang and affixes: "ngamuk", "ngamok",
"mengamuk" share "ngam", "amuk"). It is trained from the corpus by ``trc triage train`` (with
scikit-learn, at build time only) and shipped as ``data/triage_model.json``; the same
:func:`features` function serves training and prediction, so both see the same features.
Every prediction keeps the features that weighed most, for the operator.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Any

from services.intake.domain.text import normalise

CHAR_SIZES = (3, 4, 5)


def features(text: str) -> list[str]:
    """The features of a text: ``w:word``, ``b:word word`` and ``c:<n-gram>`` of each word
    padded with ``<`` and ``>``. Digits count as one class (``0``): ages and times vary."""
    words = [w if not w.isdigit() else "0" for w in normalise(text).split()]
    found = [f"w:{w}" for w in words]
    found += [f"b:{a} {b}" for a, b in pairwise(words)]
    for word in words:
        padded = f"<{word}>"
        for size in CHAR_SIZES:
            found += [f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return found


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float
    probabilities: dict[str, float]
    weighed: tuple[str, ...]  # the features that pushed most towards ``label``

    def explain(self) -> str:
        shown = ", ".join(f.split(":", 1)[1] for f in self.weighed)
        return f"{self.label} ({self.probability:.0%}: {shown})"


class LinearModel:
    """One head of the model: its classes, their intercepts and the features' weights (sparse:
    weights too small to matter are left out; a binary head keeps the positive class's)."""

    def __init__(self, raw: dict[str, Any], idf: dict[str, float]) -> None:
        self.classes: list[str] = raw["classes"]
        self.intercepts: list[float] = raw["intercepts"]
        self.idf = idf  # every feature of the vocabulary, shared by the heads
        self.weights: dict[str, dict[int, float]] = {
            name: {int(k): w for k, w in per_class.items()}
            for name, per_class in raw["weights"].items()
        }

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    def predict(self, text: str, *, explain: int = 4) -> Prediction:
        counts = Counter(f for f in features(text) if f in self.idf)
        values = {f: (1 + math.log(n)) * self.idf[f] for f, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        scores = list(self.intercepts)
        contributions: dict[str, list[float]] = {}
        for name, value in values.items():
            x = value / norm
            per_class = [0.0] * len(scores)
            for index, weight in self.weights.get(name, {}).items():
                scores[index] += weight * x
                per_class[index] = weight * x
            contributions[name] = per_class
        probabilities = _sigmoid_pair(scores[0]) if self.binary else _softmax(scores)
        best = max(range(len(self.classes)), key=lambda i: probabilities[i])
        if self.binary:  # one weight: positive pushes towards class 1, negative towards class 0
            sign = 1.0 if best == 1 else -1.0
            weight_of = {n: sign * c[0] for n, c in contributions.items()}
        else:
            weight_of = {n: c[best] for n, c in contributions.items()}
        top = sorted((n for n in weight_of if weight_of[n] > 0), key=lambda n: -weight_of[n])
        return Prediction(
            label=self.classes[best],
            probability=probabilities[best],
            probabilities=dict(zip(self.classes, probabilities, strict=True)),
            weighed=tuple(top[:explain]),
        )


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _sigmoid_pair(score: float) -> list[float]:
    positive = 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0
    return [1.0 - positive, positive]


@dataclass(frozen=True)
class TriageModel:
    """The heads the triage decision uses: report or not, category, P1 or not."""

    report: LinearModel
    category: LinearModel
    p1: LinearModel
    trained_on: str  # what it was built from, for the operator and the benchmark


def load_model(raw: dict[str, Any]) -> TriageModel:
    heads, idf = raw["heads"], raw["idf"]
    return TriageModel(
        report=LinearModel(heads["report"], idf),
        category=LinearModel(heads["category"], idf),
        p1=LinearModel(heads["p1"], idf),
        trained_on=raw.get("trained_on", ""),
    )


@cache
def shipped_model() -> TriageModel | None:
    """The model shipped with intake (``data/triage_model.json``), or None before one is built."""
    path = files("services.intake").joinpath("data", "triage_model.json")
    if not path.is_file():
        return None
    return load_model(json.loads(path.read_text(encoding="utf-8")))
