"""The consumers' fetch pace: short while records flow, long after a quiet spell."""

from __future__ import annotations

from types import SimpleNamespace

from shared.messaging.pace import FetchPace, adjustable, set_wait


def test_short_while_records_flow_long_after_the_quiet_spell_short_again_at_a_record() -> None:
    now = [100.0]
    pace = FetchPace(10, 1000, 5.0, clock=lambda: now[0])
    assert pace.observe(0) == 10  # a new consumer may have a backlog: short at first
    now[0] += 4.9
    assert pace.observe(0) == 10
    now[0] += 0.2
    assert pace.observe(0) == 1000  # 5 s without a record
    assert pace.observe(3) == 10  # a record: at once short again
    now[0] += 4.0
    assert pace.observe(0) == 10


def test_an_idle_wait_below_the_short_one_is_the_short_one() -> None:
    assert FetchPace(500, 100, 1.0, clock=lambda: 0.0).idle_ms == 500


def test_a_consumer_without_the_field_keeps_its_wait() -> None:
    assert adjustable(SimpleNamespace()) is None
    assert adjustable(SimpleNamespace(_fetcher=SimpleNamespace())) is None
    fetcher = SimpleNamespace(_fetch_max_wait_ms=10)
    assert adjustable(SimpleNamespace(_fetcher=fetcher)) is fetcher
    set_wait(fetcher, 1000)
    assert fetcher._fetch_max_wait_ms == 1000
