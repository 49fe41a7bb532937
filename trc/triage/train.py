"""Building intake's triage model from the development set (and a department's own corrections).

``trc triage train [--extra FILE.jsonl]`` fits three logistic regressions with scikit-learn on the
TF-IDF of :func:`services.intake.domain.textmodel.features` — report or not, category, P1 or not —
and writes them as plain JSON to ``services/intake/data/triage_model.json``, which intake applies
without scikit-learn. Deterministic: the same corpus gives the same file. The held-out set is
never read here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.intake.domain.textmodel import features
from trc.triage.corpus import DEV, Entry, read

MODEL = Path(__file__).resolve().parents[2] / "services" / "intake" / "data" / "triage_model.json"
MIN_DF = 2  # a feature seen in one text only is that text's, not the language's
C = {"report": 4.0, "category": 8.0, "p1": 4.0}  # inverse regularisation, chosen on dev (cv)
KEEP = 0.05  # weights smaller than this change no decision the benchmark sees; left out


def fit(entries: list[Entry]) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=MIN_DF)
    texts = [e.text for e in entries]
    matrix = vectoriser.fit_transform(texts)
    names = vectoriser.get_feature_names_out()
    idf = {str(n): round(float(v), 4) for n, v in zip(names, vectoriser.idf_, strict=True)}
    reports = [i for i, e in enumerate(entries) if e.is_report and e.category]
    heads = {
        "report": (range(len(entries)), [e.is_report for e in entries]),
        "category": (reports, [entries[i].category for i in reports]),
        "p1": (reports, [entries[i].p1 for i in reports]),
    }
    out: dict[str, Any] = {}
    for head, (rows, labels) in heads.items():
        model = LogisticRegression(C=C[head], max_iter=5000, class_weight="balanced")
        model.fit(matrix[list(rows)], labels)
        out[head] = _export(model, names)
    return {"idf": idf, "heads": out}


def _export(model: Any, names: Any) -> dict[str, Any]:
    weights: dict[str, dict[str, float]] = {}
    for column, name in enumerate(names):
        kept = {
            str(k): round(float(w), 3)
            for k, w in enumerate(model.coef_[:, column])
            if abs(w) >= KEEP
        }
        if kept:
            weights[str(name)] = kept
    return {
        "classes": [str(c) for c in model.classes_],  # "False"/"True" for the binary heads
        "intercepts": [round(float(b), 4) for b in model.intercept_],
        "weights": weights,
    }


def train(extra: list[Path], out: Path = MODEL) -> dict[str, int]:
    entries = read(DEV)
    for path in extra:
        entries += read(path)
    built = fit(entries)
    built["trained_on"] = f"{len(entries)} texts: corpus/triage/dev.jsonl" + "".join(
        f" + {p.name}" for p in extra
    )
    out.write_text(json.dumps(built, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return {"texts": len(entries), "features": len(built["idf"]), "bytes": out.stat().st_size}
