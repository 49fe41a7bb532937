"""Consumer group ids carry the topic prefix like the topics: deployments (or test runs) that
share one cluster never join each other's groups, and the Kafka rights follow."""

from __future__ import annotations

from shared.settings import KafkaSettings
from trc.manifests import TopicLayout, user_manifest


def test_the_group_id_carries_the_topic_prefix() -> None:
    assert KafkaSettings(topic_prefix="").group("dispatch.reports") == "dispatch.reports"
    one, other = KafkaSettings(topic_prefix="kaltim."), KafkaSettings(topic_prefix="kalsel.")
    assert one.group("dispatch.reports") == "kaltim.dispatch.reports"
    assert one.group("dispatch.reports") != other.group("dispatch.reports")


def test_a_service_may_read_only_under_its_own_prefixed_groups() -> None:
    acls = user_manifest("dispatch", TopicLayout(topic_prefix="kaltim."))["spec"]["authorization"][
        "acls"
    ]
    groups = [a["resource"] for a in acls if a["resource"]["type"] == "group"]
    assert groups == [{"type": "group", "name": "kaltim.dispatch.", "patternType": "prefix"}]
