"""Retries with exponential backoff, shared by the online engines.

A commune's connection drops for seconds at a time; retrying a sentence a few times with
growing pauses rides that out, while a dead link still fails within a bounded time so the
profile's fallback voice can take over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from broadcast.errors import EngineError

T = TypeVar("T")


class RetryableError(Exception):
    """A failure worth another attempt (network, server error, unreadable answer)."""


def with_retries(attempt: Callable[[], T], *, retries: int, backoff_s: float, what: str) -> T:
    """Call ``attempt`` up to ``retries + 1`` times, sleeping backoff_s, 2x, 4x... between."""
    last = ""
    for number in range(retries + 1):
        if number:
            time.sleep(backoff_s * 2 ** (number - 1))
        try:
            return attempt()
        except RetryableError as exc:
            last = str(exc)
    raise EngineError(f"{what} không trả lời được sau {retries + 1} lần thử ({last}).")
