"""A day for any region: scenarios generated from a region code and the national data (pure)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from shared.regions import UnknownRegion, region_zone
from tests.unit.simulator.test_posts import names_place
from trc.simulator import scenario as scenarios
from trc.simulator.anywhere import groups_of, places_of, scenario_for
from trc.simulator.plan import PlannedReport, Planner

START = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
REGIONS = {  # code: (name, what a village is called)
    "64.72": ("Kota Samarinda", "kelurahan"),
    "32.12": ("Kabupaten Indramayu", "desa"),
    "63.71": ("Kota Banjarmasin", "kelurahan"),
}


@cache
def day(code: str, seed: int | None = None, days: float = 2) -> tuple[PlannedReport, ...]:
    scenario = scenario_for(code, seed)
    zone = region_zone(code).iana
    return tuple(Planner(scenario, places_of(code), START, zone).plan(days))


@pytest.mark.parametrize("code", REGIONS)
def test_a_generated_scenario_has_the_region_s_name_zone_and_village_word(code: str) -> None:
    name, village = REGIONS[code]
    scenario = scenario_for(code)
    assert scenario.region_code == code and scenario.title.startswith(name)
    assert f"({region_zone(code).label})" in scenario.title
    assert scenario.village_word == village
    assert list(scenario.kecamatan) == list(places_of(code))
    batam = scenarios.load("batam")
    assert scenario.reports_per_day == batam.reports_per_day
    assert [c.code for c in scenario.categories] == [c.code for c in batam.categories]
    assert len(scenario.shelters) == 1 and name in scenario.shelters[0].name


@pytest.mark.parametrize("code", REGIONS)
def test_every_shift_s_teams_cover_every_kecamatan_exactly_once(code: str) -> None:
    scenario = scenario_for(code)
    kecamatan = list(places_of(code))
    assert {s.code for s in scenario.shifts} == {"pagi", "siang", "malam"}
    for shift in scenario.shifts:
        teams = [t for t in scenario.teams if t.shift == shift.code]
        covered = Counter(z for t in teams for z in t.zones)
        assert covered == Counter(kecamatan), shift.code
        assert all(2 <= len(t.zones) <= 4 for t in teams)
        assert [z for t in teams for z in t.zones] == kecamatan  # neighbours by code order
    for team in scenario.teams:
        assert 2 <= team.staff <= 3 and team.bko == 0
        assert re.fullmatch(r"R\d\d-[PSM]", team.code) and team.name.startswith("Regu ")


@pytest.mark.parametrize("code", REGIONS)
def test_the_day_s_reports_all_name_places_of_the_region(code: str) -> None:
    places = places_of(code)
    village = REGIONS[code][1]
    reports = [r for r in day(code) if r.category]
    assert len(reports) >= 36
    assert len({r.kecamatan for r in reports}) >= min(5, len(places))
    for report in reports:
        assert report.kecamatan in places, report
        assert report.kelurahan in places[report.kecamatan], report
        names = (report.kecamatan, report.kelurahan)
        assert any(names_place(report.text, n, typos=1) for n in names), report
        if report.channel != "social_media":  # the scenario's texts, the village called as here
            assert f"{village} {report.kelurahan}, kecamatan {report.kecamatan}" in report.text
    posts = " ".join(r.text.lower() for r in reports if r.channel == "social_media")
    other = "kelurahan" if village == "desa" else "desa"
    assert f"{village} " in posts and f"{other} " not in posts


def test_the_same_seed_generates_the_same_scenario_and_day_and_another_seed_others() -> None:
    assert scenario_for("64.72", 5) == scenario_for("64.72", 5)
    assert day("64.72", 5) == day("64.72", 5)
    assert scenario_for("64.72") == scenario_for("64.72", 6472)  # the code is the default seed
    assert [t.staff for t in scenario_for("32.12", 1).teams] != [
        t.staff for t in scenario_for("32.12", 2).teams
    ]
    assert day("64.72", 5) != day("64.72", 6)


def test_kecamatan_are_cut_into_neighbouring_groups_of_two_to_four() -> None:
    for count in range(2, 60):
        groups = groups_of([f"k{i:02d}" for i in range(count)])
        assert [k for g in groups for k in g] == [f"k{i:02d}" for i in range(count)]
        assert all(2 <= len(g) <= 4 for g in groups), (count, groups)
    assert groups_of(["only"]) == [["only"]]


def test_a_province_or_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="kabupaten/kota"):
        scenario_for("64")
    with pytest.raises(UnknownRegion):
        scenario_for("99.99")


def test_a_generated_scenario_saved_as_yaml_loads_back_the_same(tmp_path: Path) -> None:
    scenario = scenario_for("63.71")
    scenarios.save(scenario, tmp_path / "banjarmasin.yaml")
    assert scenarios.load(str(tmp_path / "banjarmasin.yaml")) == scenario
