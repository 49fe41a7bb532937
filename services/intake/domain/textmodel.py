"""A small trained text model, read from JSON and applied with numpy (no model library at run time).

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

import numpy as np

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

    @property
    def words(self) -> str:
        """The features that weighed most, as an operator reads them ("tidur, <emp, emperan")."""
        return ", ".join(f.split(":", 1)[1] for f in self.weighed)

    def explain(self) -> str:
        return f"{self.label} ({self.probability:.0%}: {self.words})"


class Vocabulary:
    """Every feature of the model, numbered, with its idf; shared by the heads. Kept in numpy
    arrays, not dictionaries of floats: the whole model stays a few MiB in a service's memory."""

    def __init__(self, idf: dict[str, float]) -> None:
        self.names = sorted(idf)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.idf = np.array([idf[name] for name in self.names], dtype=np.float32)

    def vector(self, text: str) -> dict[int, float]:
        """The text's TF-IDF vector: sublinear term frequency times idf, of unit length."""
        counts = Counter(i for f in features(text) if (i := self.index.get(f)) is not None)
        values = {i: (1 + math.log(n)) * float(self.idf[i]) for i, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        return {i: v / norm for i, v in values.items()}


class LinearModel:
    """One head of the model: its classes, their intercepts, and a weight per feature and class
    (a binary head keeps the positive class's only), dense in one matrix (features × columns)."""

    def __init__(self, raw: dict[str, Any], vocabulary: Vocabulary) -> None:
        self.classes: list[str] = raw["classes"]
        self.intercepts = np.array(raw["intercepts"], dtype=np.float64)
        self.vocabulary = vocabulary
        self.width = len(self.intercepts)
        self.weights = np.zeros((len(vocabulary.names), self.width), dtype=np.float32)
        for name, per_class in raw["weights"].items():
            row = vocabulary.index[name]
            for column, weight in per_class.items():
                self.weights[row, int(column)] = weight

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    def predict(self, text: str, *, explain: int = 4) -> Prediction:
        return self.predict_vector(self.vocabulary.vector(text), explain=explain)

    def predict_vector(self, values: dict[int, float], *, explain: int = 4) -> Prediction:
        """``values``: the text's :meth:`Vocabulary.vector` (computed once for every head)."""
        at = np.fromiter(values.keys(), dtype=np.intp, count=len(values))
        x = np.fromiter(values.values(), dtype=np.float64, count=len(values))
        rows = self.weights[at].astype(np.float64)  # the text's features' weights, (n, width)
        scores = self.intercepts + (x[:, None] * rows).sum(axis=0)  # no BLAS, no threads
        probabilities = _sigmoid_pair(float(scores[0])) if self.binary else _softmax(scores)
        best = max(range(len(self.classes)), key=lambda i: probabilities[i])
        # what pushed towards ``best``: a binary head's one weight pushes towards class 1
        column, sign = (0, 1.0 if best == 1 else -1.0) if self.binary else (best, 1.0)
        pushed = sign * rows[:, column] * x
        order = np.argsort(-pushed, kind="stable")  # ties keep the text's order
        top = [int(at[j]) for j in order[:explain] if pushed[j] > 0]
        return Prediction(
            label=self.classes[best],
            probability=probabilities[best],
            probabilities=dict(zip(self.classes, probabilities, strict=True)),
            weighed=tuple(self.vocabulary.names[i] for i in top),
        )


def _softmax(scores: np.ndarray) -> list[float]:
    exps = np.exp(scores - scores.max())
    return [float(e) for e in exps / exps.sum()]


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

    def read(self, text: str) -> tuple[Prediction, Prediction, Prediction]:
        """(report, category, P1) of one text, its features counted once."""
        values = self.report.vocabulary.vector(text)
        return tuple(h.predict_vector(values) for h in (self.report, self.category, self.p1))  # type: ignore[return-value]


def load_model(raw: dict[str, Any]) -> TriageModel:
    heads, vocabulary = raw["heads"], Vocabulary(raw["idf"])
    return TriageModel(
        report=LinearModel(heads["report"], vocabulary),
        category=LinearModel(heads["category"], vocabulary),
        p1=LinearModel(heads["p1"], vocabulary),
        trained_on=raw.get("trained_on", ""),
    )


@cache
def shipped_model() -> TriageModel | None:
    """The model shipped with intake (``data/triage_model.json``), or None before one is built."""
    path = files("services.intake").joinpath("data", "triage_model.json")
    if not path.is_file():
        return None
    return load_model(json.loads(path.read_text(encoding="utf-8")))
