"""What the teams and supervisors read in Telegram, in Bahasa Indonesia (or English). Pure:
payloads in, text and buttons out. Never the reporter's identity: the channel only."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.buttons import CODES, callback_data
from shared.contracts.events import (
    AssignmentCreated,
    IncidentEscalated,
    ReportAwaitingTriage,
    ReportTriaged,
    ShiftHandover,
)
from shared.regions import format_local, region_zone, to_local

ICON = {"P1": "🔴", "P2": "🟠", "P3": "🟡", "P4": "🔵"}
TRIAGE_TEXT_LIMIT = 300  # characters of the report's text a triage notice quotes
WORDS = {
    "id": {
        "accept": "Terima", "en_route": "Menuju lokasi", "on_scene": "Tiba", "secured": "Diamankan",
        "not_found": "Tidak ditemukan", "note": "Catatan", "number": "Nomor", "place": "Tempat",
        "map": "Peta", "report": "Laporan", "people": "Jumlah orang", "danger": "Bahaya",
        "source": "Sumber", "deadline": "Terima sebelum", "why": "Alasan penugasan",
        "status": "Status", "by": "oleh",
        "violence": "kekerasan", "child": "anak", "medical": "darurat medis", "disaster": "bencana",
        "call_center": "telepon call center", "social_media": "media sosial",
        "patrol": "patroli TRC", "integration": "serah terima 112 / sistem lain",
        "released": "Tugas {number} dilepas dari tim Anda: {why}.",
        "timed_out": "tidak diterima tepat waktu", "reassigned": "dialihkan oleh supervisor",
        "handover": "pergantian shift", "cancelled": "dibatalkan", "closed": "ditutup",
        "escalated": "⚠️ Eskalasi (tingkat {level}) {number}: {detail}",
        "awaiting_triage": "🔴 P1 MENUNGGU TRIASE — belum ada tim yang bisa dikirim: {reason}.",
        "triage_reminder": "🔴 P1 MASIH MENUNGGU TRIASE (pengingat ke-{n}, sejak {since}{waited}) — belum ada tim yang bisa dikirim: {reason}.",
        "minutes": "{m} menit",
        "received_at": "Diterima", "category": "Kategori (saran)",
        "open_triage": "Operator: buka antrean triase (/triase di layanan intake) sekarang.",
        "triaged_dispatched": "✅ {priority} dari antrean triase dikirim ke tim oleh {operator} ({at}): {what}.",
        "triaged_dismissed": "⚠️ {priority} dari antrean triase DIABAIKAN oleh {operator} ({at}): alasan «{reason}». Periksa bila ragu.",
        "handover_notice": "Pergantian shift {at}: {moved} tugas diserahkan, {kept} tetap pada tim di lokasi.",
        "checkin": "Tim di lokasi sejak {since}. Mohon kabari keadaan sebelum {by}.",
        "not_allowed": "Anda tidak berwenang", "recorded": "Tercatat: {action}",
        "gone": "Tugas ini sudah tidak berlaku", "note_ask": "Balas pesan ini dengan catatan Anda untuk tugas {number}.",
        "no_chat": "Tim {team} belum punya grup Telegram: tugas {number} tidak terkirim. Daftarkan grup dengan /daftar {team}.",
        "blocked": "Bot tidak bisa mengirim ke obrolan {chat} (diblokir/dikeluarkan). Periksa grup tim.",
        "uncertain": "Pesan tugas {number} ke obrolan {chat} mungkin tidak terkirim (layanan berhenti saat mengirim). Periksa dengan tim.",
        "on_duty": "Bertugas: {team} sampai {until}", "nobody_on_duty": "{region}: TIDAK ADA tim yang bertugas sekarang",
        "duty_unknown": "Jadwal belum diketahui.",
        "borrowed": "⚠️ TIM DIPINJAM: P1 ini didahulukan di atas tugas {priority} {number} yang sedang Anda tangani (melebihi kapasitas tim).",
        "unknown_region": "Wilayah tim Anda ({region}) tidak dikenal sistem, jadi laporan tidak bisa diterima. Hubungi admin.",
        "help": (
            "Perintah:\n/tugas — tugas tim Anda yang masih terbuka\n"
            "/shift — siapa yang bertugas sekarang\n"
            "/lapor <uraian> — laporan lapangan, lalu kirim lokasi\n"
            "/daftar <kode tim> — (di grup tim) hubungkan grup ini dengan tim\n"
            "/bantuan — pesan ini\nTombol pada pesan tugas: Terima, Menuju lokasi, Tiba, Diamankan, "
            "Tidak ditemukan; Catatan: balas pesan tugas dengan catatan Anda."
        ),
        "register_usage": "Gunakan di grup tim: /daftar <kode tim Anda>",
        "group_linked": "Grup ini terhubung dengan {team}.",
        "no_open_tasks": "Tidak ada tugas terbuka.",
        "lapor_usage": "Tulis: /lapor <apa yang Anda temukan>, lalu kirim lokasi.",
        "share_location": "Kirim lokasi sekarang (📎 → Lokasi).",
        "lapor_first": "Mulai dengan /lapor <uraian>.",
        "report_received": "Laporan diterima, diteruskan ke call center.",
    },
    "en": {
        "accept": "Accept", "en_route": "On my way", "on_scene": "Arrived", "secured": "Secured",
        "not_found": "Not found", "note": "Note", "number": "Number", "place": "Place",
        "map": "Map", "report": "Report", "people": "People", "danger": "Danger",
        "source": "Source", "deadline": "Accept before", "why": "Why this team",
        "status": "Status", "by": "by",
        "violence": "violence", "child": "child", "medical": "medical emergency", "disaster": "disaster",
        "call_center": "call-center phone", "social_media": "social media",
        "patrol": "TRC patrol", "integration": "112 / other system hand-off",
        "released": "Assignment {number} released from your team: {why}.",
        "timed_out": "not accepted in time", "reassigned": "moved by a supervisor",
        "handover": "shift change", "cancelled": "cancelled", "closed": "closed",
        "escalated": "⚠️ Escalation (level {level}) {number}: {detail}",
        "awaiting_triage": "🔴 P1 WAITING FOR TRIAGE — no team can be sent yet: {reason}.",
        "triage_reminder": "🔴 P1 STILL WAITING FOR TRIAGE (reminder {n}, since {since}{waited}) — no team can be sent yet: {reason}.",
        "minutes": "{m} min",
        "received_at": "Received", "category": "Category (suggested)",
        "open_triage": "Operator: open the triage queue (/triase on the intake service) now.",
        "triaged_dispatched": "✅ {priority} from the triage queue sent to a team by {operator} ({at}): {what}.",
        "triaged_dismissed": "⚠️ {priority} from the triage queue DISMISSED by {operator} ({at}): reason «{reason}». Check it if in doubt.",
        "handover_notice": "Shift change {at}: {moved} assignment(s) handed over, {kept} kept by the team on scene.",
        "checkin": "Team on scene since {since}. Please report before {by}.",
        "not_allowed": "You are not allowed to", "recorded": "Recorded: {action}",
        "gone": "This assignment is no longer current", "note_ask": "Reply to this message with your note for {number}.",
        "no_chat": "Team {team} has no Telegram group: assignment {number} was not sent. Register the group with /daftar {team}.",
        "blocked": "The bot cannot send to chat {chat} (blocked/removed). Check the team's group.",
        "uncertain": "Assignment message {number} to chat {chat} may not have been sent (the service stopped while sending). Check with the team.",
        "on_duty": "On duty: {team} until {until}", "nobody_on_duty": "{region}: NO team is on duty now",
        "duty_unknown": "The roster is not known yet.",
        "borrowed": "⚠️ TEAM BORROWED: this P1 comes before the {priority} {number} you are on (over the team's capacity).",
        "unknown_region": "Your team's region ({region}) is not known to the system, so the report cannot be taken. Tell an administrator.",
        "help": (
            "Commands:\n/tugas — your team's open assignments\n/shift — who is on duty now\n"
            "/lapor <description> — a field report, "
            "then share the location\n/daftar <team code> — (in the team's group) link this group to "
            "the team\n/bantuan — this message\nButtons on an assignment: Accept, On my way, Arrived, "
            "Secured, Not found; Note: reply to the assignment message with your note."
        ),
        "register_usage": "Use it in the team's group: /daftar <your team code>",
        "group_linked": "This group is linked to {team}.",
        "no_open_tasks": "No open assignments.",
        "lapor_usage": "Write: /lapor <what you found>, then share the location.",
        "share_location": "Now share the location (📎 → Location).",
        "lapor_first": "Start with /lapor <description>.",
        "report_received": "Report received and passed on.",
    },
}  # fmt: skip


def word(lang: str, key: str, **values: object) -> str:
    return WORDS[lang][key].format(**values) if values else WORDS[lang][key]


def category_name(code: str) -> str:
    return code.replace("_", " ").capitalize()


def assignment_body(a: AssignmentCreated, region: str, lang: str) -> str:
    loc = a.location
    place = ", ".join(p for p in (loc.kelurahan, loc.kecamatan) if p) or "—"
    if loc.address:
        place += f" — {loc.address}"
    lines = [
        f"{ICON.get(a.priority.value, '')} {a.priority.value} · {category_name(a.category)}",
        f"{word(lang, 'number')}: {a.incident_number or a.incident_id}",
        f"{word(lang, 'place')}: {place}",
    ]
    if a.borrowed_from_priority is not None:  # said first, plainly: the team is already busy
        borrowed = word(lang, "borrowed", priority=a.borrowed_from_priority.value,
                        number=a.borrowed_from_number or "")  # fmt: skip
        lines.insert(1, borrowed)
    if loc.latitude is not None and loc.longitude is not None:
        lines.append(
            f"{word(lang, 'map')}: https://www.openstreetmap.org/?mlat={loc.latitude}&mlon={loc.longitude}#map=17/{loc.latitude}/{loc.longitude}"
        )
    lines += [
        f"{word(lang, 'report')}: {a.description}",
        f"{word(lang, 'people')}: {a.people_count}",
    ]
    if a.danger_flags:
        lines.append(
            f"{word(lang, 'danger')}: {', '.join(word(lang, f.value) for f in a.danger_flags)}"
        )
    lines += [
        f"{word(lang, 'source')}: {word(lang, a.channel.value)}",
        f"{word(lang, 'deadline')}: {format_local(a.ack_deadline, region, lang=lang)}",
    ]
    if a.reasons:
        lines.append(f"{word(lang, 'why')}: {', '.join(a.reasons)}")
    return "\n".join(lines)


def open_task_line(number: str, body: str, status: str) -> str:
    """One line of /tugas: the number, the message's first line, and its status so far."""
    return f"• {number}: {body.splitlines()[0]} — {status or '…'}"


def with_status(body: str, status: str, lang: str) -> str:
    return f"{body}\n\n{word(lang, 'status')}: {status}" if status else body


def status_line(state: str, who: str | None, at: datetime, region: str, lang: str) -> str:
    action = {"acknowledged": "accept", "en_route": "en_route", "on_scene": "on_scene",
              "secured": "secured", "not_found": "not_found"}.get(state)  # fmt: skip
    label = word(lang, action) if action else state.replace("_", " ")
    by = f" {word(lang, 'by')} {who}" if who else ""
    return f"{label}{by} ({format_local(at, region, lang=lang)})"


def buttons(token: str, lang: str, *, only: tuple[str, ...] | None = None) -> dict[str, object]:
    """Inline keyboard as the Bot API's JSON: two rows of three."""
    actions = [action for action in CODES if only is None or action in only]
    row = [
        {"text": word(lang, action), "callback_data": callback_data(action, token)}
        for action in actions
    ]
    return {"inline_keyboard": [row[i : i + 3] for i in range(0, len(row), 3)]}


def escalation(e: IncidentEscalated, lang: str) -> str:
    return word(lang, "escalated", level=e.level, number=e.incident_number or "", detail=e.detail)


def awaiting_triage(r: ReportAwaitingTriage, region: str, lang: str) -> str:
    """A P1 no team can be sent to yet: why it waits (the queue's reason, in the notice's
    language), when it came in (the region's own zone), what was reported (shortened) and that
    an operator must open the triage queue. The channel only, never who reported it."""
    reason = _in_language(r.triage_reason, lang) or "—"
    text = _shortened(r.description)
    lines = [
        _triage_headline(r, region, lang, reason),
        f"{word(lang, 'received_at')}: {format_local(r.received_at, region, lang=lang)}",
        f"{word(lang, 'source')}: {word(lang, r.channel.value)}",
    ]
    if r.category:
        lines.append(f"{word(lang, 'category')}: {category_name(r.category)}")
    if r.danger_flags:
        lines.append(
            f"{word(lang, 'danger')}: {', '.join(word(lang, f.value) for f in r.danger_flags)}"
        )
    lines += [f"{word(lang, 'report')}: {text}", word(lang, "open_triage")]
    return "\n".join(lines)


def _triage_headline(r: ReportAwaitingTriage, region: str, lang: str, reason: str) -> str:
    """The first notice says it waits; a reminder says it still does, since when (the region's
    zone, the clock only) and for how many minutes when it was told."""
    if r.reminder == 0:
        return word(lang, "awaiting_triage", reason=reason)
    local = to_local(r.received_at, region)
    sep = "." if lang == "id" else ":"
    since = f"{local.hour:02d}{sep}{local.minute:02d} {region_zone(region).label}"
    waited = ""
    if r.announced_at is not None:
        minutes = max(0, int((r.announced_at - r.received_at).total_seconds() // 60))
        waited = ", " + word(lang, "minutes", m=minutes)
    return word(lang, "triage_reminder", n=r.reminder, since=since, waited=waited, reason=reason)


def triaged(r: ReportTriaged, region: str, lang: str) -> str:
    """How a P1 the supervisors were told of left the triage queue: sent to a team (category,
    kecamatan) or dismissed (the reason, to check), by which operator, when (the region's zone,
    the clock only) and what was reported (shortened as the first notice). Never the reporter."""
    local = to_local(r.decided_at, region)
    sep = "." if lang == "id" else ":"
    at = f"{local.hour:02d}{sep}{local.minute:02d} {region_zone(region).label}"
    common = {"priority": r.priority.value, "operator": r.operator, "at": at}
    if r.outcome == "dispatched":
        what = ", ".join(x for x in (r.category and category_name(r.category), r.kecamatan) if x)
        head = word(lang, "triaged_dispatched", what=what or "—", **common)
    else:
        head = word(lang, "triaged_dismissed", reason=r.reason or "—", **common)
    return f"{head}\n{word(lang, 'report')}: {_shortened(r.description)}"


def _shortened(description: str) -> str:
    text = " ".join(description.split())
    if len(text) > TRIAGE_TEXT_LIMIT:
        text = text[: TRIAGE_TEXT_LIMIT - 1].rstrip() + "…"
    return text


def _in_language(reason: str, lang: str) -> str:
    """Intake's reasons read "Indonesian / English": the half of the notice's language."""
    indonesian, _, english = reason.partition(" / ")
    return (english if lang == "en" and english else indonesian).strip()


def handover(h: ShiftHandover, region: str, lang: str) -> str:
    return word(lang, "handover_notice", at=format_local(h.at, region, lang=lang),
                moved=len(h.handed_over), kept=len(h.kept))  # fmt: skip
