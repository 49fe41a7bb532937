"""Every topic every service consumes, fuzzed on the real broker with the four services running:
every bad event is in a dead-letter topic with its reason; nothing else is; no partition stays
stuck; no service dies.

Per topic (from the registry, so a new topic is fuzzed without touching this file), on random
partitions with random keys and headers: garbage bytes, then mutated copies of the contracts'
example envelopes (see ``topic_fuzz_messages``), then every event registered on the topic, valid,
once per partition. ``TRC_FUZZ_SEED`` repeats a run. The services run in this process, each
with its own SQLite database, started once for the module; the tests read what they did.
A valid event counts as applied when its consumer's inbox says ``handled`` (the row commits in
the handler's transaction, with its effects); a partition is unstuck when its valid events are
applied and every group committed past everything sent to it.

The platform's policy, as read in ``shared/messaging/decoding.py`` and ``consumer.py`` and
asserted here:

- Not an envelope (random bytes, empty value, tombstone, not JSON, JSON that is not an object,
  truncated, invalid UTF-8, nested too deep): parked ``invalid``, ``attempts 1``.
- An envelope missing a required field or with one of the wrong type, a malformed region code, a
  zone-less time, a string past its bound, a payload its model refuses: parked ``invalid``.
- An event type or version the registry does not know (a future version too), or a registered
  event on another topic: parked ``invalid``. Not ignored: the reader tolerates unknown *fields*,
  but an unknown *event* on a topic is a producer ahead of its readers, parked for replay after
  the upgrade.
- A registered event on its topic that the consumer has no handler for: skipped, no dead letter
  (and no inbox row). Unknown fields in the envelope or payload: ignored, the event is handled.
- The key is never checked (it only picks the partition); a dead letter keeps it, the value and
  the headers byte for byte (a null header value becomes empty), then the ``trc-dlt-*`` headers.
  The reason never repeats input values. A message within a few hundred bytes of the 1 MiB
  record limit is parked with its value cut to fit beside those headers (``trc-dlt-truncated``
  says how long it was).
- Every consumer group of a topic parks its own copy. Identical bytes (same topic, key and value,
  a null key or value counting as empty) are one message, parked once: an unreadable message's
  id is a hash of them, so that a redelivery is no second dead letter. The fuzzer sends no two
  alike. An envelope without ``event_id`` gets that id too (it would get a new one at every
  delivery otherwise); one without ``occurred_at`` is read as happening now.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from shared.contracts.registry import topics_consumed_by
from tests.integration.topic_fuzz_messages import MARKER, NEAR_THE_SIZE_LIMIT
from tests.integration.topic_fuzz_support import (
    CONSUMED,
    CONSUMERS,
    PARTITIONS,
    SERVICES,
    Evidence,
    Sent,
    fuzz_everything,
)
from tests.support import run_async
from trc.deadletters.tool import DeadLetter

pytestmark = pytest.mark.integration
SEED = int(os.environ.get("TRC_FUZZ_SEED", "20261122"))


@pytest.fixture(scope="module")
def evidence(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Evidence:
    """The four services started once, fuzzed once; the tests below read what happened."""
    return run_async(fuzz_everything(kafka_bootstrap, tmp_path_factory.mktemp("fuzz"), SEED))


# ------------------------------------------------------------------------ the checks
def test_every_service_consumes_exactly_the_topics_the_registry_gives_it(
    evidence: Evidence,
) -> None:
    assert set(SERVICES) == set(CONSUMERS), "a new consuming service: add it to SERVICES"
    for service in CONSUMERS:
        assert set(evidence.subscriptions[service]) == set(topics_consumed_by(service)), service


@pytest.mark.parametrize(("service", "topic"), CONSUMED, ids=[f"{s}-{t}" for s, t in CONSUMED])
def test_every_bad_event_is_parked_once_as_invalid_with_its_key_bytes_and_headers(
    evidence: Evidence, service: str, topic: str
) -> None:
    group = evidence.group(service, topic).group
    bad = [s for s in evidence.sent[topic] if s.message.bad]
    parked = {}
    counts: Counter[tuple[int, int]] = Counter()
    for d in evidence.dead_letters[topic]:
        if d.dlt("consumer") == group:
            where = (int(d.dlt("partition")), int(d.dlt("offset")))
            counts[where] += 1
            parked[where] = d
    missing = [str(s) for s in bad if s.where not in parked]
    assert not missing, f"seed {SEED}: {group} did not park: {missing}"
    assert not [w for w, n in counts.items() if n > 1], f"seed {SEED}: parked twice"
    wrong = [f"{s}: {problem}" for s in bad if (problem := unlike(s, parked[s.where], evidence))]
    assert not wrong, f"seed {SEED}: {wrong}"
    outcomes = Counter(evidence.inbox[group].values())
    assert outcomes["dead_lettered"] == len(bad), f"seed {SEED}: inbox of {group}: {outcomes}"


def unlike(sent: Sent, d: DeadLetter, evidence: Evidence) -> str:
    """How the dead letter differs from what it should be for the message sent ("" if not)."""
    m, value = sent.message, sent.message.value or b""
    original = [(k, v or b"") for k, v in m.headers]
    added = d.headers[len(original) :]
    checks = {
        "reason": (d.dlt("reason"), d.dlt("attempts")) == ("invalid", "1"),
        "error": bool(d.dlt("error")) and MARKER not in d.dlt("error"),
        "source": d.dlt("topic") == evidence.prefix + m.topic,
        "key": d.key == m.key,
        "headers": list(d.headers[: len(original)]) == original
        and all(k.startswith("trc-dlt-") for k, _ in added),
        # Cut to fit beside the trc-dlt-* headers: only what was sent just short of the limit.
        "value": (d.value, d.dlt("truncated")) == (value, "")
        if m.kind != NEAR_THE_SIZE_LIMIT
        else d.dlt("truncated") == str(len(value)) and value.startswith(d.value),
    }
    return ", ".join(f"{name} ({d.dlt('error')[:200]})" for name, ok in checks.items() if not ok)


def test_nothing_but_the_bad_events_is_parked(evidence: Evidence) -> None:
    """No valid event, ignored event or follow-up event a service emitted is in a dead-letter
    topic; every dead letter names a consumer of its topic."""
    strays = []
    for topic, dead_letters in evidence.dead_letters.items():
        bad = {s.where for s in evidence.sent[topic] if s.message.bad}
        groups = {subs[topic].group for subs in evidence.subscriptions.values() if topic in subs}
        for d in dead_letters:
            where = (int(d.dlt("partition") or -1), int(d.dlt("offset") or -1))
            if where not in bad or d.dlt("consumer") not in groups:
                strays.append(f"{d.ref} {d.dlt('consumer')}: {d.event()} — {d.dlt('error')}")
    assert not strays, f"seed {SEED}: parked but not sent bad: {strays}"


@pytest.mark.parametrize(("service", "topic"), CONSUMED, ids=[f"{s}-{t}" for s, t in CONSUMED])
def test_valid_events_after_the_bad_ones_are_applied_on_every_partition(
    evidence: Evidence, service: str, topic: str
) -> None:
    sub = evidence.group(service, topic)
    inbox = evidence.inbox[sub.group]
    valid = [s for s in evidence.sent[topic] if not s.message.bad]
    handled = [s for s in valid if s.message.event_type in sub.handled]
    assert {s.message.partition for s in handled} == set(range(PARTITIONS))
    outcomes = {s: inbox.get(s.message.event_id or "") for s in valid}
    wrong = [
        f"{s.message.event_type} at {s}: {outcomes[s]}" for s in handled if outcomes[s] != "handled"
    ]
    assert not wrong, f"seed {SEED}: {sub.group} did not apply: {wrong}"
    skipped = [s for s in valid if s.message.event_type not in sub.handled]
    assert all(outcomes[s] is None for s in skipped)  # known, not handled: skipped
    assert all(n <= 0 for n in evidence.behind[sub.group].values()), evidence.behind[sub.group]


@pytest.mark.parametrize("service", CONSUMERS)
def test_the_service_is_alive_and_ready_after_the_fuzz(evidence: Evidence, service: str) -> None:
    health = evidence.health[service]
    assert health["livez"] == (200, {"status": "ok", "service": service})
    status, ready = health["readyz"]
    assert status == 200 and ready["ready"], ready
    assert all(health["consumers_running"].values()), health["consumers_running"]
