"""The triage decision: a category and a place in the region dispatch; otherwise the queue is told
why (not a report, no category, not in the region, no place, low confidence). Other regions are
found by their official names; the trained model is read and explained in pure Python."""

from __future__ import annotations

import pytest

from services.intake.domain import decision
from services.intake.domain.decision import decide
from services.intake.domain.elsewhere import ElsewhereFinder
from services.intake.domain.gazetteer import gazetteer
from services.intake.domain.textmodel import TriageModel, features, load_model
from services.intake.ingest import classifier_for, elsewhere_for
from shared.contracts.vocabulary import DangerFlag


def _head(
    classes: list[str], weights: dict[str, dict[str, float]], intercepts: list[float]
) -> dict:
    return {"classes": classes, "intercepts": intercepts, "weights": weights}


def tiny_model(report_bias: float = 0.0) -> TriageModel:
    """A hand-made model: 'tidur' and 'emperan' say report and gelandangan; 'konser' says noise."""
    idf = {f: 1.0 for f in ("w:tidur", "w:emperan", "w:konser", "w:pingsan", "w:bapak")}
    return load_model({
        "idf": idf,
        "heads": {
            "report": _head(["False", "True"], {"w:tidur": {"0": 3.0}, "w:emperan": {"0": 3.0},
                                                "w:konser": {"0": -6.0}}, [report_bias]),
            "category": _head(["gelandangan", "odgj_terlantar", "pengemis"],
                              {"w:emperan": {"0": 4.0}}, [0.0, 0.0, 0.0]),
            "p1": _head(["False", "True"], {"w:pingsan": {"0": 6.0}}, [-2.0]),
        },
    })  # fmt: skip


BATAM = "21.71"


def verdict(text: str, model: TriageModel | None = None, **kwargs: object) -> decision.Verdict:
    return decide(text, classifier_for(BATAM), model, elsewhere_for(BATAM), **kwargs)  # type: ignore[arg-type]


def test_features_are_words_pairs_and_character_ngrams_with_digits_as_one_class() -> None:
    found = features("Anak2 umur 7th")
    assert "w:anak" in found and "b:anak anak" in found and "c:<an" in found
    assert "w:0th" not in found and "w:7th" in found and "w:0" not in found
    assert "w:0" in features("umur 12")


def test_the_model_explains_what_weighed_most() -> None:
    said = tiny_model().report.predict("bapak tidur di emperan")
    assert said.label == "True" and said.probability > 0.95
    assert set(said.weighed) == {"w:tidur", "w:emperan"}
    assert "tidur" in said.explain()


def test_a_category_and_a_kecamatan_are_enough_to_dispatch() -> None:
    found = verdict("ada gelandangan tidur di emperan toko daerah Sekupang", tiny_model())
    assert found.dispatch and found.category == "gelandangan"
    assert found.location is not None and found.location.kecamatan == "Sekupang"


def test_the_model_finds_a_category_no_keyword_names() -> None:
    found = verdict("bapak2 tiap malam di emperan ruko Batu Aji", tiny_model())
    assert found.category == "gelandangan" and found.dispatch
    assert any(line.startswith("model:") for line in found.explanation)


def test_what_the_model_calls_noise_is_not_a_report_even_with_a_keyword() -> None:
    found = verdict("konser amal malam minggu untuk anak jalanan di Sekupang", tiny_model())
    assert found.triage_reason == decision.NOT_A_REPORT and found.category is None


def test_on_a_short_text_the_model_has_seen_too_little_to_overrule_a_keyword() -> None:
    assert verdict("konser anak jalanan di Sekupang", tiny_model()).dispatch


def test_without_a_keyword_the_model_must_be_sure() -> None:
    unsure = verdict("bapak di Sekupang", tiny_model(report_bias=0.2))
    assert unsure.triage_reason in (decision.UNSURE, decision.NOT_A_REPORT)


def test_a_report_from_another_city_goes_to_triage_saying_so() -> None:
    found = verdict("gelandangan tidur di emperan pasar di Tanjungpinang", tiny_model())
    assert found.triage_reason == decision.ELSEWHERE
    assert found.elsewhere is not None and found.elsewhere.region_code == "21.72"


def test_no_place_goes_to_triage_unless_the_submission_carries_one() -> None:
    assert verdict("gelandangan tidur di emperan", tiny_model()).triage_reason == decision.NO_PLACE
    assert verdict("gelandangan tidur di emperan", tiny_model(), has_place=True).dispatch


def test_an_operators_category_is_a_report_whatever_the_model_says() -> None:
    found = verdict("konser di Sekupang", tiny_model(), category="pengemis")
    assert found.dispatch and found.category == "pengemis"


def test_without_a_model_the_keyword_rules_decide_alone() -> None:
    assert verdict("ada pengemis di lampu merah Sekupang").dispatch
    assert verdict("selamat ulang tahun").triage_reason == decision.NO_CATEGORY


def test_the_model_senses_danger_the_danger_words_missed() -> None:
    assert (
        verdict("bapak tidur di emperan, pingsan", tiny_model()).model_danger is None
    )  # a word did
    sensed = decide("bapak tidur emperan pingsan", classifier_for(BATAM), tiny_model(), None)
    assert sensed.danger_flags or sensed.model_danger


def test_a_child_named_does_not_hide_the_danger_the_model_senses() -> None:
    """A child is a P2 by itself, no danger: the model still says why it sees one (a child
    silent for hours in a text no danger word covers); before, any child flag hid it."""
    model = load_model({
        "idf": {"w:diam": 1.0},
        "heads": {
            "report": _head(["False", "True"], {"w:diam": {"0": 6.0}}, [0.0]),
            "category": _head(["anak_terlantar", "gelandangan"], {"w:diam": {"0": 4.0}}, [0.0, 0.0]),
            "p1": _head(["False", "True"], {"w:diam": {"0": 6.0}}, [-2.0]),
        },
    })  # fmt: skip
    seen = verdict("ada anak kecil di emperan toko Sekupang dari tadi diam saja", model)
    assert seen.urgent_flags == (DangerFlag.CHILD,)
    assert seen.model_danger == "diam"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ada ODGJ di Pekanbaru", "14.71"),
        ("pengemis di kota padang", "13.71"),
        ("dulu di batam skrg di Jakarta Selatan", "31.74"),
        ("anak hilang di tanjung pinang", "21.72"),
        ("ibu2 bawa bayi minta2 di Palu, kasian", "72.71"),  # an everyday word after "di"
    ],
)
def test_other_regions_are_found_by_their_official_names(text: str, code: str) -> None:
    found = ElsewhereFinder(BATAM).find(text)
    assert found is not None and found.region_code == code


@pytest.mark.parametrize(
    "text",
    [
        "makan nasi padang di Sekupang",  # an everyday word without "kota"
        "kakek tidur di halte, Kepulauan Riau",  # the department's own province
        "pengemis di Batu Ampar",  # "batu" is a region name and an everyday word
        "anak dipukul pakai palu di Sekupang",  # a hammer, not after "di"
        "ada bapak2 tidur di batu dekat pantai Nongsa",  # on a stone: "batu" never after "di"
        "ODGJ di Kota Batam",
    ],
)
def test_everyday_words_and_the_departments_own_names_are_not_elsewhere(text: str) -> None:
    places = tuple(p.name for p in gazetteer(BATAM).places)
    assert ElsewhereFinder(BATAM, places).find(text) is None


def test_a_kecamatan_named_like_another_kabupaten_is_the_departments_own() -> None:
    places = tuple(p.name for p in gazetteer("73.71").places)
    assert ElsewhereFinder("73.71", places).find("pengemis di kecamatan Wajo") is None
    assert ElsewhereFinder("73.71", places).find("pengemis di Maros") is not None


def test_a_category_the_model_only_guesses_is_marked_so_it_never_keeps_a_follow_up_from_its_case() -> (
    None
):
    guessed = verdict("bapak tidur di ruko daerah Batu Aji dari kemarin sore", tiny_model())
    assert guessed.category is not None and guessed.category_guessed
    firm = verdict("bapak2 tiap malam di emperan ruko Batu Aji", tiny_model())
    assert firm.category == "gelandangan" and not firm.category_guessed
    keyword = verdict("ada pengemis di lampu merah Sekupang", tiny_model())
    assert not keyword.category_guessed
