"""The AsyncAPI document of a service: the Kafka channels it publishes and consumes.

The running broker cannot describe them itself: its subscribers take raw batches (the reliable
consumer reads the envelopes) and the outbox relay publishes with aiokafka. So FastStream builds
the document from a second broker that is never connected, on which each channel is described
with the registry's event models: what :meth:`Platform.consume` registered (and the dead-letter
topics those consumers write to), and the topics the registry names this service a producer of.
Nothing here changes what the service does at run time.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import yaml
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic import Field, create_model

from shared.contracts import EVENTS, TOPICS, Envelope, EventSpec, TopicSpec, dead_letter_topic
from shared.contracts.registry import TOPIC_BY_NAME
from shared.messaging.kafka import faststream_security

if TYPE_CHECKING:
    from shared.platform import Platform, Subscription

DEAD_LETTER_HEADERS = (
    "trc-dlt-reason, trc-dlt-error, trc-dlt-topic, trc-dlt-partition, trc-dlt-offset, "
    "trc-dlt-consumer, trc-dlt-attempts, trc-dlt-at"
)
CORRELATION_HEADER = "$message.header#/correlation-id"  # set by the outbox with the envelope
_LITERAL: Any = Literal  # event types are values here, not annotations


@cache
def event_model(spec: EventSpec) -> type[Envelope]:
    """The envelope of one event type, its ``payload`` typed by the event's contract model."""
    payload = spec.payload_model
    return create_model(
        f"{payload.__name__}Event",
        __base__=Envelope,
        __doc__=f"`{spec.event_type}` version {spec.version}: {inspect.getdoc(payload) or ''}",
        event_type=(_LITERAL[spec.event_type], Field(description="The event's type")),
        version=(_LITERAL[spec.version], Field(description="Schema version of the payload")),
        payload=(payload, Field(description="The event's body", examples=[payload.EXAMPLE])),
    )


def _events_on(topic: str) -> list[EventSpec]:
    return [e for e in EVENTS if e.topic == topic]


def _signature(name: str, model: type[Envelope], *, returned: bool) -> Callable[..., Any]:
    """A function FastStream reads a message schema from: the model as argument or result."""

    def event() -> None:
        """Documentation only: never called."""

    event.__name__ = event.__qualname__ = name.replace(".", "_")
    if returned:
        event.__signature__ = inspect.Signature([], return_annotation=model)  # type: ignore[attr-defined]
        event.__annotations__ = {"return": model}
    else:
        body = inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=model)
        event.__signature__ = inspect.Signature([body], return_annotation=None)  # type: ignore[attr-defined]
        event.__annotations__ = {"body": model, "return": None}
    return event


def _receive(broker: KafkaBroker, address: str, topic: TopicSpec, sub: Subscription) -> None:
    events = _events_on(topic.name)
    skipped = [e.event_type for e in events if e.event_type not in sub.handled]
    description = (
        f"{topic.description}. Consumer `{sub.group}` reads it in batches, through the service's "
        f"consumer group `{sub.kafka_group}`, and the offsets are committed after the database "
        f"transaction; a repeated event id is skipped. Handled: "
        f"{', '.join(sub.handled) or 'none'}."
    )
    if skipped:
        description += f" Read and skipped: {', '.join(skipped)}."
    subscriber = broker.subscriber(address, title=f"{address}:receive", description=description)
    for spec in events:
        subscriber(_signature(spec.event_type, event_model(spec), returned=False))


def _send(broker: KafkaBroker, address: str, topic: TopicSpec) -> None:
    readers = ", ".join(topic.consumers)
    description = (
        f"{topic.description}. Published through the transactional outbox (at least once), "
        f"keyed by `{topic.key}`; read by {readers}."
    )
    publisher = broker.publisher(address, title=f"{address}:send", description=description)
    for spec in _events_on(topic.name):
        publisher.specification.add_call(
            _signature(spec.event_type, event_model(spec), returned=True)
        )


def _dead_letters(broker: KafkaBroker, address: str, group: str, source: str) -> None:
    description = (
        f"Messages on `{source}` that consumer `{group}` could not handle, parked with "
        f"their original key, headers and bytes; headers {DEAD_LETTER_HEADERS} say why."
    )
    broker.publisher(address, title=f"{address}:send", description=description, schema=bytes)


def describe_channels(platform: Platform) -> KafkaBroker:
    """A never-connected broker on which every channel of ``platform`` is described."""
    kafka = platform.settings.kafka
    broker = KafkaBroker(
        [server.strip() for server in kafka.bootstrap.split(",")],
        security=faststream_security(kafka),
        description="Kafka; every message is a JSON event envelope",
    )
    for sub in platform.subscriptions:
        for name in sub.topics:
            _receive(broker, kafka.topic(name), TOPIC_BY_NAME[name], sub)
            dead = dead_letter_topic(name)
            _dead_letters(broker, kafka.topic(dead), sub.group, kafka.topic(name))
    for topic in TOPICS:
        if platform.service in topic.producers:
            _send(broker, kafka.topic(topic.name), topic)
    return broker


def asyncapi_document(app: FastAPI) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the service ``app`` serves, keys sorted (built once)."""
    cached: dict[str, Any] | None = getattr(app.state, "asyncapi", None)
    if cached is not None:
        return cached
    platform: Platform = app.state.platform
    specification = AsyncAPI(
        describe_channels(platform),
        title=app.title,
        version=app.version,
        description=(
            f"The Kafka channels of the {platform.service} service. Every message is a JSON event "
            "envelope; its `event_type` and `version` name the contract model of its `payload`."
        ),
        schema_version="3.0.0",
    ).to_specification()
    document: dict[str, Any] = json.loads(json.dumps(specification.to_jsonable(), sort_keys=True))
    for message in document.get("components", {}).get("messages", {}).values():
        message["correlationId"] = {"location": CORRELATION_HEADER}  # FastStream assumes its own
    app.state.asyncapi = document
    return document


def as_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=True, allow_unicode=True, width=100)


def build_asyncapi_router() -> APIRouter:
    router = APIRouter(tags=["docs"])

    @router.get("/asyncapi.json", summary="AsyncAPI: the Kafka channels of this service")
    def asyncapi_json(request: Request) -> JSONResponse:
        return JSONResponse(asyncapi_document(request.app))

    @router.get(
        "/asyncapi.yaml",
        summary="AsyncAPI: the Kafka channels of this service (YAML)",
        response_class=Response,
        responses={200: {"content": {"application/yaml": {}}}},
    )
    def asyncapi_yaml(request: Request) -> Response:
        return Response(as_yaml(asyncapi_document(request.app)), media_type="application/yaml")

    return router
