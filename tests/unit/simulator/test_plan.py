"""The simulator's scenarios and the day it plans from them (pure: no stack)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from tests.unit.simulator.test_posts import danger_said, names_place
from trc.simulator import scenario as scenarios
from trc.simulator.plan import DAY_S, Planner
from trc.simulator.posts import Where
from trc.simulator.scenario import Scenario

BATAM_PLACES = {
    "Lubuk Baja": ["Batu Selicin", "Kampung Pelita"],
    "Batam Kota": ["Belian", "Sukajadi"],
    "Sekupang": ["Tiban Baru"],
}
MAKASSAR_PLACES = {"Biringkanaya": ["Sudiang"], "Tamalanrea": ["Kapasa"], "Manggala": ["Antang"]}
MIDNIGHT_WIB = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 00.00 on 2 Dec in Batam


def plan(name: str, places: dict[str, list[str]], days: float, seed: int | None = None) -> list:
    scenario = scenarios.load(name)
    zone = "Asia/Jakarta" if scenario.region_code == "21.71" else "Asia/Makassar"
    return Planner(scenario, places, MIDNIGHT_WIB, zone, seed).plan(days)


def test_the_shipped_scenarios_load_and_batam_has_its_14_members_and_12_bko_in_shifts() -> None:
    assert {"batam", "makassar-banjir"} <= set(scenarios.shipped())
    batam = scenarios.load("batam")
    assert (batam.members, batam.bko) == (14, 12)
    assert {t.shift for t in batam.teams} == {s.code for s in batam.shifts} == {
        "pagi", "siang", "malam"
    }  # fmt: skip
    assert scenarios.load("makassar-banjir").bursts[0].category == "korban_bencana_alam"


def test_a_team_on_a_shift_the_scenario_does_not_have_is_refused() -> None:
    body = scenarios.load("batam").model_dump()
    body["teams"][0]["shift"] = "subuh"
    with pytest.raises(ValidationError, match="no shift 'subuh'"):
        Scenario.model_validate(body)


def test_the_same_seed_plans_the_same_day_and_another_seed_another() -> None:
    first, again = plan("batam", BATAM_PLACES, 1), plan("batam", BATAM_PLACES, 1)
    assert first == again
    assert plan("batam", BATAM_PLACES, 1, seed=99) != first


def test_reports_arrive_in_order_within_the_span_at_about_the_daily_rate() -> None:
    reports = plan("batam", BATAM_PLACES, 5)
    assert [r.at_s for r in reports] == sorted(r.at_s for r in reports)
    assert all(0 <= r.at_s < 5 * DAY_S for r in reports)
    real = [r for r in reports if r.category and r.duplicate_of is None]
    assert 5 * 36 * 0.8 <= len(real) <= 5 * 36 * 1.2
    assert {r.kecamatan for r in real} <= set(BATAM_PLACES)


def test_street_cases_come_more_at_night_than_in_the_early_morning() -> None:
    reports = plan("batam", BATAM_PLACES, 30)
    zone = ZoneInfo("Asia/Jakarta")
    hours = Counter(
        (MIDNIGHT_WIB + timedelta(seconds=r.at_s)).astimezone(zone).hour
        for r in reports
        if r.category in ("odgj_terlantar", "gelandangan", "pengemis", "anak_jalanan")
    )
    evening = sum(hours[h] for h in (19, 20, 21))
    early = sum(hours[h] for h in (4, 5, 6))
    assert evening > 2.5 * early


def test_a_second_call_comes_after_the_first_about_the_same_place_and_category() -> None:
    reports = plan("batam", BATAM_PLACES, 10)
    by_seq = {r.seq: r for r in reports}
    seconds = [r for r in reports if r.duplicate_of is not None]
    assert seconds, "Batam's scenario has second calls"
    for second in seconds:
        first = by_seq[second.duplicate_of]
        assert first.at_s < second.at_s <= first.at_s + 40 * 60
        assert (second.category, second.kecamatan, second.kelurahan) == (
            first.category, first.kecamatan, first.kelurahan
        )  # fmt: skip
        assert second.channel == "call_center"


def test_patrol_findings_carry_a_place_inside_the_region_and_noise_has_no_category() -> None:
    reports = plan("batam", BATAM_PLACES, 5)
    south, west, north, east = scenarios.load("batam").bounds
    patrols = [r for r in reports if r.channel == "patrol"]
    assert patrols
    assert all(south <= r.latitude <= north and west <= r.longitude <= east for r in patrols)
    noise = [r for r in reports if r.category is None]
    assert noise and all(r.channel == "social_media" for r in noise)


def test_the_makassar_flood_brings_its_reports_in_its_window_in_the_flooded_kecamatan() -> None:
    scenario = scenarios.load("makassar-banjir")
    reports = Planner(
        scenario, MAKASSAR_PLACES, datetime(2026, 12, 1, 16, 0, tzinfo=UTC), "Asia/Makassar"
    ).plan(1)  # 00.00 WITA
    flood = [r for r in reports if r.burst == "banjir utara" and r.duplicate_of is None]
    assert len(flood) == 40
    assert all(2 * 3600 <= r.at_s <= 8 * 3600 for r in flood)
    assert {r.kecamatan for r in flood} <= {"Biringkanaya", "Tamalanrea", "Manggala"}
    assert all(2 <= r.people <= 12 and r.danger == ("disaster",) for r in flood)


def test_social_posts_are_written_for_the_plan_and_calls_keep_the_scenario_texts() -> None:
    scenario = scenarios.load("batam")
    body = scenario.model_dump()
    body["noise_texts"] = []  # noise is written by the writer: the key is no longer needed
    reports = Planner(
        Scenario.model_validate(body), BATAM_PLACES, MIDNIGHT_WIB, "Asia/Jakarta"
    ).plan(3)
    templates = {c.code: c.texts for c in scenario.categories}
    posts = [r for r in reports if r.channel == "social_media"]
    calls = [r for r in reports if r.channel == "call_center" and r.category]
    assert calls and all(
        any(r.text.startswith(t.split("{")[0]) for t in templates[r.category]) for r in calls
    )
    reported = [r for r in posts if r.category]
    assert reported and not any(
        r.text.startswith(t.split("{")[0]) for r in reported for t in templates[r.category]
    )
    assert len({r.text for r in posts}) == len(posts)  # the player finds a post by its text
    assert any(r.category is None for r in posts)
    for r in reported:
        assert any(names_place(r.text, n or "", typos=1) for n in (r.kecamatan, r.kelurahan))
        assert set(r.danger) <= danger_said(r.text, Where(r.kecamatan, r.kelurahan)), r


def test_the_flood_s_posts_speak_of_a_flood() -> None:
    """A surge's name tells the writer which disaster it is (a flood, not a landslide)."""
    scenario = scenarios.load("makassar-banjir")
    reports = Planner(
        scenario, MAKASSAR_PLACES, datetime(2026, 12, 1, 16, 0, tzinfo=UTC), "Asia/Makassar"
    ).plan(1)
    posts = [r for r in reports if r.burst and r.channel == "social_media"]
    assert posts and all("banjir" in r.text.lower() for r in posts)
