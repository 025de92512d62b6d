"""Values produced by the text stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """An article after ingestion: NFC text, hard wraps rejoined, page furniture removed.

    ``body`` holds paragraphs separated by a blank line. What cleaning removed from the body
    (page numbers, signature stamps, distribution lists) is kept in ``removed`` so nothing the
    user gave us silently disappears.
    """

    source: Path
    format: str
    title: str
    body: str
    sha256: str
    removed: tuple[str, ...] = field(default=())
    # The kind of each removal in ``removed`` (broadcast.text.clean's names: caption,
    # byline, agency...), so the script view can say why each was not read.
    removed_kinds: tuple[str, ...] = field(default=(), compare=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]
