"""`trc topics create` on a real broker: every registry topic and its dead-letter twin once;
a second run creates nothing and reports a topic with fewer partitions than asked."""

from __future__ import annotations

import pytest

from shared.contracts.registry import TOPICS, dead_letter_topic
from shared.settings import KafkaSettings
from trc.topics import create_topics

pytestmark = pytest.mark.integration


async def test_topics_are_created_once_and_too_few_partitions_are_reported(
    kafka_bootstrap: str, topic_prefix: str
) -> None:
    kafka = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, partitions=2)
    expected = {kafka.topic(name) for t in TOPICS for name in (t.name, dead_letter_topic(t.name))}
    first = await create_topics(kafka)
    assert set(first.created) == expected and not first.existing
    more = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, partitions=4)
    again = await create_topics(more)
    assert not again.created and set(again.existing) == expected
    assert again.too_few_partitions == {name: 2 for name in expected}
