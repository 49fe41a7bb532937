"""PPKS categories as data: the 26 official ones and the working subtypes that map onto them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

SPM_GROUPS = {
    "disabilitas_terlantar": "Penyandang disabilitas terlantar",
    "anak_terlantar": "Anak terlantar",
    "lansia_terlantar": "Lanjut usia terlantar",
    "gepeng": "Gelandangan dan pengemis",
    "korban_bencana": "Korban bencana",
}


@dataclass(frozen=True)
class Category:
    code: str
    name_id: str
    name_en: str
    official: bool
    maps_to: str | None = None  # working subtypes: the official category they are reported as
    spm_group: str | None = None  # one of the five SPM target groups (PP 2/2018 Pasal 10)
    keywords: tuple[str, ...] = field(default=())

    @property
    def official_code(self) -> str:
        return self.code if self.official else (self.maps_to or self.code)


class Taxonomy:
    def __init__(self, categories: list[Category]) -> None:
        self.by_code = {c.code: c for c in categories}
        for category in categories:
            if not category.official and category.maps_to not in self.by_code:
                raise ValueError(f"{category.code} maps to unknown category {category.maps_to}")
            if category.spm_group is not None and category.spm_group not in SPM_GROUPS:
                raise ValueError(f"{category.code}: unknown SPM group {category.spm_group}")

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.by_code.values())

    def get(self, code: str) -> Category:
        return self.by_code[code]

    def official(self) -> list[Category]:
        return [c for c in self.by_code.values() if c.official]


def _category(raw: dict[str, Any]) -> Category:
    return Category(
        code=raw["code"],
        name_id=raw["name_id"],
        name_en=raw["name_en"],
        official=bool(raw["official"]),
        maps_to=raw.get("maps_to"),
        spm_group=raw.get("spm_group"),
        keywords=tuple(raw.get("keywords", ())),
    )


@cache
def default_taxonomy() -> Taxonomy:
    raw = json.loads(files("services.intake").joinpath("data", "categories.json").read_text())
    return Taxonomy([_category(c) for c in raw["categories"]])
