"""Places as the triage decision and the text normaliser take them: "Ds.", "Plb.", "Pel." written
out, and a name two kecamatan share sent to the queue as an ambiguous place, never guessed."""

from __future__ import annotations

import pytest

from services.intake.domain import decision
from services.intake.domain.decision import decide
from services.intake.domain.gazetteer import gazetteer
from services.intake.domain.text import normalise
from services.intake.ingest import classifier_for, elsewhere_for

BATAM, INDRAMAYU = "21.71", "32.12"


@pytest.mark.parametrize(
    ("abbreviated", "written"),
    [
        ("Ds. Sukagumiwang", "desa sukagumiwang"),
        ("Plb. Sekupang / Pel. Sekupang", "pelabuhan sekupang pelabuhan sekupang"),
    ],
)
def test_desa_and_pelabuhan_abbreviations_are_written_out(abbreviated: str, written: str) -> None:
    assert normalise(abbreviated) == written


def test_places_written_with_those_abbreviations_are_found() -> None:
    port = gazetteer(BATAM).find("anak2 di Plb. Sekupang")
    assert port is not None and port.landmark == "Pelabuhan Sekupang"
    desa = gazetteer(INDRAMAYU).find("lansia di Ds. Sukagumiwang")
    assert desa is not None and (desa.kecamatan, desa.kelurahan) == ("Sukagumiwang", "Sukagumiwang")


def test_an_ambiguous_place_goes_to_triage_with_its_reason_and_candidates() -> None:
    text = "tolong ada nenek terlantar tidur di emperan toko desa Kedungwungu sudah 3 hari"
    verdict = decide(text, classifier_for(INDRAMAYU), None, elsewhere_for(INDRAMAYU))
    assert verdict.triage_reason == decision.AMBIGUOUS_PLACE == "lokasi ambigu / ambiguous place"
    assert any("Kedungwungu (Kec. Anjatan)" in line for line in verdict.explanation)
    named = decide(text + " kec. Krangkeng", classifier_for(INDRAMAYU), None,
                   elsewhere_for(INDRAMAYU))  # fmt: skip
    assert named.dispatch and named.location is not None
    assert named.location.kecamatan_code == "32.12.09"
    chosen = decide(text, classifier_for(INDRAMAYU), None, elsewhere_for(INDRAMAYU),
                    has_place=True)  # fmt: skip
    assert chosen.dispatch  # the operator gave the place
