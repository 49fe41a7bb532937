"""The labelled triage corpus (JSON lines under ``corpus/triage/``) and its split, made once.

``dev.jsonl`` is what rules, word lists and the model are built and tuned on; ``heldout.jsonl``
is read by the benchmark alone (``bench/triage.py``; ``tests/unit/test_heldout_guard.py`` checks
nothing else names it). ``trc triage split`` made them from the writers' ``source-*.jsonl``
files: the independent writer's file entirely to the held-out set, and a seeded 15 % of the
others, so the held-out set holds both texts of unseen authors and of familiar ones.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "triage"
DEV = CORPUS / "dev.jsonl"
HELD_OUT_SOURCE = "source-heldout.jsonl"
HELD_OUT_SHARE = 0.15
SEED = 20261207


class Entry(BaseModel):
    """One labelled text (docs/triage.md describes every field)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    text: str = Field(min_length=1)
    channel: Literal["social", "call_center", "patrol"]
    department: str
    is_report: bool
    in_region: bool | None = None
    place_region: str | None = None
    category: str | None = None
    p1: bool = False
    kecamatan: str | None = None
    kelurahan: str | None = None
    landmark: str | None = None
    people: int | None = None
    tags: list[str] = Field(default_factory=list)

    @property
    def genuine_here(self) -> bool:
        """A report a team of this department should go to."""
        return self.is_report and self.in_region is not False


def read(path: Path) -> list[Entry]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                entries.append(Entry.model_validate_json(line))
            except ValueError as exc:
                raise ValueError(f"{path.name}:{number}: {exc}") from None
    return entries


def write(path: Path, entries: Iterable[Entry]) -> int:
    lines = [json.dumps(e.model_dump(exclude_defaults=True), ensure_ascii=False) for e in entries]
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return len(lines)


def split(folder: Path = CORPUS) -> tuple[int, int]:
    """The one split: (dev, held-out) counts. Refuses to run again over an existing split."""
    held_out_file = folder / "heldout.jsonl"
    if held_out_file.exists() or (folder / "dev.jsonl").exists():
        raise FileExistsError("the corpus is split already: the held-out set never changes")
    rng = random.Random(SEED)
    dev: list[Entry] = []
    held: list[Entry] = []
    for source in sorted(folder.glob("source-*.jsonl")):
        entries = read(source)
        if source.name == HELD_OUT_SOURCE:
            held += entries
            continue
        for entry in entries:
            (held if rng.random() < HELD_OUT_SHARE else dev).append(entry)
    counts = write(folder / "dev.jsonl", dev), write(held_out_file, held)
    for source in folder.glob("source-*.jsonl"):
        source.unlink()  # the split is the corpus now: nothing may be split again
    return counts
