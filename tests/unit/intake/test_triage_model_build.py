"""The shipped triage model is what `trc triage train` builds from the development set: training
is deterministic, and the model in the package is not something nobody can rebuild."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from trc.triage.corpus import DEV, read
from trc.triage.train import fit


def test_training_twice_on_the_same_texts_gives_the_same_model() -> None:
    texts = read(DEV)[:150]
    assert json.dumps(fit(texts), sort_keys=True) == json.dumps(fit(texts), sort_keys=True)


def test_the_shipped_model_is_rebuilt_from_the_development_set() -> None:
    shipped = json.loads(files("services.intake").joinpath("data", "triage_model.json").read_text())
    built = fit(read(DEV))
    assert built["idf"].keys() == shipped["idf"].keys()
    for head in ("report", "category", "p1"):
        assert built["heads"][head]["classes"] == shipped["heads"][head]["classes"]
        weights, expected = built["heads"][head]["weights"], shipped["heads"][head]["weights"]
        assert weights.keys() == expected.keys()
        for name, per_class in expected.items():
            for column, weight in per_class.items():
                assert weights[name][column] == pytest.approx(weight, abs=0.002), (head, name)
