"""OpenTelemetry tracing: the trace context of the span that emits an event rides in the outbox
row and the Kafka headers, and the consumer handles the event in that span's child; off, nothing
of the SDK is loaded and events carry no trace headers."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import select

from shared import tracing
from shared.http import create_http_app
from shared.messaging.handler import HandlerContext
from shared.messaging.outbox import decode_headers
from shared.messaging.tables import OutboxMessage
from shared.platform import build_platform
from shared.settings import KafkaSettings, ServiceSettings, TracingSettings
from tests.integration.worker import report

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Traced:
    spans: InMemorySpanExporter
    tracer: trace.Tracer


@pytest.fixture
def traced() -> Iterator[Traced]:
    """Tracing on, into memory, for this test only."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use(provider)
    yield Traced(exporter, provider.get_tracer("test"))
    tracing.use(None)


def settings(tmp_path: Path, **kafka: Any) -> ServiceSettings:
    return ServiceSettings(
        service_name="dispatch",
        database_url=f"sqlite:///{tmp_path}/dispatch.db",
        kafka=KafkaSettings(session_timeout_ms=6000, **kafka),
        tracing=TracingSettings(enabled=True),
    )


async def test_the_span_that_emitted_an_event_is_the_parent_of_the_consumer_span(
    traced: Traced, kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    platform = build_platform(
        settings(tmp_path, bootstrap=kafka_bootstrap, topic_prefix=topic_prefix)
    )
    handled: list[trace.SpanContext] = []

    async def on_report(ctx: HandlerContext) -> None:
        handled.append(trace.get_current_span().get_span_context())

    platform.consume("reports", ["trc.reports.v1"], {"report.received": on_report})
    await platform.migrate()
    await platform.start()
    try:
        with traced.tracer.start_as_current_span("report intake") as emitting:
            async with platform.uow() as uow:
                uow.emit(report(1), region_code="21.71", correlation_id="rep-1")
                await uow.commit()
        emitted = emitting.get_span_context()
        for _ in range(400):
            if handled:
                break
            await asyncio.sleep(0.05)
    finally:
        await platform.stop()
    async with platform.sessions() as session:
        [row] = (await session.exec(select(OutboxMessage))).all()
    traceparent = dict(decode_headers(row.headers))["traceparent"].decode()
    assert traceparent.split("-")[1:3] == [f"{emitted.trace_id:032x}", f"{emitted.span_id:016x}"]

    [consumer_span] = [
        s for s in traced.spans.get_finished_spans() if s.kind == trace.SpanKind.CONSUMER
    ]
    assert consumer_span.name == f"process {topic_prefix}trc.reports.v1"
    assert consumer_span.parent is not None
    assert (consumer_span.parent.trace_id, consumer_span.parent.span_id) == (
        emitted.trace_id,
        emitted.span_id,
    )
    attributes = dict(consumer_span.attributes or {})
    assert attributes["messaging.consumer.group.name"] == "dispatch.reports"
    assert handled == [consumer_span.get_span_context()]  # the handler ran inside it


async def test_an_http_request_continues_the_callers_trace(traced: Traced, tmp_path: Path) -> None:
    platform = build_platform(settings(tmp_path))
    app = create_http_app(platform, title="dispatch")
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dispatch") as client:
            response = await client.get("/livez", headers={"traceparent": caller})
        assert response.status_code == 200
    finally:
        await platform.engine.dispose()
    [server] = [s for s in traced.spans.get_finished_spans() if s.kind == trace.SpanKind.SERVER]
    assert server.name == "GET /livez"
    assert server.parent is not None
    assert f"{server.parent.trace_id:032x}" == "0af7651916cd43dd8448eb211c80319c"
    assert f"{server.parent.span_id:016x}" == "b7ad6b7169203331"


def test_with_tracing_off_no_sdk_is_loaded_and_events_carry_no_trace_context(
    tmp_path: Path,
) -> None:
    program = f"""
import sys
from services.dispatch.app import create_app
from services.dispatch.settings import DispatchSettings
from shared.messaging.outbox import outbox_row
from shared.contracts import make_envelope
from tests.integration.worker import report

create_app(DispatchSettings(database_url="sqlite:///{tmp_path}/d.db"))
envelope = make_envelope(report(1), producer="intake", region_code="21.71", correlation_id="r")
names = [name for name, _ in outbox_row(envelope, "trc.reports.v1")["headers"]]
assert "traceparent" not in names, names
loaded = [m for m in sys.modules if m.startswith(("opentelemetry.sdk", "opentelemetry.exporter"))]
assert not loaded, loaded
"""
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
