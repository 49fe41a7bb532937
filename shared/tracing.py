"""OpenTelemetry tracing, off unless ``TRC_TRACING_ENABLED=true``.

The SDK and exporter are the optional ``otel`` extra: while tracing is off this module imports
nothing of OpenTelemetry and every function here is a no-op (FastAPI itself depends on the API
package). When on, the W3C trace context travels with each event: the ``traceparent`` (and
``tracestate``) of the span that emits an event is stored among its outbox row's headers, the
relay sends the headers with the event, and the consumer handles the event in a span that is
the emitter's child. HTTP requests get a span each from FastAPI's own telemetry (continuing an
incoming ``traceparent``), so an event emitted by a request is traced back to it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shared.settings import TracingSettings

if TYPE_CHECKING:
    from aiokafka.structs import ConsumerRecord
    from opentelemetry.sdk.trace import TracerProvider

TRACE_HEADERS = ("traceparent", "tracestate")


@dataclass
class _Tracing:
    provider: Any = None  # the OpenTelemetry TracerProvider while tracing is on
    tracer: Any = None
    propagator: Any = None  # the W3C trace-context propagator


_state = _Tracing()


def setup(settings: TracingSettings, service: str) -> None:
    """Switch tracing on for this process if ``settings`` say so, exporting over OTLP/HTTP.

    The first call that switches it on wins (a process runs one service; tests that build
    several keep the first provider)."""
    if not settings.enabled or _state.tracer is not None:
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    provider = TracerProvider(
        resource=Resource.create({"service.name": service}),
        sampler=ParentBased(TraceIdRatioBased(settings.sample_ratio)),
    )
    exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint or None)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)  # for any library instrumented through the global API
    use(provider)


def use(provider: TracerProvider | None) -> None:
    """Trace through ``provider`` from now on; ``None`` switches tracing off (tests)."""
    if provider is None:
        _state.provider = _state.tracer = _state.propagator = None
        return
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    _state.provider = provider
    _state.tracer = provider.get_tracer("trc")
    _state.propagator = TraceContextTextMapPropagator()


def enabled() -> bool:
    return _state.tracer is not None


def fastapi_telemetry() -> dict[str, Any] | None:
    """``FastAPI(telemetry=...)``: a span per request through our provider when tracing is on
    (no per-operation spans, no OpenTelemetry metrics or logs: Prometheus and structlog do
    those); ``None`` leaves FastAPI as it is."""
    if _state.provider is None:
        return None
    return {
        "tracer_provider": _state.provider,
        "tracing": True,
        "operation_spans": False,
        "metrics": False,
        "logs": False,
    }


def current_headers() -> list[tuple[str, bytes]]:
    """The current span's trace context as event headers ([] when off or outside a span)."""
    if _state.propagator is None:
        return []
    carrier: dict[str, str] = {}
    _state.propagator.inject(carrier)
    return [(name, value.encode()) for name, value in carrier.items()]


def consuming(
    record: ConsumerRecord[bytes, bytes], *, consumer: str, message_id: str
) -> AbstractContextManager[Any]:
    """The span in which ``consumer`` handles ``record``: the child of the span that emitted it
    (when its headers carry a ``traceparent``), else the root of a new trace."""
    if _state.tracer is None:
        return nullcontext()
    from opentelemetry.trace import SpanKind

    carrier = {
        name: (value or b"").decode("ascii", "replace")
        for name, value in record.headers or ()
        if name in TRACE_HEADERS
    }
    return _state.tracer.start_as_current_span(
        f"process {record.topic}",
        context=_state.propagator.extract(carrier),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
            "messaging.consumer.group.name": consumer,
            "messaging.message.id": message_id,
        },
    )
