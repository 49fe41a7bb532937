"""The base every event payload derives from."""

from __future__ import annotations

from typing import Any, ClassVar

from shared.contracts.fields import Part


class Payload(Part):
    """Base of every payload: tolerant reader (unknown fields ignored), immutable."""

    EVENT_TYPE: ClassVar[str]
    VERSION: ClassVar[int]
    EXAMPLE: ClassVar[dict[str, Any]]
