"""The classifier on a corpus of realistic Indonesian posts: reports from Batam and Makassar,
and noise that mentions the same places and words (ads, news, greetings, traffic)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.intake.domain.classifier import Classifier
from services.intake.domain.gazetteer import gazetteer
from services.intake.domain.taxonomy import default_taxonomy

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text())


@pytest.fixture(scope="module")
def results() -> list[tuple[dict, object]]:
    classifiers = {r: Classifier(default_taxonomy(), gazetteer(r)) for r in ("21.71", "73.71")}
    return [(post, classifiers[post["region"]].classify(post["text"])) for post in CORPUS]


def test_the_corpus_is_large_and_mixed() -> None:
    reports = [p for p in CORPUS if p["category"]]
    assert len(CORPUS) >= 60
    assert 20 <= len(CORPUS) - len(reports) <= len(reports)


def test_report_detection_precision_and_recall(results) -> None:
    tp = sum(1 for post, r in results if post["category"] and r.is_report)
    fp = sum(1 for post, r in results if not post["category"] and r.is_report)
    fn = sum(1 for post, r in results if post["category"] and not r.is_report)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"\nreport detection: precision {precision:.2f} recall {recall:.2f} (tp={tp} fp={fp} fn={fn})"
    )
    assert precision >= 0.95
    assert recall >= 0.9


def test_category_accuracy_on_real_reports(results) -> None:
    reports = [(post, r) for post, r in results if post["category"]]
    right = sum(1 for post, r in reports if r.category and r.category.code == post["category"])
    wrong = [
        (p["text"], r.category.code if r.category else None)
        for p, r in reports
        if not r.category or r.category.code != p["category"]
    ]
    print(f"\ncategory accuracy {right / len(reports):.2f}; wrong: {wrong}")
    assert right / len(reports) >= 0.9


def test_danger_flags_are_found(results) -> None:
    expected = [(post, r) for post, r in results if post.get("flags")]
    missed = [
        (p["text"], f)
        for p, r in expected
        for f in p["flags"]
        if f not in {flag.value for flag in r.danger_flags}
    ]
    assert len(missed) <= len(expected) * 0.1, missed


def test_places_are_found_with_local_spellings(results) -> None:
    expected = [(post, r) for post, r in results if post.get("kelurahan")]
    found = [p for p, r in expected if r.location and r.location.kelurahan == p["kelurahan"]]
    print(f"\nkelurahan found {len(found)}/{len(expected)}")
    assert len(found) >= 0.9 * len(expected)


def test_the_reason_is_the_words_that_matched() -> None:
    result = Classifier(default_taxonomy()).classify("Ada ODGJ ngamuk di halte")
    assert result.category is not None
    assert result.category.code == "odgj_terlantar"
    assert "odgj" in result.matched
    assert result.danger_matched
