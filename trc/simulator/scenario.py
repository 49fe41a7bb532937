"""A scenario: one region's teams, shifts, shelters and how its day goes, as data (YAML).

The shipped scenarios live beside this file (``scenarios/<name>.yaml``); a department writes its
own from its roster and last year's figures. Nothing here does I/O but :func:`load`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

HOURS = 24
Channel = str  # call_center | social_media | patrol


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Spread(Strict):
    """A duration drawn from a log-normal around ``median`` and cut at ``max`` (seconds, minutes
    or days: the field's name says which)."""

    median: float = Field(gt=0)
    max: float = Field(gt=0)
    sigma: float = Field(default=0.6, ge=0, le=3, description="spread of the log-normal")


class ShiftSpec(Strict):
    code: str
    starts: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    ends: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class TeamSpec(Strict):
    code: str = Field(max_length=40)
    name: str = Field(max_length=120)
    shift: str = Field(description="the shift this team works every day")
    capacity: int = Field(default=2, ge=1, le=50)
    zones: list[str] = Field(default_factory=list)
    staff: int = Field(default=0, ge=0, le=50, description="TRC members (ASN/contract)")
    bko: int = Field(default=0, ge=0, le=50, description="seconded personnel (BKO)")


class SectionSpec(Strict):
    section: str
    capacity: int = Field(ge=0)


class ShelterSpec(Strict):
    code: str
    name: str
    kind: Literal["upt", "uptd", "rumah_singgah", "panti", "temporary"]
    sections: list[SectionSpec]


class CategorySpec(Strict):
    code: str = Field(description="a PPKS category code of intake's taxonomy")
    weight: float = Field(gt=0)
    profile: str = Field(default="street", description="a key of the scenario's hourly profiles")
    people: tuple[int, int] = (1, 1)
    danger: list[Literal["violence", "child", "medical", "disaster"]] = Field(default_factory=list)
    danger_probability: float = Field(default=0.0, ge=0, le=1)
    texts: list[str] = Field(
        min_length=1,
        description="call-center notes and patrol messages; {place} is filled in (social posts "
        "are written by trc.simulator.posts)",
    )
    stay_days: Spread = Spread(median=3, max=30)
    outcomes: dict[str, float] = Field(default_factory=lambda: {"returned_to_family": 1.0})


class Burst(Strict):
    """A surge (a flood, a fire, a raid): extra reports in a window of the day."""

    name: str
    day: int = Field(default=0, ge=0, description="0 = the first simulated day")
    starts_hour: float = Field(ge=0, lt=HOURS)
    hours: float = Field(gt=0, le=HOURS)
    reports: int = Field(ge=1)
    category: str
    kecamatan: list[str] = Field(min_length=1)
    people: tuple[int, int] = (1, 10)
    danger: list[Literal["violence", "child", "medical", "disaster"]] = Field(default_factory=list)
    channels: dict[Channel, float] = Field(default_factory=lambda: {"call_center": 1.0})
    duplicate_probability: float = Field(default=0.3, ge=0, le=1)
    texts: list[str] = Field(min_length=1, description="as a category's texts")


class Response(Strict):
    """How the simulated TRC members answer in Telegram."""

    accept_seconds: Spread = Spread(median=45, max=400)
    no_answer_probability: float = Field(default=0.05, ge=0, le=1)
    travel_minutes: Spread = Spread(median=15, max=60)
    on_scene_minutes: Spread = Spread(median=20, max=120)
    not_found_probability: float = Field(
        default=0.15, ge=0, le=1, description="nobody there (false or stale report)"
    )


class ShelterWork(Strict):
    """How soon shelter staff admit and assess a person brought in (minutes)."""

    admit_minutes: Spread = Spread(median=40, max=180)
    assess_minutes: Spread = Spread(median=240, max=1440)
    close_minutes: Spread = Spread(median=60, max=600)


class Scenario(Strict):
    name: str
    title: str
    region_code: str = Field(pattern=r"^\d{2}(\.\d{2})?$")
    seed: int = 1
    reports_per_day: float = Field(gt=0)
    channels: dict[Channel, float]
    profiles: dict[str, Annotated[list[float], Field(min_length=HOURS, max_length=HOURS)]]
    categories: list[CategorySpec] = Field(min_length=1)
    kecamatan: dict[str, float] = Field(
        min_length=1, description="where reports come from, weighted (gazetteer names)"
    )
    bounds: tuple[float, float, float, float] = Field(
        description="south, west, north, east: where patrol locations fall"
    )
    village_word: Literal["kelurahan", "desa"] = Field(
        default="kelurahan", description="what a village is called here: a kabupaten's desa"
    )
    duplicate_probability: float = Field(default=0.1, ge=0, le=1)
    noise_posts_per_day: float = Field(
        default=0, ge=0, description="social posts that are not reports"
    )
    noise_texts: list[str] = Field(
        default_factory=list,
        description="no longer used (noise posts are written by trc.simulator.posts); "
        "kept so older scenario files load",
    )
    shifts: list[ShiftSpec] = Field(min_length=1)
    teams: list[TeamSpec] = Field(min_length=1)
    shelters: list[ShelterSpec] = Field(default_factory=list)
    response: Response = Response()
    shelter_work: ShelterWork = ShelterWork()
    bursts: list[Burst] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        shifts = {s.code for s in self.shifts}
        for team in self.teams:
            if team.shift not in shifts:
                raise ValueError(f"team {team.code}: no shift {team.shift!r}")
            if team.staff + team.bko == 0:
                raise ValueError(f"team {team.code} has nobody")
        for category in self.categories:
            if category.profile not in self.profiles:
                raise ValueError(f"category {category.code}: no profile {category.profile!r}")
        return self

    @property
    def members(self) -> int:
        return sum(t.staff for t in self.teams)

    @property
    def bko(self) -> int:
        return sum(t.bko for t in self.teams)


def shipped() -> dict[str, Path]:
    """The scenarios that come with TRC Dispatch, by name."""
    folder = Path(str(files("trc.simulator") / "scenarios"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def load(name_or_path: str) -> Scenario:
    """A shipped scenario by name (``batam``), or a YAML file of one."""
    path = shipped().get(name_or_path) or Path(name_or_path)
    if not path.exists():
        known = ", ".join(shipped())
        raise FileNotFoundError(f"no scenario {name_or_path!r} (shipped: {known})")
    return Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def save(scenario: Scenario, path: Path) -> None:
    """Write ``scenario`` as a YAML file :func:`load` reads back (a department edits it)."""
    body = scenario.model_dump(mode="json", exclude={"noise_texts"})
    text = yaml.safe_dump(
        body, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
    path.write_text(text, encoding="utf-8")
