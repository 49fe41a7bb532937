"""The committed API and configuration documents are what the code makes (`trc docs`)."""

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import yaml

from shared.contracts import EVENTS, TOPICS, topics_consumed_by
from shared.contracts.registry import TOPIC_BY_NAME
from trc.docs import docsgen
from trc.embedded.stack import SERVICES


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    docsgen.write(out)
    return out


def _files(root: Path) -> dict[str, str]:
    paths = [*root.glob("asyncapi/*"), *root.glob("openapi/*"), root / "configuration.md"]
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in paths if p.exists()}


def test_committed_docs_are_what_the_code_generates(generated: Path) -> None:
    fresh, committed = _files(generated), _files(docsgen.DOCS)
    differing = sorted(
        n for n in fresh.keys() | committed.keys() if fresh.get(n) != committed.get(n)
    )
    assert not differing, f"docs out of date, run `trc docs`: {', '.join(differing)}"


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[unquote(part).replace("~1", "/").replace("~0", "~")]
    return node


def _channels(document: dict[str, Any], action: str) -> dict[str, set[str]]:
    """Topic → event types, over the operations of one action (send / receive)."""
    found: dict[str, set[str]] = {}
    for operation in document["operations"].values():
        if operation["action"] != action:
            continue
        channel = _resolve(document, operation["channel"]["$ref"])
        events = found.setdefault(channel["address"], set())
        for message_ref in channel["messages"].values():
            payload = _resolve(document, message_ref["$ref"])["payload"]
            for ref in payload.get("oneOf", [payload]):
                schema = _resolve(document, ref["$ref"])
                event_type = schema.get("properties", {}).get("event_type", {}).get("const")
                if event_type:
                    events.add(event_type)
    return found


@pytest.fixture(scope="module")
def asyncapi(generated: Path) -> dict[str, dict[str, Any]]:
    return {s: yaml.safe_load((generated / "asyncapi" / f"{s}.yaml").read_text()) for s in SERVICES}


def test_every_event_is_in_the_asyncapi_of_its_producer_and_its_consumers(
    asyncapi: dict[str, dict[str, Any]],
) -> None:
    for spec in EVENTS:
        topic = TOPIC_BY_NAME[spec.topic]
        for producer in set(topic.producers) & set(SERVICES):
            sent = _channels(asyncapi[producer], "send").get(spec.topic, set())
            assert spec.event_type in sent, f"{producer} does not document sending {spec}"
        for consumer in topic.consumers:
            received = _channels(asyncapi[consumer], "receive").get(spec.topic, set())
            assert spec.event_type in received, f"{consumer} does not document reading {spec}"


def test_each_service_consumes_exactly_the_topics_the_registry_names(
    asyncapi: dict[str, dict[str, Any]],
) -> None:
    for service in SERVICES:
        received = set(_channels(asyncapi[service], "receive"))
        assert received == set(topics_consumed_by(service)), service
        sent = set(_channels(asyncapi[service], "send"))
        produced = {t.name for t in TOPICS if service in t.producers}
        dead_letters = {f"{t}.dlt" for t in received}
        assert sent == produced | dead_letters, service


def test_every_setting_is_described(generated: Path) -> None:
    rows = [
        line
        for line in (generated / "configuration.md").read_text().splitlines()
        if line.startswith("| `")
    ]
    assert rows
    undescribed = [row for row in rows if row.rstrip().endswith("|  |")]
    assert not undescribed, undescribed


async def test_a_service_serves_its_asyncapi_document(generated: Path) -> None:
    app = docsgen.offline_app("shelter")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shelter") as client:
        as_json = await client.get("/asyncapi.json")
        as_yaml = await client.get("/asyncapi.yaml")
    assert as_json.status_code == 200
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    committed = yaml.safe_load((generated / "asyncapi" / "shelter.yaml").read_text())
    assert as_json.json() == committed
    assert yaml.safe_load(as_yaml.text) == committed
