"""A scenario for any kabupaten/kota, generated from its code and the national region data.

``scenario_for("64.72")`` gives the same :class:`~trc.simulator.scenario.Scenario` a YAML file
would, so planning, setting up and playing need no special case:

- the region's name and zone from ``shared.regions``; its places from intake's gazetteer (every
  kecamatan in code order, each with its kelurahan/desa) and what a village is called there
  (a kota's kelurahan, a kabupaten's desa: the callers' notes and the posts say it);
- teams: the kecamatan in code order cut into groups of 2–4 neighbours (about three each), one
  team per group on each of three 8-hour shifts (07–15, 15–23, 23–07), 2–3 members each (drawn
  from the seed); codes ``R01-P`` (group 1, pagi), labels only — nobody's name;
- one shelter, ``Rumah Singgah <region> (simulasi)``, with the Batam shelter's sections;
- how the day goes (reports a day, channels, hourly profiles, categories and their texts,
  duplicates, noise posts, members' and shelter staff's pace) from the Batam scenario, every
  kecamatan weighted alike; patrol locations in a box around the province's capital (the
  national data has no coordinates: an approximation, edit ``bounds`` in a saved file).

The same code and seed give the same scenario.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from shared.regions import region_name, region_zone
from trc.simulator import scenario as scenarios
from trc.simulator.scenario import Scenario, ShelterSpec, ShiftSpec, TeamSpec

if TYPE_CHECKING:
    from services.intake.domain.gazetteer import Gazetteer

BASE = "batam"  # the scenario whose volumes, mix and pace a generated region takes
GROUP = 3  # kecamatan per team, about (2–4)
MAX_GROUPS = 32  # three teams a group; the world's chat ids allow 99 teams a region
MEMBERS = (2, 3)  # a team's members
SHIFTS = (("pagi", "07:00", "15:00"), ("siang", "15:00", "23:00"), ("malam", "23:00", "07:00"))
BOX = 0.12  # degrees each side of the province's capital: where patrol pins fall
# Province capitals (latitude, longitude), approximate: only patrol pins use them.
CAPITALS: dict[str, tuple[float, float]] = {
    "11": (5.55, 95.32), "12": (3.59, 98.67), "13": (-0.95, 100.35), "14": (0.51, 101.45),
    "15": (-1.61, 103.61), "16": (-2.98, 104.76), "17": (-3.80, 102.27), "18": (-5.43, 105.26),
    "19": (-2.13, 106.11), "21": (0.92, 104.45), "31": (-6.20, 106.83), "32": (-6.91, 107.61),
    "33": (-6.97, 110.42), "34": (-7.80, 110.37), "35": (-7.25, 112.75), "36": (-6.12, 106.15),
    "51": (-8.65, 115.22), "52": (-8.58, 116.12), "53": (-10.17, 123.61), "61": (-0.03, 109.33),
    "62": (-2.21, 113.92), "63": (-3.44, 114.83), "64": (-0.50, 117.15), "65": (2.84, 117.37),
    "71": (1.47, 124.84), "72": (-0.90, 119.87), "73": (-5.14, 119.42), "74": (-3.97, 122.51),
    "75": (0.54, 123.06), "76": (-2.68, 118.89), "81": (-3.70, 128.18), "82": (0.74, 127.56),
    "91": (-2.53, 140.72), "92": (-0.86, 134.06), "93": (-8.49, 140.40), "94": (-3.37, 135.50),
    "95": (-4.10, 138.95), "96": (-0.88, 131.25),
}  # fmt: skip


def places_of(region_code: str) -> dict[str, list[str]]:
    """Kecamatan (in Kemendagri code order) → their kelurahan/desa, from intake's gazetteer."""
    places = _gazetteer(region_code)
    ordered = sorted(places.kecamatan(), key=lambda k: k.kecamatan_code)
    return {k.name: places.kelurahan_of(k.name) for k in ordered}


def _gazetteer(region_code: str) -> Gazetteer:
    from services.intake.domain.gazetteer import gazetteer  # only when a region is generated

    return gazetteer(region_code)


def groups_of(kecamatan: Sequence[str]) -> list[list[str]]:
    """Neighbours by code order, cut into about ``GROUP`` each (2–4 when there are 2 or more)."""
    count = max(1, min(MAX_GROUPS, round(len(kecamatan) / GROUP)))
    size, extra = divmod(len(kecamatan), count)
    groups, start = [], 0
    for g in range(count):
        end = start + size + (1 if g < extra else 0)
        groups.append(list(kecamatan[start:end]))
        start = end
    return groups


def _team_name(number: int, shift: str, zones: Sequence[str]) -> str:
    name = f"Regu {number:02d} ({shift}): {', '.join(zones)}"
    return name if len(name) <= 120 else name[:119] + "…"


def teams_for(kecamatan: Sequence[str], rng: random.Random) -> list[TeamSpec]:
    """One team a group of neighbouring kecamatan on each shift, 2–3 members each."""
    return [
        TeamSpec(
            code=f"R{number:02d}-{shift[0].upper()}",
            name=_team_name(number, shift, zones),
            shift=shift,
            capacity=2,
            zones=zones,
            staff=rng.randint(*MEMBERS),
        )
        for number, zones in enumerate(groups_of(kecamatan), start=1)
        for shift, _starts, _ends in SHIFTS
    ]


def bounds_of(region_code: str) -> tuple[float, float, float, float]:
    """South, west, north, east around the province's capital (approximate; see CAPITALS)."""
    lat, lon = CAPITALS[region_code[:2]]
    return (round(lat - BOX, 4), round(lon - BOX, 4), round(lat + BOX, 4), round(lon + BOX, 4))


def scenario_for(
    region_code: str,
    seed: int | None = None,
    places: Mapping[str, Sequence[str]] | None = None,
    village_word: str | None = None,
) -> Scenario:
    """A day of TRC for ``region_code`` (a kabupaten/kota, ``64.72``). ``places``: kecamatan →
    kelurahan/desa in code order and ``village_word`` (default: the national data's)."""
    name = region_name(region_code)  # UnknownRegion for a code the system does not know
    if region_code.count(".") != 1:
        raise ValueError(f"{region_code}: a kabupaten/kota code (64.72), not a province")
    kecamatan = list(places if places is not None else places_of(region_code))
    if not kecamatan:
        raise ValueError(f"{region_code}: the region data lists no kecamatan")
    seed = int(region_code.replace(".", "")) if seed is None else seed
    base = scenarios.load(BASE)
    teams = teams_for(kecamatan, random.Random(seed))
    shelter = ShelterSpec(
        code=f"RS-{region_code.replace('.', '')}",
        name=f"Rumah Singgah {name} (simulasi)",
        kind="rumah_singgah",
        sections=base.shelters[0].sections,
    )
    return Scenario(
        name=f"wilayah-{region_code}",
        title=(
            f"{name} ({region_zone(region_code).label}) — satu hari TRC dari data wilayah "
            f"({len(kecamatan)} kecamatan, {len(teams)} regu, tiga shift)"
        ),
        region_code=region_code,
        seed=seed,
        reports_per_day=base.reports_per_day,
        channels=base.channels,
        profiles=base.profiles,
        categories=base.categories,
        kecamatan=dict.fromkeys(kecamatan, 1.0),
        village_word=village_word or _gazetteer(region_code).village_word,
        bounds=bounds_of(region_code),
        duplicate_probability=base.duplicate_probability,
        noise_posts_per_day=base.noise_posts_per_day,
        shifts=[ShiftSpec(code=c, starts=s, ends=e) for c, s, e in SHIFTS],
        teams=teams,
        shelters=[shelter],
        response=base.response,
        shelter_work=base.shelter_work,
    )
