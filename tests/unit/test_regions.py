from datetime import UTC, datetime

import pytest

from shared.regions import UnknownRegion, format_local, region_zone, to_local

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
