"""A station as the province's database knows it (issue 16): the value the store returns and
the CLI and web pages show. A station's *settings* are its station.toml
(``broadcast.store.station.Station``); this is its row among the province's stations."""

from __future__ import annotations

import re
from dataclasses import dataclass

SLUG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""A station's code: lower-case ASCII words joined by '-', as its folder on the shared
media is named (``xa-muong-bu``)."""

SLUG_MAX = 40


@dataclass(frozen=True)
class StationEntry:
    id: int
    slug: str
    name: str
    created_by: str
    created_at: str

    @property
    def label(self) -> str:
        """How people read it: the name, else the code."""
        return self.name or self.slug


def check_slug(text: str) -> str:
    """A station code as typed, trimmed; one Vietnamese sentence when it is not one."""
    slug = text.strip()
    if not slug or len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        raise ValueError(
            f"Mã trạm '{text}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu "
            f"gạch nối, tối đa {SLUG_MAX} ký tự (ví dụ xa-muong-bu)."
        )
    return slug
