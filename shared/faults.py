"""Expected faults, told apart from real trouble in the logs.

A broker restarting, a peer killed, the database restarting: the services ride these out on
their own, so each is one WARNING line that says what happens next — never an ERROR (a person
must act) and never a traceback (reserved for the unexpected). Our own code asks
:func:`is_expected_fault`; the libraries' own lines (aiokafka, SQLAlchemy's pool, FastStream,
python-telegram-bot) go through :class:`LibraryNoiseFilter`, which downgrades the known
reconnect lines, drops their tracebacks and lets one line per kind through per window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_S = 30.0  # at most one line per kind of noise per window, per process
# SQLSTATE classes of a server going away: connection exceptions, operator intervention (57P01
# admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
_SERVER_UNAVAILABLE = ("08", "57P")
OWN_CODE = ("shared", "services")  # our own lines decide their level themselves


def is_expected_fault(exc: BaseException) -> bool:
    """A fault of something we depend on (broker, database, network) that ends by itself: the
    caller retries, so a WARNING line is enough."""
    # Imported here: logging is configured by light commands that never touch a database.
    from aiokafka.errors import KafkaConnectionError, KafkaError
    from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

    expected = (OSError, OperationalError, InterfaceError, DisconnectionError, KafkaConnectionError)
    if isinstance(exc, expected):  # OSError: refused and reset connections, timeouts
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if str(getattr(exc, "sqlstate", None) or "").startswith(_SERVER_UNAVAILABLE):
        return True  # PostgreSQL restarting: "shutting down", "starting up", "terminating"
    if isinstance(exc, KafkaError) and getattr(exc, "retriable", False):
        return True
    causes = (exc.__cause__, getattr(exc, "orig", None), exc.__context__)
    return any(c is not None and c is not exc and is_expected_fault(c) for c in causes)


@dataclass(frozen=True)
class Noise:
    """A library's line for an expected fault: its logger (prefix), how its message starts,
    and what happens next."""

    logger: str
    starts: str
    next: str
    level: int = logging.WARNING


_BROKER_BACK = "the client reconnects on its own once the broker answers"
_FETCH_AGAIN = "the consumer fetches again once the broker answers"
_NEW_CONNECTION = "the connection is dropped, a new one opened"
KNOWN_NOISE: tuple[Noise, ...] = (
    Noise("aiokafka", "Unable connect to node", _BROKER_BACK),
    # A client started while the broker is away (a consumer restarted during a broker restart):
    # its start fails, and the code that started it starts it again with a back-off.
    Noise("aiokafka", 'Unable connect to "', "the client is started again once the broker answers"),
    Noise("aiokafka", "Unable to update metadata", _BROKER_BACK),
    Noise("aiokafka", "Unable to request metadata", _BROKER_BACK),
    Noise("aiokafka", "Failed fetch messages", _FETCH_AGAIN),
    Noise("aiokafka", "Error sending", "the group's coordinator is found again and rejoined"),
    Noise("aiokafka", "Group Coordinator Request failed", "the coordinator is looked up again"),
    Noise("aiokafka", "Marking the coordinator dead", "the coordinator is looked up again"),
    Noise("aiokafka", "Heartbeat failed", "the consumer rejoins its group"),
    Noise("aiokafka", "Heartbeat send request failed", "the heartbeat is sent again"),
    Noise("aiokafka", "OffsetCommit failed", "the batch comes again and the inbox absorbs it"),
    Noise("aiokafka", "Error fetching", _FETCH_AGAIN),
    Noise("sqlalchemy.pool", "Exception during reset", _NEW_CONNECTION),
    Noise("sqlalchemy.pool", "Exception terminating", _NEW_CONNECTION),
    Noise("sqlalchemy.pool", "Exception closing", _NEW_CONNECTION),
    Noise("telegram.ext", "Error while calling `get_updates` one more time", "polling resumes"),
    Noise("telegram.ext", "Exception happened while polling", "polling retries with a back-off"),
    # We create the topics ourselves (shared.messaging.kafka.ensure_topics): nothing to say.
    Noise("trc.faststream", "Topic creation is skipped", "", level=logging.DEBUG),
)


class LibraryNoiseFilter(logging.Filter):
    """On the root handler: a known reconnect line of a library becomes one WARNING without a
    traceback, with ``next`` (what happens now) and ``suppressed`` (how many like it were left
    out since the last one); the others of its kind within :data:`WINDOW_S` are dropped."""

    def __init__(
        self,
        noise: tuple[Noise, ...] = KNOWN_NOISE,
        *,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._noise = noise
        self._window_s = window_s
        self._clock = clock
        self._last: dict[Noise, float] = {}
        self._suppressed: dict[Noise, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        noise = self._match(record)
        if noise is None:
            return True
        if noise.level < logging.getLogger().getEffectiveLevel():
            return False
        now = self._clock()
        last = self._last.get(noise)
        if last is not None and now - last < self._window_s:
            self._suppressed[noise] = self._suppressed.get(noise, 0) + 1
            return False
        self._last[noise] = now
        record.levelno, record.levelname = noise.level, logging.getLevelName(noise.level)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.next = noise.next
        record.suppressed = self._suppressed.pop(noise, 0)
        return True

    def _match(self, record: logging.LogRecord) -> Noise | None:
        if record.levelno < logging.WARNING:
            return None
        message = record.msg if isinstance(record.msg, str) else ""
        for noise in self._noise:
            if record.name.startswith(noise.logger) and message.startswith(noise.starts):
                return noise
        exc = record.exc_info[1] if isinstance(record.exc_info, tuple) else None
        if exc is not None and not record.name.startswith(OWN_CODE) and is_expected_fault(exc):
            # A library reporting an expected fault with its traceback (uvicorn: a request that
            # met the database restarting; python-telegram-bot: a button press that did).
            what_next = f"{type(exc).__name__}: this one failed, the next are served as usual"
            return Noise(record.name, message[:40], what_next)
        return None
