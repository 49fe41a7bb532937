"""The deployment files, checked without Docker or Kubernetes: they parse, what they name exists,
and the Kafka manifests are exactly what the topic registry generates."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.contracts.registry import TOPICS, dead_letter_topic
from trc.embedded.stack import SERVICES
from trc.manifests import TopicLayout, generated_files

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
APP_SERVICES = sorted(SERVICES)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # type: ignore[no-any-return]


def k8s_documents() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    return docs


def test_compose_names_only_files_that_exist(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if "build" in service:
            context = (DEPLOY / service["build"]["context"]).resolve()
            assert context == ROOT, name
            assert (context / service["build"]["dockerfile"]).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (DEPLOY / source).is_file(), f"{name}: {source}"
            else:
                assert source in compose["volumes"], f"{name}: volume {source} not declared"


def test_compose_runs_apache_kafka_and_postgres_images(compose: dict[str, Any]) -> None:
    images = {n: s["image"] for n, s in compose["services"].items() if "build" not in s}
    kafka = [i for n, i in images.items() if n.startswith("kafka")]
    assert len(kafka) == 3
    assert all(re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+", i) for i in kafka), kafka
    assert re.fullmatch(r"postgres:\d+(\.\d+)?", images["postgres"])


def test_kafka_runs_in_kraft_mode_with_topics_from_the_registry_only(
    compose: dict[str, Any],
) -> None:
    for node in ("kafka-1", "kafka-2", "kafka-3"):
        env = compose["services"][node]["environment"]
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == 2
    topics = compose["services"]["topics"]
    assert topics["command"][:2] == ["topics", "create"]
    assert topics["environment"]["TRC_KAFKA_MIN_INSYNC_REPLICAS"] == "2"
    assert topics["environment"]["TRC_KAFKA_REPLICATION_FACTOR"] == "3"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_is_healthchecked_restarted_and_waits_for_migrations(
    compose: dict[str, Any], name: str
) -> None:
    service = compose["services"][name]
    assert service["command"] == ["serve", name]
    assert service["restart"] in ("always", "unless-stopped", "on-failure")
    port = SERVICES[name]
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(service["healthcheck"]["test"])
    depends = service["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["topics"]["condition"] == "service_completed_successfully"
    env = service["environment"]
    assert env[f"TRC_{name.upper()}_AUTO_MIGRATE"] == "false"
    others = [s for s in APP_SERVICES if s != name]
    assert not [k for k in env if any(k == f"TRC_{o.upper()}_DATABASE_URL" for o in others)]


def test_migrations_run_once_with_every_database(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        assert f"TRC_{name.upper()}_DATABASE_URL" in migrate["environment"]


def dockerfile_copies() -> list[str]:
    sources = []
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["COPY"] and not any(p.startswith("--from") for p in parts):
            sources += [p for p in parts[1:-1] if not p.startswith("--")]
    return sources


def test_the_dockerfile_copies_files_that_exist_and_runs_trc_as_non_root() -> None:
    sources = dockerfile_copies()
    assert {"pyproject.toml", "LICENSE", "shared", "services"} <= set(sources)
    assert all((ROOT / s).exists() for s in sources), sources
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^USER (?!0|root)\S+", text, re.MULTILINE)
    assert 'ENTRYPOINT ["trc"]' in text


def test_the_image_gets_every_data_file_of_the_packages() -> None:
    """A file inside shared/ or services/ that no package-data pattern names is missing from the
    wheel the image installs."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    for package in ("shared", "services"):
        for path in (ROOT / package).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".py", ".pyc"):
                continue
            assert any(fnmatch.fnmatch(path.name, p) for p in patterns), path


def test_the_kafka_manifests_are_what_the_registry_generates() -> None:
    for name, content in generated_files(TopicLayout()).items():
        assert (K8S / name).read_text() == content, f"run `trc manifests` to update {name}"


def test_every_registry_topic_and_its_dead_letter_twin_has_a_kafka_topic() -> None:
    topics = {d["metadata"]["name"]: d for d in k8s_documents() if d["kind"] == "KafkaTopic"}
    expected = {t.name for t in TOPICS} | {dead_letter_topic(t.name) for t in TOPICS}
    assert set(topics) == expected
    for topic in topics.values():
        assert topic["spec"]["replicas"] == 3
        assert topic["spec"]["config"]["min.insync.replicas"] == "2"


def test_every_k8s_manifest_parses_and_every_service_has_a_probed_deployment() -> None:
    docs = k8s_documents()
    assert all({"apiVersion", "kind", "metadata"} <= set(d) for d in docs)
    kinds = {d["kind"] for d in docs}
    assert {"Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Deployment", "Service"} <= kinds
    assert {"Job", "ConfigMap", "Secret"} <= kinds
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    assert sorted(deployments) == APP_SERVICES
    for name, deployment in deployments.items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["args"] == ["serve", name]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
        assert container["resources"]["requests"] and container["resources"]["limits"]
        assert container["ports"][0]["containerPort"] == SERVICES[name]
    users = {d["metadata"]["name"] for d in docs if d["kind"] == "KafkaUser"}
    assert users == {f"trc-{s}" for s in APP_SERVICES}
    job = next(d for d in docs if d["kind"] == "Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
