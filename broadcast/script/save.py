"""``broadcast script --save``: keep a script in the workspace without voicing it.

Translators need the Vietnamese script stored (sentence by sentence) before any audio in
their language can exist, and producing Vietnamese audio first would waste the slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.script.model import Script
from broadcast.store import records
from broadcast.store.naming import slugify
from broadcast.store.scripts import save_script
from broadcast.store.workspace import Workspace
from broadcast.text.model import Article


@dataclass(frozen=True)
class SavedScript:
    id: int
    slug: str


def store_script(
    ws: Workspace, article: Article, script: Script, *, by: str, now: dt.datetime | None = None
) -> SavedScript:
    """Store under a slug named like produce's output folders (date + title), never reused."""
    now = now or dt.datetime.now()
    base = f"{now:%Y-%m-%d}-{slugify(script.title)}"
    with ws.open_db() as db:
        slug, n = base, 2
        while records.slug_taken(db, slug) or (ws.out_dir / slug).exists():
            slug, n = f"{base}-{n}", n + 1
        script_id = save_script(db, article=article, script=script, slug=slug, by=by)
    return SavedScript(id=script_id, slug=slug)
