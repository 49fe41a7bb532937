"""What happens in a simulated day, decided up front from the scenario and a seed: when each
report arrives, by which channel, about whom and where; and the draws that shape how members and
shelter staff answer. Pure: no clock, no I/O — the same seed gives the same day.

Call-center notes and patrol messages are the scenario's texts; social-media posts, reports and
noise alike, are written by :mod:`trc.simulator.posts` for the planned category, place, people,
danger and hour (the scenario's texts only for a category the writer does not know)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from trc.simulator.posts import PostWriter, Where
from trc.simulator.scenario import Burst, CategorySpec, Scenario, Spread

DAY_S = 86_400.0
DUPLICATE_AFTER_MIN = (2.0, 40.0)  # a second caller about the same thing, minutes later
REWRITES = 20  # tries for a post no other post of the day has written


@dataclass(frozen=True)
class PlannedReport:
    seq: int
    at_s: float  # simulated seconds after the start
    channel: str  # call_center | social_media | patrol
    category: str | None  # None: a post that is no report at all
    kecamatan: str | None
    kelurahan: str | None
    text: str
    people: int = 1
    danger: tuple[str, ...] = ()
    duplicate_of: int | None = None  # seq of the first report about the same people
    burst: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def draw(spread: Spread, rng: random.Random) -> float:
    """A log-normal draw around the median, cut at the maximum."""
    return min(spread.max, spread.median * math.exp(rng.gauss(0.0, spread.sigma)))


def weighted(options: Mapping[str, float], rng: random.Random) -> str:
    keys = list(options)
    return rng.choices(keys, weights=[options[k] for k in keys])[0]


class Planner:
    def __init__(
        self,
        scenario: Scenario,
        places: Mapping[str, Sequence[str]],
        start: datetime,
        zone: str,
        seed: int | None = None,
    ) -> None:
        self.scenario = scenario
        self.places = places  # kecamatan → its kelurahan (from intake's gazetteer)
        self.start_local = start.astimezone(ZoneInfo(zone))
        self.rng = random.Random(scenario.seed if seed is None else seed)
        self.writer = PostWriter(self.rng, scenario.region_code, scenario.village_word)
        self.reports: list[PlannedReport] = []
        self._posted: set[str] = set()  # each post's text is its own: the player finds it by it

    def plan(self, days: float) -> list[PlannedReport]:
        span = days * DAY_S
        expected = self.scenario.reports_per_day * days
        for _ in range(self._count(expected)):
            category = self._category()
            self._add_with_duplicate(self._arrival(span, category.profile), category)
        for _ in range(self._count(self.scenario.noise_posts_per_day * days)):
            self._add_noise(self.rng.uniform(0, span))
        for burst in self.scenario.bursts:
            self._add_burst(burst, span)
        ordered = sorted(self.reports, key=lambda r: r.at_s)
        return [r for r in ordered if r.at_s < span]

    # ------------------------------------------------------------------ arrivals
    def _count(self, expected: float) -> int:
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def _category(self) -> CategorySpec:
        categories = self.scenario.categories
        return self.rng.choices(categories, weights=[c.weight for c in categories])[0]

    def _arrival(self, span: float, profile: str) -> float:
        """A moment in the span, more likely in the busy hours of the category's profile."""
        weights = self.scenario.profiles[profile]
        top = max(weights)
        while True:
            at = self.rng.uniform(0, span)
            hour = (self.start_local + timedelta(seconds=at)).hour
            if self.rng.random() * top <= weights[hour]:
                return at

    def _burst_window(self, burst: Burst) -> tuple[float, float]:
        day_start = self.start_local.replace(hour=0, minute=0, second=0, microsecond=0)
        begins = day_start + timedelta(days=burst.day, hours=burst.starts_hour)
        if begins < self.start_local:  # the window already passed today: the next day's
            begins += timedelta(days=1)
        first = (begins - self.start_local).total_seconds()
        return first, first + burst.hours * 3600

    # ------------------------------------------------------------------ reports
    def _place(self, kecamatan: str | None = None) -> tuple[str, str | None]:
        known = [k for k in self.scenario.kecamatan if k in self.places] or list(self.places)
        if kecamatan is None:
            weights = {k: self.scenario.kecamatan.get(k, 1.0) for k in known}
            kecamatan = weighted(weights, self.rng)
        kelurahan = list(self.places.get(kecamatan, ()))
        return kecamatan, (self.rng.choice(kelurahan) if kelurahan else None)

    def _point(self) -> tuple[float, float]:
        south, west, north, east = self.scenario.bounds
        return round(self.rng.uniform(south, north), 5), round(self.rng.uniform(west, east), 5)

    def _new(self, **fields: object) -> PlannedReport:
        report = PlannedReport(seq=len(self.reports), **fields)  # type: ignore[arg-type]
        self.reports.append(report)
        return report

    def _text(self, texts: Sequence[str], kecamatan: str, kelurahan: str | None) -> str:
        village = self.scenario.village_word
        place = f"{village} {kelurahan}, kecamatan {kecamatan}" if kelurahan else kecamatan
        return self.rng.choice(list(texts)).format(place=place)

    def _hour(self, at: float) -> int:
        return (self.start_local + timedelta(seconds=at)).hour

    def _post(self, write: Callable[[], str]) -> str:
        """A social post, written again (a few times) when another post of the day has its text."""
        text = write()
        for _ in range(REWRITES):
            if text not in self._posted:
                break
            text = write()
        self._posted.add(text)
        return text

    def _report_text(
        self,
        channel: str,
        category: str,
        place: tuple[str, str | None],
        texts: Sequence[str],
        people: int,
        danger: tuple[str, ...],
        at: float,
        burst: str | None,
    ) -> str:
        kecamatan, kelurahan = place
        if channel != "social_media" or not self.writer.knows(category):
            return self._text(texts, kecamatan, kelurahan)
        where, hour, event = Where(kecamatan, kelurahan), self._hour(at), burst or ""
        return self._post(
            lambda: self.writer.report(
                category, where, danger=danger, people=people, hour=hour, event=event
            )
        )

    def _located(self, channel: str) -> dict[str, float | None]:
        if channel != "patrol":
            return {"latitude": None, "longitude": None}
        latitude, longitude = self._point()
        return {"latitude": latitude, "longitude": longitude}

    def _add_with_duplicate(self, at: float, category: CategorySpec) -> None:
        kecamatan, kelurahan = self._place()
        channel = weighted(self.scenario.channels, self.rng)
        danger = (
            tuple(category.danger)
            if category.danger and self.rng.random() < category.danger_probability
            else ()
        )
        self._add(at, channel, category.code, (kecamatan, kelurahan), category.texts,
                  category.people, danger, self.scenario.duplicate_probability)  # fmt: skip

    def _add(
        self,
        at: float,
        channel: str,
        category: str,
        place: tuple[str, str | None],
        texts: Sequence[str],
        people: tuple[int, int],
        danger: tuple[str, ...],
        duplicate_probability: float,
        burst: str | None = None,
    ) -> None:
        """A report, and with ``duplicate_probability`` a second call about the same people."""
        kecamatan, kelurahan = place
        count = self.rng.randint(*people)
        first = self._new(
            at_s=at,
            channel=channel,
            category=category,
            kecamatan=kecamatan,
            kelurahan=kelurahan,
            text=self._report_text(channel, category, place, texts, count, danger, at, burst),
            people=count,
            danger=danger,
            burst=burst,
            **self._located(channel),
        )
        if self.rng.random() < duplicate_probability:
            self._duplicate(first, texts)

    def _duplicate(self, first: PlannedReport, texts: Sequence[str]) -> None:
        """Someone else calls about the same people: the operator attaches the call."""
        assert first.kecamatan is not None
        self._new(
            at_s=first.at_s + 60 * self.rng.uniform(*DUPLICATE_AFTER_MIN),
            channel="call_center",
            category=first.category,
            kecamatan=first.kecamatan,
            kelurahan=first.kelurahan,
            text=self._text(texts, first.kecamatan, first.kelurahan),
            people=first.people,
            danger=first.danger,
            duplicate_of=first.seq,
            burst=first.burst,
        )

    def _add_noise(self, at: float) -> None:
        """A post that is no report; it may name a place of the region all the same."""
        where = Where(*self._place())
        hour = self._hour(at)
        self._new(
            at_s=at,
            channel="social_media",
            category=None,
            kecamatan=None,
            kelurahan=None,
            text=self._post(lambda: self.writer.noise(where, hour)),
        )

    def _add_burst(self, burst: Burst, span: float) -> None:
        first_s, last_s = self._burst_window(burst)
        if first_s >= span:
            return
        for _ in range(burst.reports):
            place = self._place(self.rng.choice(burst.kecamatan))
            channel = weighted(burst.channels, self.rng)
            at = self.rng.uniform(first_s, min(last_s, span))
            self._add(at, channel, burst.category, place, burst.texts, burst.people,
                      tuple(burst.danger), burst.duplicate_probability, burst.name)  # fmt: skip
