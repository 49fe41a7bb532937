"""Events from dispatch (and intake's P1 reports waiting for triage) become deliveries: rows
written in the consumer's transaction (so a redelivered event adds nothing) and sent later by the
sender, within Telegram's limits."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notify import texts
from services.notify.models import AssignmentMessage, Chat, Delivery, Duty, KnownMember, KnownTeam
from shared.contracts.events import (
    AssignmentAcknowledged,
    AssignmentCreated,
    AssignmentReleased,
    CheckinRequested,
    DutyChanged,
    IncidentEscalated,
    IncidentStatusChanged,
    ReportAwaitingTriage,
    ReportTriaged,
    ShiftHandover,
    TeamUpdated,
)
from shared.logging import get_logger
from shared.regions import format_local

log = get_logger(__name__)
FINISHED = {
    "secured",
    "not_found",
    "resolved_on_site",
    "refused",
    "referred",
    "closed",
    "cancelled",
}


def deliver(
    session: AsyncSession,
    event_id: str,
    chat_id: int,
    purpose: str,
    text: str,
    now: datetime,
    *,
    priority: int = 4,
    markup: dict[str, object] | None = None,
    method: str = "sendMessage",
    assignment_id: str | None = None,
) -> None:
    session.add(
        Delivery(
            event_id=event_id,
            chat_id=chat_id,
            purpose=purpose,
            text=text,
            priority=priority,
            markup=markup,
            method=method,
            assignment_id=assignment_id,
            next_attempt_at=now,
            created_at=now,
        )
    )


def rank(priority: str | None) -> int:
    return int(priority[1]) if priority and priority[:1] == "P" else 4


async def supervisors_chat(session: AsyncSession, region: str) -> int | None:
    query = select(Chat.chat_id).where(Chat.region_code == region, Chat.purpose == "supervisors")
    return (await session.exec(query)).first()


async def team_chat(session: AsyncSession, team_id: str) -> tuple[KnownTeam | None, int | None]:
    team = await session.get(KnownTeam, team_id)
    chat = team.chat_id if team and team.chat_id else None
    if chat is not None and (found := await session.get(Chat, chat)) and found.blocked_at:
        chat = None
    return team, chat


async def on_team_updated(session: AsyncSession, region: str, team: TeamUpdated) -> None:
    known = await session.get(KnownTeam, team.team_id)
    if known is None:
        known = KnownTeam(team_id=team.team_id, region_code=region, code=team.code, name=team.name)
    known.region_code, known.code, known.name, known.active = (
        region,
        team.code,
        team.name,
        team.active,
    )
    session.add(known)
    await session.exec(delete(KnownMember).where(col(KnownMember.team_id) == team.team_id))
    for m in team.members:
        if m.telegram_user_id is not None:
            session.add(
                KnownMember(
                    team_id=team.team_id,
                    telegram_user_id=m.telegram_user_id,
                    member_id=m.member_id,
                    name=m.name,
                    role=m.role,
                )
            )


async def on_duty(session: AsyncSession, region: str, duty: DutyChanged) -> None:
    known = await session.get(Duty, region)
    if known is not None and known.at > duty.at:
        return  # an older picture arriving late changes nothing
    known = known or Duty(region_code=region, at=duty.at)
    known.at = duty.at
    known.teams = [t.model_dump(mode="json") for t in duty.on_duty]
    session.add(known)


async def on_assignment(
    session: AsyncSession,
    event_id: str,
    region: str,
    a: AssignmentCreated,
    now: datetime,
    lang: str,
    privately: bool,
) -> None:
    team, chat = await team_chat(session, a.team_id)
    name = team.code if team else a.team_name or a.team_id
    chats = [chat] if chat is not None else []
    if privately:
        members = (
            await session.exec(
                select(KnownMember.telegram_user_id).where(KnownMember.team_id == a.team_id)
            )
        ).all()
        private = (
            await session.exec(
                select(Chat.chat_id).where(
                    Chat.purpose == "member",
                    col(Chat.telegram_user_id).in_(list(members)),
                    col(Chat.blocked_at).is_(None),
                )
            )
        ).all()
        chats += list(private)
    if not chats:
        log.warning(
            "team_without_chat", region=region, team_id=a.team_id, incident_id=a.incident_id
        )
        if (sup := await supervisors_chat(session, region)) is not None:
            text = texts.word(lang, "no_chat", team=name, number=a.incident_number or a.incident_id)
            deliver(session, event_id, sup, "notice", text, now, priority=1)
        return
    body = texts.assignment_body(a, region, lang)
    for chat_id in chats:
        if await session.get(AssignmentMessage, (a.assignment_id, chat_id)) is not None:
            continue  # this assignment's message to this chat exists: one message, however told
        token = secrets.token_urlsafe(12)
        session.add(
            AssignmentMessage(
                assignment_id=a.assignment_id,
                chat_id=chat_id,
                token=token,
                incident_id=a.incident_id,
                number=a.incident_number or a.incident_id,
                region_code=region,
                team_id=a.team_id,
                body=body,
            )
        )
        deliver(
            session,
            event_id,
            chat_id,
            "assignment",
            body,
            now,
            priority=rank(a.priority.value),
            markup=texts.buttons(token, lang),
            assignment_id=a.assignment_id,
        )


async def _messages(session: AsyncSession, assignment_id: str) -> list[AssignmentMessage]:
    query = select(AssignmentMessage).where(AssignmentMessage.assignment_id == assignment_id)
    return list((await session.exec(query)).all())


def edits_now(kind: str, state: str | None = None) -> bool:
    """Whether a change is an edit of the team's message of its own, spent from the group's
    18 calls a minute: only when what the team must do changes — accepted (taken; who took it)
    and finished or released (its buttons go). Intermediate states (en route, on scene, a
    check-in answered) are not: the member who pressed already has them as the press's answer,
    and the message shows them with its next edit (it is rendered when sent: the latest)."""
    if kind == "status":
        return state in FINISHED
    return kind in ("acknowledged", "released")


async def _refresh(
    session: AsyncSession, event_id: str, message: AssignmentMessage, now: datetime, priority: int
) -> None:
    """Bring the assignment's message up to its current status. Sent or edited, it is rendered
    when it goes (the latest status and buttons), so one still pending — the message itself not
    sent yet, or an edit of it — carries this change too: it takes the higher priority (P1
    first) and keeps its place in the chat's order, and no second call is queued. A row already
    being sent may carry the older status: then a new edit is queued."""
    query = (
        select(Delivery)
        .where(
            Delivery.assignment_id == message.assignment_id,
            Delivery.chat_id == message.chat_id,
            Delivery.state == "pending",
            col(Delivery.purpose).in_(("assignment", "edit")),
        )
        .order_by(col(Delivery.created_at))
    )
    for row in (await session.exec(query)).all():
        # Only while still pending (the sender claims a row the same way before rendering it).
        claimed = await session.exec(
            update(Delivery)
            .where(col(Delivery.id) == row.id, col(Delivery.state) == "pending")
            .values(priority=min(row.priority, priority))
        )
        if claimed.rowcount == 1:
            return
    deliver(
        session,
        event_id,
        message.chat_id,
        "edit",
        message.body,
        now,
        priority=priority,
        method="editMessageText",
        assignment_id=message.assignment_id,
    )


async def _member_name(session: AsyncSession, team_id: str, actor: str) -> str | None:
    member_id = actor.removeprefix("member:")
    query = select(KnownMember.name).where(
        KnownMember.team_id == team_id, KnownMember.member_id == member_id
    )
    return (await session.exec(query)).first()


async def on_acknowledged(
    session: AsyncSession, event_id: str, a: AssignmentAcknowledged, now: datetime, lang: str
) -> None:
    for message in await _messages(session, a.assignment_id):
        who = await _member_name(session, a.team_id, a.member_id)
        message.status = texts.status_line(
            "acknowledged", who, a.acknowledged_at, message.region_code, lang
        )
        await _refresh(session, event_id, message, now, 3)


async def on_status(
    session: AsyncSession, event_id: str, s: IncidentStatusChanged, now: datetime, lang: str
) -> None:
    if s.to_state.value in ("received", "queued", "assigned", "acknowledged"):
        return  # acceptance is told by assignment.acknowledged; the rest has no message yet
    query = select(AssignmentMessage).where(
        AssignmentMessage.incident_id == s.incident_id, col(AssignmentMessage.open)
    )
    for message in (await session.exec(query)).all():
        who = await _member_name(session, message.team_id, s.actor)
        message.status = texts.status_line(
            s.to_state.value, who, s.changed_at, message.region_code, lang
        )
        finished = edits_now("status", s.to_state.value)
        message.open = not finished
        if finished:  # else: shown with the next edit (the presser got it as the answer)
            await _refresh(
                session, event_id, message, now, rank(s.priority.value if s.priority else None)
            )


async def on_released(
    session: AsyncSession, event_id: str, r: AssignmentReleased, now: datetime, lang: str
) -> None:
    why = texts.word(lang, r.reason) if r.reason in texts.WORDS[lang] else r.reason
    for message in await _messages(session, r.assignment_id):
        message.status, message.open = why, False
        await _refresh(session, event_id, message, now, 2)
        if r.reason not in ("closed",):
            deliver(
                session,
                event_id,
                message.chat_id,
                "notice",
                texts.word(lang, "released", number=message.number, why=why),
                now,
                priority=2,
            )


async def on_checkin(
    session: AsyncSession, event_id: str, region: str, c: CheckinRequested, now: datetime, lang: str
) -> None:
    for message in await _messages(session, c.assignment_id):
        text = texts.word(
            lang,
            "checkin",
            since=format_local(c.on_scene_since, region, lang=lang),
            by=format_local(c.answer_by, region, lang=lang),
        )
        markup = texts.buttons(message.token, lang, only=("secured", "not_found", "note"))
        deliver(
            session,
            event_id,
            message.chat_id,
            "notice",
            f"{message.number}\n{text}",
            now,
            priority=1,
            markup=markup,
        )


_NO_CHAT_LOGGED: set[str] = set()


async def _to_supervisors(
    session: AsyncSession,
    event_id: str,
    region: str,
    text: str,
    now: datetime,
    kind: str,
    priority: int = 1,
) -> None:
    """A notice to the region's supervisors' chat, first in the sender's queue (priority 1)."""
    chat = await supervisors_chat(session, region)
    if chat is None:
        if region not in _NO_CHAT_LOGGED:  # once per region per process, not per notice
            _NO_CHAT_LOGGED.add(region)
            log.warning("no_supervisors_chat", region=region, kind=kind)
        return
    deliver(session, event_id, chat, "notice", text, now, priority=priority)


async def on_escalated(
    session: AsyncSession,
    event_id: str,
    region: str,
    e: IncidentEscalated,
    now: datetime,
    lang: str,
) -> None:
    await _to_supervisors(session, event_id, region, texts.escalation(e, lang), now, e.kind)


async def on_awaiting_triage(
    session: AsyncSession,
    event_id: str,
    region: str,
    r: ReportAwaitingTriage,
    now: datetime,
    lang: str,
) -> None:
    """A P1 waiting in intake's triage queue (no place a team can find …): said at once in the
    supervisors' chat, so that it does not wait unseen until someone opens /triase."""
    text = texts.awaiting_triage(r, region, lang)
    await _to_supervisors(session, event_id, region, text, now, "awaiting_triage")


async def on_triaged(
    session: AsyncSession, event_id: str, region: str, r: ReportTriaged, now: datetime, lang: str
) -> None:
    """How an announced P1 ended, in the same chat: a dismissal first (priority 1: a real P1
    dismissed as noise must be seen), a dispatch after the urgent notices (priority 2)."""
    text = texts.triaged(r, region, lang)
    priority = 1 if r.outcome == "dismissed" else 2
    await _to_supervisors(session, event_id, region, text, now, "triaged", priority=priority)


async def on_handover(
    session: AsyncSession, event_id: str, region: str, h: ShiftHandover, now: datetime, lang: str
) -> None:
    text = texts.handover(h, region, lang)
    for team_id in sorted({*h.leaving_team_ids, *h.arriving_team_ids}):
        _, chat = await team_chat(session, team_id)
        if chat is not None:
            deliver(session, event_id, chat, "notice", text, now, priority=3)
