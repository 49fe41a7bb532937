"""Once `trc up` (or `trc broker`) is stopping, a second Ctrl-C or SIGTERM (``timeout`` and
service managers send one) is ignored instead of cutting the stop short, which left the broker
and the Telegram stand-in running."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from trc import cli


@pytest.fixture
def handlers() -> Iterator[None]:
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.mark.usefixtures("handlers")
def test_a_stop_signal_while_running_raises_the_stop() -> None:
    signal.signal(signal.SIGTERM, cli._raise_stop)
    with pytest.raises(cli._Stop):
        signal.raise_signal(signal.SIGTERM)


@pytest.mark.usefixtures("handlers")
def test_further_stop_signals_are_ignored_once_stopping() -> None:
    signal.signal(signal.SIGTERM, cli._raise_stop)
    signal.signal(signal.SIGINT, cli._raise_stop)
    cli._stop_only_once()
    os.kill(os.getpid(), signal.SIGTERM)
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)  # a handler still in place would have raised by now
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
