"""``broadcast script --save``: keep a script in the workspace without voicing it.

Translators need the Vietnamese script stored (sentence by sentence) before any audio in
their language can exist, and producing Vietnamese audio first would waste the slot.

Versions, not copies (shared with ``produce``): the same article with the same options gives
back the stored script; a changed article at the same place is the next version of the same
script. A later ``produce`` of the same input voices the saved script instead of adding one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from broadcast.model.time import station_now
from broadcast.script.model import Script
from broadcast.store import records
from broadcast.store.naming import slugify
from broadcast.store.paths import stored_forms
from broadcast.store.scripts import insert_script
from broadcast.store.workspace import Workspace
from broadcast.text.model import Article


@dataclass(frozen=True)
class SavedScript:
    id: int
    slug: str
    version: int = 1
    reused: bool = False  # the same input was stored before: that script is returned


def input_sha256(
    article: Article, minutes: float, language: str = "vi", *, readings: str = ""
) -> str:
    """What a script is made from: the cleaned article (title and body), the options and
    the station's spoken-form dictionary (``readings``, ``Glossary.station_key``; left out
    when empty so older digests stay valid). Equal digests mean building again would make
    the same script."""
    parts: list[object] = [language, article.title, article.body, round(float(minutes), 3)]
    if readings:
        parts.append(readings)
    text = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_article(ws: Workspace, article: Article) -> tuple[Article, list[str]]:
    """The article as its row records it, and the forms its file may be stored under.

    The file is named relative to the workspace when it lies inside it (``store.paths``:
    the workspace may be mounted elsewhere on another machine, or moved), absolute when it
    came from outside (a USB stick). The forms include the absolute one older rows hold, so
    the next version of a script made from the same file is still found."""
    forms = stored_forms(ws.root, article.source.absolute())
    return replace(article, source=Path(forms[0])), forms


def store_script(
    ws: Workspace,
    article: Article,
    script: Script,
    *,
    by: str,
    now: dt.datetime | None = None,
    readings: str = "",
) -> SavedScript:
    """Store under a name like produce's output folders (date + title); the name is chosen
    inside the write transaction, so two people saving at once never get the same one."""
    now = now or station_now()
    key = input_sha256(article, script.target_minutes, script.language, readings=readings)
    with ws.open_db() as db:
        existing = records.script_by_input(db, key, script.language)
        if existing is not None:
            return SavedScript(existing.id, existing.slug, existing.version, reused=True)
        with db.transaction() as conn:
            article, sources = stored_article(ws, article)
            prior = records.latest_version_from_source(db, sources, script.language)
            slug, name, version = records.allocate_slug(
                conn,
                f"{now:%Y-%m-%d}-{slugify(script.title)}",
                name=prior.name if prior else None,
                folder_taken=lambda s: (ws.out_dir / s).exists(),
            )
            script_id = insert_script(
                conn, article=article, script=script, slug=slug, timings=None, by=by
            )
            records.set_script_version(
                conn, script_id, name=name, version=version, input_sha256=key
            )
    return SavedScript(id=script_id, slug=slug, version=version)
