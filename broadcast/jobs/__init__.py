"""Long work as jobs in a real task queue (Huey, SQLite storage in the workspace).

The web workspace and the CLI submit jobs here and read their progress back; workers (threads
of ``broadcast web`` or a ``broadcast worker`` process) run them through the same stage
functions as the CLI commands. This package never imports the web or the CLI.
"""

from __future__ import annotations

from broadcast.jobs.tasks import cancel, get, list_jobs, submit

__all__ = ["cancel", "get", "list_jobs", "submit"]
