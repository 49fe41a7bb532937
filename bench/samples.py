"""The event every benchmark run sends: the same payload and the same bytes."""

from __future__ import annotations

from shared.contracts import make_envelope
from shared.contracts.events import Location, ReportReceived
from shared.contracts.vocabulary import Channel, Priority


def sample_payload(seq: int) -> ReportReceived:
    return ReportReceived(
        report_id=f"rep-{seq:08d}",
        channel=Channel.CALL_CENTER,
        category="gelandangan",
        priority=Priority.P3,
        description="Seorang lansia tidur di emperan toko, tampak lemah dan belum makan.",
        location=Location(
            address="Jl. Raden Patah", kecamatan="Lubuk Baja", kelurahan="Kampung Pelita"
        ),
        people_count=1,
        received_at="2026-11-22T13:05:00Z",
    )


def sample_bytes(seq: int) -> bytes:
    envelope = make_envelope(
        sample_payload(seq), producer="intake", region_code="21.71", correlation_id=f"rep-{seq}"
    )
    return envelope.to_bytes()
