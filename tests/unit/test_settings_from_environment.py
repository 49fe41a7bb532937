"""Settings from the environment: each service its own prefix and SQLite file, the inbox
remembers as long as the outbox replays, the topic prefix applies everywhere."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from services.dispatch.settings import DispatchSettings
from services.intake.settings import IntakeSettings
from shared.settings import KafkaSettings, MessagingSettings


def test_each_service_defaults_to_its_own_sqlite_file(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRC_DATA_DIR", str(tmp_path))
    intake, dispatch = IntakeSettings(), DispatchSettings()
    assert intake.database_url.get_secret_value() == f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"
    assert dispatch.database_url.get_secret_value().endswith("dispatch.db")
    assert intake.http_port != dispatch.http_port


def test_each_service_reads_its_own_prefix(monkeypatch) -> None:
    monkeypatch.setenv("TRC_INTAKE_DATABASE_URL", "postgresql://u@db/intake")
    monkeypatch.setenv("TRC_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:9092")
    monkeypatch.setenv("TRC_KAFKA_SASL_PASSWORD", "s3cret")
    intake, dispatch = IntakeSettings(), DispatchSettings()
    assert intake.database_url.get_secret_value() == "postgresql://u@db/intake"
    assert dispatch.database_url != intake.database_url
    assert "postgresql" not in repr(intake)
    assert intake.kafka.bootstrap == "kafka-1:9092,kafka-2:9092"
    assert "s3cret" not in repr(intake.kafka)


def test_inbox_must_remember_at_least_as_long_as_the_outbox_replays() -> None:
    with pytest.raises(ValidationError):
        MessagingSettings(outbox_retention_days=7, inbox_retention_days=3)


def test_topic_prefix_applies_to_every_topic() -> None:
    assert (
        KafkaSettings(topic_prefix="staging.").topic("trc.reports.v1") == "staging.trc.reports.v1"
    )
