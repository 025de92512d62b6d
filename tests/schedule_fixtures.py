"""Workspaces with a station grid, scripts and renders, built through the store functions.

Renders point at short fake paths: the planner and the exports only need their language and
duration, so no audio is produced (that is slow and tested elsewhere). Translated texts are
OBVIOUSLY SYNTHETIC ("‹blt› ZZ ..."): no Thái or Mông is fabricated.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from helpers import approve_content, make_workspace, raw_sql
from helpers import open_db as _open_db

from broadcast.review import gate
from broadcast.review.model import DraftSegment
from broadcast.script.model import Role, Script, ScriptSentence, Topic
from broadcast.store import records, translations
from broadcast.store.db import Database
from broadcast.store.renders import RenderRow, save_render
from broadcast.text.model import Article

GRID = {
    "schedule": {"slot_end": "finish", "ident_seconds": 10, "ident_file": "voices/ident.mp3"},
    "zones": [
        {
            "id": "ban-muong",
            "name": "Cụm loa bản Mường",
            "villages": ["Bản Mường", "Bản Hìn"],
            "languages": ["blt", "vi"],
        },
        {"id": "trung-tam", "name": "Cụm loa trung tâm xã", "languages": ["vi"]},
        {"id": "ban-mong", "name": "Cụm loa bản Mông", "languages": ["hmn", "vi"]},
    ],
    "slots": [
        {
            "id": "sang",
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "start": "06:00",
            "minutes": 15,
            "zones": ["all"],
        },
        {
            "id": "chieu",
            "days": ["mon", "wed", "fri"],
            "start": "17:30",
            "minutes": 10,
            "zones": ["ban-muong", "trung-tam"],
        },
        {
            "id": "vov",
            "days": ["sun"],
            "start": "19:00",
            "minutes": 30,
            "zones": ["trung-tam"],
            "kind": "relay",
            "url": "http://127.0.0.1:8000/vov1.mp3",
        },
    ],
    "rules": [{"topic": "thu-tuc", "days": ["tue", "fri"], "from": "05:00", "to": "12:00"}],
}


def write_grid(root: Path, grid: dict[str, object]) -> None:
    """Replace the grid tables of a workspace's station.toml, keeping the station part."""
    path = root / "station.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in ("zones", "slots", "rules", "schedule"):
        data.pop(key, None)
    data.update(grid)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def grid_workspace(root: Path, grid: dict[str, object] | None = None) -> Path:
    make_workspace(root)
    write_grid(root, GRID if grid is None else grid)
    return root


def add_script(
    db: Database,
    slug: str,
    *,
    topic: Topic | None = Topic.PROCEDURES,
    vi_seconds: float = 120.0,
    title: str | None = None,
    approve: bool = True,
) -> int:
    """A Vietnamese script with a two-sentence text and an audio render of ``vi_seconds``;
    its content approved (``approve``) by the workspace's admin, as 'script approve' does."""
    sentences = (
        ScriptSentence(Role.HEADLINE, f"Tin {slug}.", f"Tin {slug}."),
        ScriptSentence(Role.BODY, "Người dân nộp hồ sơ trực tuyến.", "Người dân nộp hồ sơ."),
    )
    script = Script(
        title=title or f"Bản tin {slug}",
        language="vi",
        sentences=sentences,
        target_minutes=2.0,
        estimated_seconds=vi_seconds,
        topic=topic,
    )
    article = Article(Path(f"articles/{slug}.md"), "md", script.title, "Nội dung.", "0" * 64)
    ids = records.save_production(
        db,
        article=article,
        script=script,
        slug=slug,
        timings=[(0.0, 1.0), (1.0, 2.0)],
        renders=[
            records.RenderRecord("audio", Path(f"out/{slug}/audio.mp3"), "a" * 64, vi_seconds)
        ],
    )
    if approve:  # Vietnamese airs once its content is vetted
        approve_content(db, ids["script"])
    return ids["script"]


def add_render(db: Database, script_id: int, language: str, seconds: float) -> int:
    """An audio render of a translation (as a recorded take would be stored), through the
    real save path: bound to the texts approved now (none when the language is not
    approved, so such a render never airs)."""
    texts = (
        gate.approved_text_hashes(db, script_id, language)
        if gate.is_approved(db, script_id, language)
        else ()
    )
    render_id, _ = save_render(
        db,
        script_id,
        RenderRow(
            kind="audio",
            path=Path(f"out/take-{script_id}-{language}.mp3"),
            sha256="b" * 64,
            language=language,
            duration_s=seconds,
        ),
        texts=texts,
    )
    return render_id


def translate(db: Database, script_id: int, language: str, *, approve: bool) -> None:
    """A synthetic translation of both sentences, approved or left in review."""
    drafts = [
        DraftSegment(position, source, f"‹{language}› ZZ-{script_id}-{position}", "editor")
        for position, source in enumerate(("Tin.", "Người dân nộp hồ sơ trực tuyến."))
    ]
    translations.create_translation(
        db, script_id=script_id, language=language, engine=None, segments=drafts, actor="test"
    )
    if approve:
        loaded = translations.load_translation(db, script_id, language)
        translations.approve_segments(db, loaded, [0, 1], by="Lò Văn A", role="editor")


def open_db(root: Path) -> Database:
    """The workspace's store on the test's backend (see ``helpers.open_db``)."""
    return _open_db(root)


def raw(root: Path) -> Any:
    """A raw connection around the store, same ``?`` SQL on both backends
    (``helpers.raw_sql``: ``sqlite3.connect`` of the file on SQLite)."""
    return raw_sql(root)
