"""One exception hierarchy for every stage.

Stages raise these with a single sentence a commune user can act on; the CLI turns them into
a message and an exit code at one boundary, so no stage needs to know about the terminal.
"""

from __future__ import annotations


class BroadcastError(Exception):
    """Base of every error the toolkit reports to a user instead of a traceback."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(BroadcastError):
    """The user's file or argument cannot be used (missing, empty, binary, wrong format)."""


class NotFound(InputError):
    """The thing asked for by its number or name is not in this station's records (never
    was, was removed, or belongs to another station of the province): the web answers 404."""


class WorkspaceError(BroadcastError):
    """No workspace was found, or its station.toml is invalid."""


class EngineError(BroadcastError):
    """An external engine (TTS, ffmpeg, MT) failed or is not installed."""

    exit_code = 3


class StoreError(BroadcastError):
    """The database cannot be opened or migrated."""

    exit_code = 3


class ChangedMeanwhile(InputError):
    """Someone else changed the text or state this change was based on, between reading and
    writing it: nothing is written, and the user reloads and decides again."""
