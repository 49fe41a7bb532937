"""P1–P4 from category, danger flags and the hour, with the reasons written out.

P1 — immediate danger: violence, a medical emergency, a disaster, a baby or a child under five
alone at any hour, or an older child alone at night.
P2 — a child, a person with acute mental illness (ODGJ), a neglected elderly or disabled person.
P3 — people sleeping rough or begging, and the other vulnerable groups.
P4 — the rest (poverty, family problems, information to follow up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.contracts.vocabulary import DangerFlag, Priority

NIGHT_HOURS = (18, 6)  # local time: from 18.00 to 06.00
P2_CATEGORIES = frozenset(
    {
        "odgj_terlantar",
        "anak_balita_terlantar",
        "anak_terlantar",
        "anak_jalanan",
        "anak_disabilitas",
        "anak_korban_kekerasan",
        "anak_perlindungan_khusus",
        "anak_berhadapan_hukum",
        "lanjut_usia_terlantar",
        "penyandang_disabilitas",
        "korban_tindak_kekerasan",
        "korban_trafficking",
    }
)
P3_CATEGORIES = frozenset(
    {
        "gelandangan",
        "pengemis",
        "gepeng",
        "pemulung",
        "tuna_susila",
        "korban_napza",
        "orang_dengan_hiv",
        "pekerja_migran_bermasalah",
        "korban_bencana_alam",
        "korban_bencana_sosial",
        "korban_kebakaran",
        "bekas_warga_binaan",
    }
)


@dataclass(frozen=True)
class PriorityDecision:
    priority: Priority
    reasons: tuple[str, ...]  # Bahasa Indonesia first: shown to operators and supervisors

    def explain(self) -> str:
        return f"{self.priority.value}: " + "; ".join(self.reasons)


def is_night(local_time: datetime) -> bool:
    start, end = NIGHT_HOURS
    return local_time.hour >= start or local_time.hour < end


def decide_priority(
    *,
    category: str | None,
    danger_flags: set[DangerFlag] | frozenset[DangerFlag],
    local_time: datetime,
    alone: bool = False,
    night_in_text: bool = False,
    sensed: str | None = None,
    infant_alone: bool = False,
) -> PriorityDecision:
    """``local_time`` is the report's time in the region's zone (shifts and nights are local);
    ``night_in_text``: the text says it is night ("jam 23.40", "tengah malam"), whenever it was
    sent; ``sensed``: the words for which the triage model sees immediate danger the danger words
    missed ("tdk bangun", "ngos2an"); ``infant_alone``: a baby or a child under five left alone
    or found abandoned, an emergency at any hour."""
    reasons: list[str] = []
    if sensed:
        reasons.append(f"tanda bahaya / signs of danger: {sensed}")
    if DangerFlag.VIOLENCE in danger_flags:
        reasons.append("kekerasan / violence")
    if DangerFlag.MEDICAL in danger_flags:
        reasons.append("darurat medis / medical emergency")
    if DangerFlag.DISASTER in danger_flags:
        reasons.append("bencana / disaster")
    if infant_alone:
        reasons.append("bayi/balita sendirian / baby or toddler alone")
    elif DangerFlag.CHILD in danger_flags and alone and (night_in_text or is_night(local_time)):
        reasons.append("anak sendirian pada malam hari / child alone at night")
    if reasons:
        return PriorityDecision(Priority.P1, tuple(reasons))
    if DangerFlag.CHILD in danger_flags:
        return PriorityDecision(Priority.P2, ("melibatkan anak / a child is involved",))
    if category in P2_CATEGORIES:
        return PriorityDecision(Priority.P2, (f"kategori rentan / vulnerable group: {category}",))
    if category in P3_CATEGORIES:
        return PriorityDecision(Priority.P3, (f"kategori / category: {category}",))
    if category is None:
        return PriorityDecision(Priority.P4, ("kategori belum jelas / category unclear",))
    return PriorityDecision(Priority.P4, (f"tidak mendesak / not urgent: {category}",))
