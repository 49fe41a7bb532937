"""Region codes and time zones: every province and kab/kota known by its Kemendagri code, each
read in its own zone (WIB/WITA/WIT), unknown codes refused with the reason."""

import re
from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.contracts.envelope import RegionCode
from shared.regions import (
    UnknownRegion,
    check_region,
    format_local,
    is_known_region,
    known_region_codes,
    region_name,
    region_zone,
    to_local,
)

MIDNIGHT_UTC = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("21.71", "WIB"),
        ("32.12", "WIB"),
        ("61.71", "WIB"),
        ("73.71", "WITA"),
        ("64", "WITA"),
        ("63", "WITA"),
        ("51.71", "WITA"),
        ("81.71", "WIT"),
        ("91.71", "WIT"),
    ],
)
def test_each_region_reads_its_own_zone(code: str, label: str) -> None:
    assert region_zone(code).label == label


def test_the_same_instant_is_a_different_day_across_zones() -> None:
    assert to_local(MIDNIGHT_UTC, "21.71").day == 22  # 23.30 WIB
    assert to_local(MIDNIGHT_UTC, "73.71").day == 23  # 00.30 WITA
    assert format_local(MIDNIGHT_UTC, "21.71") == "22 Nov 2026 23.30 WIB"
    assert format_local(MIDNIGHT_UTC, "73.71") == "23 Nov 2026 00.30 WITA"
    assert format_local(MIDNIGHT_UTC, "91.71", lang="en") == "23 Nov 2026 01:30 WIT"


def test_naive_times_and_unknown_regions_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_local(datetime(2026, 11, 22, 16, 30), "21.71")
    with pytest.raises(UnknownRegion):
        region_zone("99.01")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("21.71", "Kota Batam"),
        ("73.71", "Kota Makassar"),
        ("32.12", "Kabupaten Indramayu"),  # a known region with no gazetteer
        ("64", "Kalimantan Timur"),
        ("96.71", "Kota Sorong"),  # Papua Barat Daya, one of the newest provinces
    ],
)
def test_real_provinces_and_kabupaten_kota_are_known_by_name(code: str, name: str) -> None:
    assert check_region(code) == code
    assert is_known_region(code)
    assert region_name(code) == name


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("99.99", "no province '99'"),
        ("99", "no province '99'"),
        ("73.99", "no kabupaten/kota with this code in Sulawesi Selatan"),
        ("21.71.05", "a province (21) or a kabupaten/kota (21.71)"),
    ],
)
def test_unknown_codes_are_refused_with_the_reason_in_both_languages(
    code: str, reason: str
) -> None:
    with pytest.raises(UnknownRegion, match=re.escape(reason)) as refused:
        check_region(code)
    assert "tidak dikenal" in str(refused.value) or "kode wilayah harus" in str(refused.value)
    assert not is_known_region(code)


def test_the_snapshot_has_every_province_and_kabupaten_kota_and_each_a_time_zone() -> None:
    codes = known_region_codes()
    provinces = [c for c in codes if len(c) == 2]
    assert (len(provinces), len(codes) - len(provinces)) == (38, 514)
    assert all(region_zone(code).label in {"WIB", "WITA", "WIT"} for code in codes)
    assert all(code[:2] in provinces for code in codes)


def test_an_event_or_request_naming_an_unknown_region_fails_validation() -> None:
    adapter: TypeAdapter[str] = TypeAdapter(RegionCode)
    assert adapter.validate_python("21.71") == "21.71"
    with pytest.raises(ValidationError, match="no kabupaten/kota with this code"):
        adapter.validate_python("73.99")
