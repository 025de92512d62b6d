"""Data shipped with the toolkit: the repository's glossary/ and voices/ folders.

A wheel carries them as the packages ``broadcast.shipped.glossary`` and
``broadcast.shipped.voices`` (see pyproject.toml); an editable install of a checkout does not
map them, so the checkout's own folders are used there.
"""

from __future__ import annotations

import importlib.resources
from importlib.abc import Traversable
from pathlib import Path


def shipped_dir(name: str) -> Traversable:
    """The shipped folder ``name`` ('glossary' or 'voices'), installed or in a checkout."""
    try:
        return importlib.resources.files(f"broadcast.shipped.{name}")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / name
