"""Does a new report join an open one? One rule for every channel and every signal.

A shared signal — the same phone number, a nearby place — only *proposes* a link. The report
joins the open one only when it is plausibly the same case:

* **a compatible category**: the same code, the same official category (a working subtype and
  the category it is reported as), the same SPM target group (gelandangan, pengemis and gepeng;
  anak jalanan and anak terlantar), or no category at all on the new report ("he moved on");
* **a compatible place**: the same kelurahan, within reach (below), or no place at all on the
  new report.

How near is "the same place" depends on who is reported. One person on the street walks: two
callers who see a confused man 400 m and 40 minutes apart most likely saw the same man, so a
single person away from home matches within ``max_distance_m`` (500 m) or the same kelurahan.
A household, a group, or a disaster victim (SPM group *korban bencana*) is found where they
live or shelter: two households 220 m apart are two households. They match only at the same
spot — within ``same_spot_m`` (50 m, the accuracy of a phone's position or a geocoded address
in a city) or at the same written address in the same kelurahan.

People are never merged away. Reports from different people that only proximity links must also
count the same number of people: different counts mean different groups (or a miscount), and
either way two teams checking loses nobody while one merged count loses people. The same caller
may correct the count ("sekarang ada tiga orang"): that follow-up joins, and the case counts the
largest number reported (dispatch keeps it).

A report that does not join stands alone (its own incident) and carries a hint that names the
report that proposed the link, so the operator can read both and attach or leave them apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.intake.domain.duplicates import Candidate, DuplicatePolicy, distance_m
from services.intake.domain.taxonomy import Taxonomy
from services.intake.domain.text import normalise

FIXED_PLACE_GROUPS = frozenset({"korban_bencana"})  # found at their home or shelter point
FOLLOW_UP = "tindak lanjut penelepon yang sama / follow-up from the same caller"


@dataclass(frozen=True)
class Verdict:
    """The outcome for one proposed link: joined (``reason`` explains) or a hint to show."""

    other_id: str
    linked: bool
    reason: str


@dataclass(frozen=True)
class _Near:
    metres: float | None
    id_text: str
    en_text: str


def compatible_categories(new: str | None, other: str | None, taxonomy: Taxonomy) -> bool:
    if not new or new == other:
        return True
    if not other or new not in taxonomy or other not in taxonomy:
        return False
    a, b = taxonomy.get(new), taxonomy.get(other)
    if a.official_code == b.official_code:
        return True
    return a.spm_group is not None and a.spm_group == b.spm_group


def has_place(report: Candidate) -> bool:
    return bool(
        report.kelurahan or report.kecamatan or report.address or report.latitude is not None
    )


def judge_same_caller(
    new: Candidate, earlier: Candidate, policy: DuplicatePolicy, taxonomy: Taxonomy
) -> Verdict:
    """A second call from the same number: a follow-up only if it is about the same case."""
    why_not: list[tuple[str, str]] = []
    if not compatible_categories(new.category, earlier.category, taxonomy):
        why_not.append(("kategori lain", "another category"))
    if has_place(new) and _near(new, earlier, policy.max_distance_m) is None:
        why_not.append(("tempat lain", "another place"))
    if not why_not:
        return Verdict(earlier.report_id, True, FOLLOW_UP)
    ids, ens = "; ".join(w[0] for w in why_not), "; ".join(w[1] for w in why_not)
    hint = (
        f"penelepon yang sama dengan laporan {earlier.report_id} ({ids}) / "
        f"same caller as report {earlier.report_id} ({ens})"
    )
    return Verdict(earlier.report_id, False, hint)


def judge_nearby(
    new: Candidate,
    open_reports: Iterable[Candidate],
    policy: DuplicatePolicy,
    taxonomy: Taxonomy,
) -> Verdict | None:
    """The closest open report that is plausibly the same case, else a hint naming the closest
    similar one; None when nothing similar is near."""
    near: list[tuple[Candidate, _Near]] = []
    for other in open_reports:
        if other.report_id == new.report_id:
            continue
        if abs(new.received_at - other.received_at) > policy.window:
            continue
        if not other.category or not compatible_categories(new.category, other.category, taxonomy):
            continue
        if (where := _near(new, other, policy.max_distance_m)) is not None:
            near.append((other, where))
    near.sort(key=lambda pair: (_rank(pair[1]), abs(new.received_at - pair[0].received_at)))
    for other, where in near:
        if not _why_apart(new, other, where, policy, taxonomy):
            minutes = int(abs(new.received_at - other.received_at).total_seconds() // 60)
            return Verdict(other.report_id, True, f"{where.en_text}, {minutes} min")
    if not near:
        return None
    other, where = near[0]
    ids, ens = zip(*_why_apart(new, other, where, policy, taxonomy), strict=True)
    hint = (
        f"laporan serupa di dekat: {other.report_id} ({where.id_text}; {'; '.join(ids)}) / "
        f"similar report nearby: {other.report_id} ({where.en_text}; {'; '.join(ens)})"
    )
    return Verdict(other.report_id, False, hint)


def _why_apart(
    new: Candidate, other: Candidate, where: _Near, policy: DuplicatePolicy, taxonomy: Taxonomy
) -> list[tuple[str, str]]:
    """What keeps two nearby reports from different people apart (empty: the same case)."""
    reasons: list[tuple[str, str]] = []
    if new.people_count != other.people_count:
        reasons.append(
            (
                f"jumlah orang berbeda: {new.people_count} dan {other.people_count}",
                f"different people counts: {new.people_count} and {other.people_count}",
            )
        )
    if not (_on_foot(new, taxonomy) and _on_foot(other, taxonomy)) and not _same_spot(
        new, other, where, policy
    ):
        reasons.append(
            (
                "keluarga/kelompok di tempat berbeda",
                "a household or group at another spot",
            )
        )
    return reasons


def _on_foot(report: Candidate, taxonomy: Taxonomy) -> bool:
    """One person away from a fixed place: may have walked on between two calls."""
    if report.people_count != 1:
        return False
    if report.category in taxonomy:
        return taxonomy.get(report.category).spm_group not in FIXED_PLACE_GROUPS
    return True


def _same_spot(new: Candidate, other: Candidate, where: _Near, policy: DuplicatePolicy) -> bool:
    if where.metres is not None:
        return where.metres <= policy.same_spot_m
    return bool(
        new.address
        and other.address
        and normalise(new.address) == normalise(other.address)
        and new.kelurahan == other.kelurahan
    )


def _near(new: Candidate, other: Candidate, reach_m: float) -> _Near | None:
    """Within reach: by coordinates when both have them, else the same kelurahan."""
    if None not in (new.latitude, new.longitude, other.latitude, other.longitude):
        metres = distance_m(new.latitude, new.longitude, other.latitude, other.longitude)  # type: ignore[arg-type]
        if metres <= reach_m:
            return _Near(metres, f"{metres:.0f} m", f"{metres:.0f} m")
        return None
    same_kecamatan = not (new.kecamatan and other.kecamatan) or new.kecamatan == other.kecamatan
    if new.kelurahan and new.kelurahan == other.kelurahan and same_kecamatan:
        word = new.village_word  # the region's word: a kabupaten says desa
        return _Near(None, f"{word} yang sama", f"same {word}")
    return None


def _rank(where: _Near) -> float:
    return where.metres if where.metres is not None else 1e9
