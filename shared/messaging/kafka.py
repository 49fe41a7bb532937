"""aiokafka clients built from settings, with delivery semantics chosen deliberately."""

from __future__ import annotations

import ssl
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from shared.contracts import TOPICS, dead_letter_topic
from shared.logging import get_logger
from shared.messaging.outbox import MAX_RECORD_BYTES
from shared.settings import KafkaSettings

log = get_logger(__name__)
TOPIC_ALREADY_EXISTS = 36


def client_kwargs(kafka: KafkaSettings) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "bootstrap_servers": kafka.bootstrap,
        "security_protocol": kafka.security_protocol,
    }
    if kafka.security_protocol.endswith("SSL"):
        kwargs["ssl_context"] = ssl.create_default_context(cafile=kafka.ssl_cafile)
    if kafka.sasl_mechanism:
        kwargs["sasl_mechanism"] = kafka.sasl_mechanism
        kwargs["sasl_plain_username"] = kafka.sasl_username
        kwargs["sasl_plain_password"] = (
            kafka.sasl_password.get_secret_value() if kafka.sasl_password else None
        )
    return kwargs


def faststream_security(kafka: KafkaSettings) -> BaseSecurity | None:
    """The same credentials, in the form FastStream's broker takes them."""
    use_ssl = kafka.security_protocol.endswith("SSL")
    context = ssl.create_default_context(cafile=kafka.ssl_cafile) if use_ssl else None
    if not kafka.sasl_mechanism:
        return BaseSecurity(ssl_context=context, use_ssl=True) if use_ssl else None
    password = kafka.sasl_password.get_secret_value() if kafka.sasl_password else ""
    kinds = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}
    kind = kinds.get(kafka.sasl_mechanism.upper())
    if kind is None:
        raise ValueError(f"unsupported SASL mechanism {kafka.sasl_mechanism}")
    return kind(kafka.sasl_username or "", password, ssl_context=context, use_ssl=use_ssl)


def make_producer(kafka: KafkaSettings, *, client_id: str) -> AIOKafkaProducer:
    # acks=all: an event counts as published only once every in-sync replica has it.
    # No idempotent producer: the embedded broker lacks InitProducerId, and the inboxes make
    # duplicates harmless anyway. linger_ms lets a burst share requests.
    return AIOKafkaProducer(
        client_id=client_id,
        acks="all",
        enable_idempotence=False,
        linger_ms=1,
        max_batch_size=256 * 1024,
        max_request_size=MAX_RECORD_BYTES,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
        **client_kwargs(kafka),
    )


def make_admin(kafka: KafkaSettings, *, client_id: str) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        client_id=client_id, request_timeout_ms=10000, **client_kwargs(kafka)
    )


def registry_topics(kafka: KafkaSettings) -> list[str]:
    names = [t.name for t in TOPICS]
    return [kafka.topic(n) for n in names + [dead_letter_topic(n) for n in names]]


def topic_configs(kafka: KafkaSettings) -> dict[str, str]:
    """Per-topic settings given at creation (none unless configured: the embedded broker gets
    exactly what it always got)."""
    if kafka.min_insync_replicas is None:
        return {}
    return {"min.insync.replicas": str(kafka.min_insync_replicas)}


async def ensure_topics(admin: AIOKafkaAdminClient, kafka: KafkaSettings) -> list[str]:
    """Create every registry topic and its dead-letter topic that does not exist yet."""
    existing = set(await admin.list_topics())
    missing = [n for n in registry_topics(kafka) if n not in existing]
    if not missing:
        return []
    configs = topic_configs(kafka)
    response = await admin.create_topics(
        [
            NewTopic(n, kafka.partitions, kafka.replication_factor, topic_configs=configs)
            for n in missing
        ]
    )
    for topic, code, message in response.topic_errors:
        if code not in (0, TOPIC_ALREADY_EXISTS):
            raise RuntimeError(f"creating topic {topic} failed: {code} {message}")
    log.info("topics_created", topics=missing)
    return missing


async def cluster_id(admin: AIOKafkaAdminClient) -> str:
    description = await admin.describe_cluster()
    return str(description["cluster_id"])


def live_connections(producer: AIOKafkaProducer | None) -> frozenset[Any]:
    """The producer's open broker connections (the objects themselves). A broker that restarted
    closed them, so an unchanged set means the same broker. aiokafka keeps them in its client's
    ``_conns`` and offers no public view; without it the set is empty and the relay asks the
    broker every time (slower, never wrong). A test fails on an aiokafka release that moves it."""
    connections = getattr(getattr(producer, "client", None), "_conns", None)
    if not isinstance(connections, dict):
        return frozenset()
    return frozenset(c for c in connections.values() if c.connected())
