"""Every seed department is placed from day one: a post that names a kecamatan and a
kelurahan/desa of the region, abbreviated and with a typo, is placed there and dispatched — in
the two sample cities and in three regions with no department data at all (national data only).
"""

from __future__ import annotations

import pytest

from services.intake.domain.decision import decide
from services.intake.domain.gazetteer import gazetteer
from services.intake.domain.textmodel import shipped_model
from services.intake.ingest import classifier_for, elsewhere_for

ASKING = "tolong ada nenek terlantar tidur di emperan ruko {place}, sdh 3 hari"


@pytest.mark.parametrize(
    ("region", "place", "kecamatan", "village", "word"),
    [
        ("21.71", "Kel. Duriankang, Kec. Sei Beduk", "Sei Beduk", "Duriangkang", "kelurahan"),
        ("73.71", "Kel. Tabaringn, Kec. Ujung Tanah", "Ujung Tanah", "Tabaringan", "kelurahan"),
        ("32.12", "Ds. Dermaayu, Kec. Sindang", "Sindang", "Dermayu", "desa"),
        ("64.72", "Kel. Sempja Selatan, Kec. Samarinda Utara", "Samarinda Utara",
         "Sempaja Selatan", "kelurahan"),
        ("63.71", "Kel. Pelambwan, Kec. Banjarmasin Barat", "Banjarmasin Barat", "Pelambuan",
         "kelurahan"),
    ],
)  # fmt: skip
def test_a_post_naming_its_kecamatan_and_village_is_placed_and_dispatched(
    region: str, place: str, kecamatan: str, village: str, word: str
) -> None:
    assert gazetteer(region).village_word == word
    verdict = decide(
        ASKING.format(place=place), classifier_for(region), shipped_model(), elsewhere_for(region)
    )
    assert verdict.dispatch, verdict.triage_reason
    assert verdict.location is not None
    assert (verdict.location.kecamatan, verdict.location.kelurahan) == (kecamatan, village)
