"""Settings from environment variables (and an optional ``.env``), one typed class per concern.

Every service composes :class:`ServiceSettings` with its own ``env_prefix`` (``TRC_INTAKE_`` …);
the broker and messaging groups are shared by all services (``TRC_KAFKA_``, ``TRC_MESSAGING_``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth import AuthSettings

_COMMON = {"env_file": ".env", "env_file_encoding": "utf-8", "extra": "ignore"}


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRC_KAFKA_", **_COMMON)  # type: ignore[typeddict-item]

    bootstrap: str = Field(
        default="127.0.0.1:9092", description="Comma-separated bootstrap servers"
    )
    topic_prefix: str = Field(
        default="",
        description="Prepended to every topic name and consumer group id (several environments, "
        "one cluster)",
    )
    partitions: int = Field(
        default=3, ge=1, description="Partitions for topics the services create"
    )
    replication_factor: int = Field(
        default=1, ge=1, description="Replicas of each topic the services create"
    )
    min_insync_replicas: int | None = Field(
        default=None,
        ge=1,
        description="min.insync.replicas of the topics the services create (with acks=all, a "
        "write needs this many replicas); default: the broker's setting",
    )
    fetch_max_wait_ms: int = Field(
        default=25,
        ge=1,
        description=(
            "How long the broker may hold a fetch while records flow. The embedded broker looks "
            "for new records at growing intervals while it holds a fetch, so a record waits up "
            "to about this long there; Apache Kafka answers at once (500 costs nothing there)"
        ),
    )
    fetch_idle_max_wait_ms: int = Field(
        default=1000,
        ge=1,
        description=(
            "The same after fetch_idle_after_s without a record: what a consumer at rest costs "
            "the broker, and how late the first record after a quiet spell may be on the "
            "embedded broker"
        ),
    )
    fetch_idle_after_s: float = Field(
        default=10.0,
        gt=0,
        description="Seconds without a record before a consumer fetches at the idle pace",
    )
    session_timeout_ms: int = Field(
        default=10000, description="A consumer silent this long is dropped and its partitions moved"
    )
    security_protocol: str = Field(
        default="PLAINTEXT", description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"
    )
    sasl_mechanism: str | None = Field(
        default=None, description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; unset: no SASL"
    )
    sasl_username: str | None = Field(default=None, description="SASL user name")
    sasl_password: SecretStr | None = Field(default=None, description="SASL password")
    ssl_cafile: str | None = Field(
        default=None,
        description="CA certificate(s) the brokers' TLS certificates are checked against (e.g. "
        "Strimzi's cluster CA); default: the system's CAs",
    )

    def topic(self, name: str) -> str:
        return self.topic_prefix + name

    def group(self, name: str) -> str:
        """A consumer group's id carries the topic prefix too: two deployments (or two test
        runs) sharing one cluster never join each other's groups, where one's stale member
        would hold up the other's rebalance."""
        return self.topic_prefix + name

    @model_validator(mode="after")
    def _insync_within_replicas(self) -> KafkaSettings:
        if (self.min_insync_replicas or 0) > self.replication_factor:
            # every acks=all write would fail with NOT_ENOUGH_REPLICAS
            raise ValueError("min_insync_replicas must be <= replication_factor")
        return self


class MessagingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRC_MESSAGING_", **_COMMON)  # type: ignore[typeddict-item]

    outbox_retention_days: float = Field(
        default=7, gt=0, description="Published events kept for replay after broker log loss"
    )
    inbox_retention_days: float = Field(
        default=8, gt=0, description="Handled event ids remembered; keep >= outbox retention"
    )
    relay_batch_size: int = Field(
        default=1000, ge=1, description="Outbox rows the relay publishes in one round"
    )
    relay_poll_interval_s: float = Field(
        default=0.25,
        gt=0,
        description="Poll of the outbox after a round that published, or a ring; commits in the "
        "same process (and on PostgreSQL in any process) wake the relay at once",
    )
    relay_idle_max_s: float = Field(
        default=2.0,
        gt=0,
        description="The poll doubles while the outbox stays empty, up to this (at most 2.5 s, a "
        "quarter of the relay lease): how late a row written by another process is published "
        "on SQLite",
    )
    cluster_check_interval_s: float = Field(
        default=1.0, gt=0, description="How often the relay asks the broker for its cluster id"
    )
    consumer_max_records: int = Field(
        default=1000, ge=1, description="Most records a consumer handles in one transaction"
    )
    consumer_poll_ms: int = Field(
        default=1000,
        ge=1,
        description="Longest a consumer's poll waits for records before its loop goes round; "
        "records end the wait at once",
    )
    max_attempts: int = Field(
        default=3, ge=1, description="Processing failures before a message is dead-lettered"
    )
    retry_backoff_s: float = Field(
        default=0.05,
        ge=0,
        description="Pause before retrying a failing message (times the attempt); after a "
        "database failure a batch waits 20 times this",
    )

    @model_validator(mode="after")
    def _inbox_outlives_outbox(self) -> MessagingSettings:
        if self.inbox_retention_days < self.outbox_retention_days:
            raise ValueError("inbox_retention_days must be >= outbox_retention_days")
        return self


class TracingSettings(BaseSettings):
    """OpenTelemetry tracing (the ``otel`` extra); off, nothing of OpenTelemetry is imported."""

    model_config = SettingsConfigDict(env_prefix="TRC_TRACING_", **_COMMON)  # type: ignore[typeddict-item]

    enabled: bool = Field(default=False, description="Trace requests and events, export over OTLP")
    otlp_endpoint: str = Field(
        default="",
        description=(
            "OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces; empty: the standard "
            "OTEL_EXPORTER_OTLP_* variables, else http://localhost:4318/v1/traces"
        ),
    )
    sample_ratio: float = Field(
        default=1.0, ge=0, le=1, description="Share of new traces kept (continued ones follow)"
    )


class ServiceSettings(BaseSettings):
    """Settings of one service process; subclasses set ``env_prefix`` and the defaults."""

    model_config = SettingsConfigDict(env_prefix="TRC_SERVICE_", **_COMMON)  # type: ignore[typeddict-item]

    service_name: str = Field(
        default="service",
        description="Names the consumer groups, the Kafka client, the events' producer and the "
        "default database file",
    )
    data_dir: Path = Field(
        default=Path("data"),
        validation_alias="TRC_DATA_DIR",
        description="Folder of the SQLite databases (one file per service)",
    )
    database_url: SecretStr = Field(
        default=SecretStr(""),
        description="SQLAlchemy URL (it may hold a password); default: SQLite in the data folder",
    )
    http_host: str = Field(default="127.0.0.1", description="Address the HTTP server listens on")
    http_port: int = Field(default=8000, description="Port the HTTP server listens on")
    auto_migrate: bool = Field(
        default=True, description="Create missing tables at start; production runs `trc migrate`"
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_json: bool | None = Field(
        default=None, description="JSON logs; default: JSON unless stderr is a terminal"
    )
    kafka: KafkaSettings = Field(
        default_factory=KafkaSettings, description="The Kafka cluster and its topics"
    )
    messaging: MessagingSettings = Field(
        default_factory=MessagingSettings, description="Outbox, inbox and consumer batches"
    )
    auth: AuthSettings = Field(default_factory=AuthSettings, description="Staff sign-in")
    tracing: TracingSettings = Field(default_factory=TracingSettings)

    @model_validator(mode="after")
    def _default_database(self) -> ServiceSettings:
        if not self.database_url.get_secret_value():
            path = (self.data_dir / f"{self.service_name}.db").resolve()
            self.database_url = SecretStr(f"sqlite+aiosqlite:///{path}")
        return self
