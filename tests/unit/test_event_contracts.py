"""The event contracts: every example validates, every field is described, every event travels
on a registered topic, readers tolerate unknown fields and refuse unknown versions."""

from datetime import datetime

import pytest
from pydantic import ValidationError

from shared.contracts import (
    EVENTS,
    TOPICS,
    Envelope,
    UnknownEvent,
    dead_letter_topic,
    event_spec,
    make_envelope,
    new_event_id,
    parse_payload,
    topic_spec,
)
from shared.contracts.events import Location, ReportReceived


@pytest.mark.parametrize("spec", EVENTS, ids=lambda s: f"{s.event_type}.v{s.version}")
def test_every_event_example_validates_as_envelope_and_payload(spec) -> None:
    envelope = Envelope.model_validate(spec.example_envelope())
    payload = parse_payload(envelope)
    assert isinstance(payload, spec.payload_model)
    assert envelope.producer in {t.producers[0] for t in TOPICS if t.name == spec.topic}
    assert spec.payload_model.model_validate_json(payload.model_dump_json()) == payload


@pytest.mark.parametrize("spec", EVENTS, ids=lambda s: s.event_type)
def test_every_payload_field_is_described(spec) -> None:
    models = [spec.payload_model, Location]
    for model in models:
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} needs a description"


def test_every_event_travels_on_a_registered_topic_with_producers_and_consumers() -> None:
    names = {t.name for t in TOPICS}
    for spec in EVENTS:
        assert spec.topic in names
    for topic in TOPICS:
        assert topic.producers and topic.consumers
        assert topic.key == "region_code"
        assert topic.name.endswith(f".v{topic.version}")


def test_event_types_and_versions_are_unique() -> None:
    keys = [(e.event_type, e.version) for e in EVENTS]
    assert len(keys) == len(set(keys))


def test_dead_letter_topic_is_named_after_its_topic() -> None:
    assert dead_letter_topic("trc.reports.v1") == "trc.reports.v1.dlt"
    assert topic_spec("trc.reports.v1").consumers == ("dispatch", "notify")


def test_readers_ignore_unknown_fields_in_envelope_and_payload() -> None:
    raw = event_spec("report.received", 1).example_envelope()
    raw["shiny_new_field"] = 1
    raw["payload"] = {**raw["payload"], "added_in_a_later_release": True}
    envelope = Envelope.model_validate(raw)
    assert isinstance(parse_payload(envelope), ReportReceived)


def test_unknown_version_is_refused_not_guessed() -> None:
    raw = {**event_spec("report.received", 1).example_envelope(), "version": 2}
    with pytest.raises(UnknownEvent):
        parse_payload(Envelope.model_validate(raw))


@pytest.mark.parametrize("code", ["21.71", "64", "32.12", "73.71"])
def test_kemendagri_region_codes_are_accepted(code: str) -> None:
    raw = {**event_spec("report.received", 1).example_envelope(), "region_code": code}
    assert Envelope.model_validate(raw).region_code == code


@pytest.mark.parametrize("code", ["99.99", "73.99", "99", "21.71.01", "21.71.01.1001"])
def test_well_formed_codes_of_no_known_province_or_kabupaten_kota_are_refused(code: str) -> None:
    raw = {**event_spec("report.received", 1).example_envelope(), "region_code": code}
    with pytest.raises(ValidationError, match="region_code"):
        Envelope.model_validate(raw)


@pytest.mark.parametrize("code", ["2171", "Batam", "21.7", ""])
def test_malformed_region_codes_are_rejected(code: str) -> None:
    raw = {**event_spec("report.received", 1).example_envelope(), "region_code": code}
    with pytest.raises(ValidationError):
        Envelope.model_validate(raw)


def test_occurred_at_must_carry_a_zone_and_is_stored_in_utc() -> None:
    raw = event_spec("report.received", 1).example_envelope()
    with pytest.raises(ValidationError):
        Envelope.model_validate({**raw, "occurred_at": "2026-11-22T20:05:00"})
    wib = Envelope.model_validate({**raw, "occurred_at": "2026-11-22T20:05:00+07:00"})
    assert wib.occurred_at == datetime.fromisoformat("2026-11-22T13:05:00+00:00")
    assert wib.occurred_at.utcoffset().total_seconds() == 0


def test_event_ids_are_unique_and_sort_by_creation() -> None:
    ids = [new_event_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert ids == sorted(ids)


def test_make_envelope_fills_type_version_and_producer_from_the_payload() -> None:
    payload = ReportReceived.model_validate(ReportReceived.EXAMPLE)
    envelope = make_envelope(payload, producer="intake", region_code="21.71", correlation_id="r1")
    assert (envelope.event_type, envelope.version, envelope.producer) == (
        "report.received",
        1,
        "intake",
    )
    assert Envelope.model_validate_json(envelope.to_bytes()) == envelope


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-01:00"])
def test_times_out_of_any_plausible_range_are_refused(when: str) -> None:
    raw = {**event_spec("report.received", 1).example_envelope(), "occurred_at": when}
    with pytest.raises(ValidationError):
        Envelope.model_validate(raw)
