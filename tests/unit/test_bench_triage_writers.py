"""``bench triage --set dev --by-writer``: each writer's texts are read by a model that never read
that writer — the development set's stand-in for the held-out set's unseen writer."""

from __future__ import annotations

from typing import Any

import pytest

import bench.triage
import trc.triage.train
from trc.triage.corpus import Entry


def _entry(ident: str) -> Entry:
    return Entry(id=ident, text="ada pengemis di lampu merah Sekupang", channel="social",
                 department="21.71", is_report=True, in_region=True, category="pengemis")  # fmt: skip


def test_a_writer_is_the_prefix_of_a_texts_id() -> None:
    assert bench.triage.writer(_entry("w7-0012")) == "w7"
    assert bench.triage.writer(_entry("dv2-0840")) == "dv2"


def test_each_writer_is_read_by_a_model_trained_on_the_others_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = [_entry(f"{w}-{i:04d}") for w in ("db", "w1", "w2") for i in range(3)]
    trained: list[set[str]] = []

    def fit(train: list[Entry]) -> dict[str, Any]:
        trained.append({bench.triage.writer(e) for e in train})
        return {}

    monkeypatch.setattr(trc.triage.train, "fit", fit)
    monkeypatch.setattr(bench.triage, "load_model", lambda raw: None)  # the rules alone
    scored = bench.triage.by_writer(entries)
    assert trained == [{"w1", "w2"}, {"db", "w2"}, {"db", "w1"}]
    assert sorted(s.entry.id for s in scored) == sorted(e.id for e in entries)
