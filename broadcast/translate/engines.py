"""The machine-translation interface: an engine turns a batch of sentences into drafts.

Engines are chosen by name from a registry so that a station (or ``broadcast translate
--engine``) can name them; a batch keeps one call per language pair, while each text stays
one script sentence so that every draft segment lines up with its Vietnamese sentence.
Engines load their libraries lazily, on first use, never when this module is imported.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from broadcast.errors import EngineError
from broadcast.store.workspace import Workspace


class MTEngine(ABC):
    """A machine-translation engine bound to one workspace (its installed models live there)."""

    name: str = ""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @abstractmethod
    def available(self, source: str, target: str) -> bool:
        """Whether this engine can translate ``source`` -> ``target`` here, without raising."""

    @abstractmethod
    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """One draft per text, in order; an empty text gives an empty draft."""


ENGINES: dict[str, type[MTEngine]] = {}


def register(cls: type[MTEngine]) -> type[MTEngine]:
    ENGINES[cls.name] = cls
    return cls


def _load_builtin_engines() -> None:
    # Importing the engine modules registers them; their own heavy libraries are imported
    # only when an engine is used.
    from broadcast.translate import argos  # noqa: F401


def engine_class(name: str) -> type[MTEngine]:
    """The engine class called ``name``; the error lists the valid names."""
    _load_builtin_engines()
    try:
        return ENGINES[name]
    except KeyError:
        valid = ", ".join(sorted(ENGINES))
        raise EngineError(f"Không có bộ dịch máy '{name}'; các bộ dịch có sẵn: {valid}.") from None


def get_engine(name: str, workspace: Workspace) -> MTEngine:
    """An engine ready for ``workspace``; a missing optional package names the extra to install."""
    return engine_class(name)(workspace)
