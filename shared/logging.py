"""structlog, configured once per process: JSON off a terminal, readable on one.

Personal data never reaches a log line: keys that name personal data are masked, and values
that look like a NIK or an Indonesian phone number are masked wherever they appear.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from shared.faults import LibraryNoiseFilter

SENSITIVE_KEYS = frozenset(
    {
        "name",
        "full_name",
        "alias",
        "nik",
        "phone",
        "phone_number",
        "reporter_name",
        "reporter_phone",
        "photo",
        "photo_url",
        "address_detail",
        "birth_date",
    }
)
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+?62|0)8\d(?:[\s.-]?\d){6,11}(?!\d)")
MASK = "[disamarkan]"


def scrub_text(text: str) -> str:
    return _PHONE.sub("[telepon]", _NIK.sub("[NIK]", text))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: MASK if k in SENSITIVE_KEYS else _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def redact_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        event_dict[key] = MASK if key in SENSITIVE_KEYS else _scrub(event_dict[key])
    return event_dict


def configure_logging(level: str = "INFO", *, json: bool | None = None, service: str = "") -> None:
    """Route structlog and the standard library (aiokafka, uvicorn, faststream) to one output."""
    if json is None:
        json = not sys.stderr.isatty()
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info if json else structlog.processors.StackInfoRenderer(),
        redact_personal_data,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    # Known reconnect lines of libraries: one WARNING saying what happens next (shared/faults.py)
    handler.addFilter(LibraryNoiseFilter())
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(allow=("next", "suppressed"))],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for library in (
        "faststream",
        "faststream.access",
        "uvicorn",
        "uvicorn.error",
        "uvicorn.access",
    ):
        # Their own handlers would print past our redaction and format: route them to ours.
        logging.getLogger(library).handlers[:] = []
        logging.getLogger(library).propagate = True
    for noisy in ("aiokafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    if service:
        structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
