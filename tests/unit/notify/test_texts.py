"""What a team reads in Telegram when a P1 borrows it from other work."""

from __future__ import annotations

from services.notify.texts import assignment_body
from shared.contracts.events import AssignmentCreated
from shared.contracts.vocabulary import Priority


def created(**extra: object) -> AssignmentCreated:
    return AssignmentCreated.model_validate(AssignmentCreated.EXAMPLE | extra)


def test_a_borrowed_team_reads_first_that_the_p1_comes_before_the_work_it_is_on() -> None:
    borrowed = created(borrowed_from_priority=Priority.P4, borrowed_from_number="21.71-261122-0003")
    indonesian = assignment_body(borrowed, "21.71", "id").splitlines()
    english = assignment_body(borrowed, "21.71", "en").splitlines()
    assert indonesian[1] == (
        "⚠️ TIM DIPINJAM: P1 ini didahulukan di atas tugas P4 21.71-261122-0003 yang sedang Anda "
        "tangani (melebihi kapasitas tim)."
    )
    assert english[1].startswith("⚠️ TEAM BORROWED: this P1 comes before the P4 21.71-261122-0003")


def test_an_ordinary_assignment_says_nothing_of_borrowing() -> None:
    for lang in ("id", "en"):
        assert "⚠️" not in assignment_body(created(), "21.71", lang)
