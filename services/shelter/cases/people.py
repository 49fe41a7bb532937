"""Person records: who the person is (NIK and phone sealed), a repeat client found again and
linked, earlier people this one may be; every read and change audited (UU 27/2022)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.domain.cases import CaseError, CaseState
from services.shelter.models import Case, Person, PersonAudit
from services.shelter.vault import Vault


@dataclass(frozen=True)
class PersonFields:
    name: str | None = None
    alias: str | None = None
    sex: str = "unknown"
    estimated_age: int | None = None
    nik: str | None = None
    phone: str | None = None
    origin_region_code: str | None = None
    identification: str = "unknown"
    same_as: str | None = None  # an earlier person the staff confirmed this is


async def _earlier(session: AsyncSession, vault: Vault, fields: PersonFields) -> Person | None:
    """A repeat client: the person the staff confirmed, or the one with the same NIK."""
    if fields.same_as:
        found = await session.get(Person, fields.same_as)
        if found is None:
            raise CaseError("no such earlier person")
        return found
    key = vault.search_key(fields.nik)
    if key is None:
        return None
    return (await session.exec(select(Person).where(Person.nik_search == key))).first()


async def save_person(
    session: AsyncSession, vault: Vault, case: Case, fields: PersonFields, actor: str, now: datetime
) -> Person:
    """Record who the person is; a person seen before (same NIK, or confirmed by the staff) is
    the same record, so their cases are linked. Fields not given keep what was known. A closed
    case is read-only."""
    if case.state == CaseState.CLOSED.value:
        raise CaseError("the case is closed")
    person = await _earlier(session, vault, fields)
    if person is None and case.person_id:
        person = await session.get(Person, case.person_id)
    action = "update" if person else "create"
    person = person or Person(region_code=case.region_code, created_at=now)
    person.name = fields.name or person.name
    person.alias = fields.alias or person.alias
    person.sex = fields.sex if fields.sex != "unknown" else person.sex
    if fields.estimated_age is not None:
        person.estimated_age = fields.estimated_age
    if fields.nik:
        person.nik_sealed, person.nik_search = vault.seal(fields.nik), vault.search_key(fields.nik)
    if fields.phone:
        person.phone_sealed = vault.seal(fields.phone)
    person.origin_region_code = fields.origin_region_code or person.origin_region_code
    if fields.identification != "unknown":
        person.identification = fields.identification
    age = person.estimated_age
    person.sensitive = bool(age is not None and age < 18) or case.category.startswith("odgj")
    session.add(person)
    await session.flush()
    case.person_id = person.id
    given = vars(fields).items()
    changed = [n for n, value in given if value not in (None, "unknown") and n != "same_as"]
    session.add(
        PersonAudit(person_id=person.id, at=now, actor=actor, action=action, fields=changed)
    )
    return person


async def read_person(
    session: AsyncSession, vault: Vault, case: Case, actor: str, now: datetime
) -> dict[str, Any] | None:
    """The person record, and an audit row saying who read it."""
    if case.person_id is None:
        return None
    person = await session.get(Person, case.person_id)
    if person is None:
        return None
    session.add(PersonAudit(person_id=person.id, at=now, actor=actor, action="read", fields=["*"]))
    earlier = (
        await session.exec(
            select(Case.id)
            .where(Case.person_id == person.id, Case.id != case.id)
            .order_by(col(Case.opened_at))
        )
    ).all()
    return {
        "earlier_cases": list(earlier),
        **opened_record(person, vault),
        "sensitive": person.sensitive,
    }


def opened_record(person: Person, vault: Vault) -> dict[str, Any]:
    """The person record as staff read it: NIK and phone opened."""
    return {
        "person_id": person.id,
        "name": person.name,
        "alias": person.alias,
        "sex": person.sex,
        "estimated_age": person.estimated_age,
        "nik": vault.open(person.nik_sealed),
        "phone": vault.open(person.phone_sealed),
        "origin_region_code": person.origin_region_code,
        "identification": person.identification,
    }


async def similar_people(
    session: AsyncSession,
    case: Case,
    name: str,
    sex: str,
    age: int | None,
    origin: str | None,
    actor: str,
    now: datetime,
) -> list[dict[str, Any]]:
    """People who may be this one coming back (same name, sex, age within five years, origin):
    for the staff to confirm, never linked on their own. Each one shown is an audited read."""
    query = select(Person).where(func.lower(Person.name) == name.strip().lower(), Person.sex == sex)
    if origin:
        query = query.where(Person.origin_region_code == origin)
    found = []
    for person in (await session.exec(query.limit(20))).all():
        if person.id == case.person_id:
            continue
        if (
            age is not None
            and person.estimated_age is not None
            and abs(person.estimated_age - age) > 5
        ):
            continue
        session.add(
            PersonAudit(
                person_id=person.id,
                at=now,
                actor=actor,
                action="read",
                fields=["name", "sex", "estimated_age", "origin_region_code"],
            )
        )
        found.append(
            {
                "person_id": person.id,
                "name": person.name,
                "sex": person.sex,
                "estimated_age": person.estimated_age,
                "origin_region_code": person.origin_region_code,
            }
        )
    return found
