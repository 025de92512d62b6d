"""Domain writes and reads over the database; the only module with SQL besides db.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import InputError, NotFound
from broadcast.model.article import Article
from broadcast.model.script import Script, Topic
from broadcast.store.db import Connection, Database
from broadcast.store.hashes import sentence_sha256
from broadcast.store.renders import TextHash, write_render_texts
from broadcast.store.scripts import insert_script


@dataclass(frozen=True)
class RenderRecord:
    kind: str
    path: Path
    sha256: str
    duration_s: float | None = None
    loudness_lufs: float | None = None
    true_peak_db: float | None = None
    engine: str | None = None


@dataclass(frozen=True)
class ScriptVersion:
    """One version of a script: every version is its own row (sentences, renders and
    approvals stay bound to it); the versions of one script share ``name``."""

    id: int
    slug: str
    name: str
    version: int
    title: str
    created_at: str
    input_sha256: str | None


_VERSION_COLUMNS = "id, slug, COALESCE(name, slug), version, title, created_at, input_sha256"


def _version(row: Sequence[object]) -> ScriptVersion:
    return ScriptVersion(
        int(row[0]),  # type: ignore[call-overload]
        str(row[1]),
        str(row[2]),
        int(row[3]),  # type: ignore[call-overload]
        str(row[4]),
        str(row[5]),
        None if row[6] is None else str(row[6]),
    )


def script_by_input(db: Database, input_sha256: str, language: str) -> ScriptVersion | None:
    """The newest version made from exactly this input (cleaned article and options)."""
    row = db.conn.execute(
        f"SELECT {_VERSION_COLUMNS} FROM scripts WHERE input_sha256 = ? AND language = ?"
        " ORDER BY id DESC LIMIT 1",
        (input_sha256, language),
    ).fetchone()
    return None if row is None else _version(row)


def latest_version_from_source(
    db: Database, sources: Sequence[str], language: str
) -> ScriptVersion | None:
    """The newest version of the script last made from this article file (stored as any of
    ``sources``: ``store.paths.stored_forms``), if any: a changed article (or other options)
    at the same place makes the next version of that script."""
    marks = ",".join("?" * len(sources))
    row = db.conn.execute(
        "SELECT COALESCE(s.name, s.slug) FROM scripts s JOIN articles a ON a.id = s.article_id"
        f" WHERE a.source_path IN ({marks}) AND s.language = ? ORDER BY s.id DESC LIMIT 1",
        (*sources, language),
    ).fetchone()
    return None if row is None else latest_version(db, str(row[0]))


def latest_version(db: Database, name: str) -> ScriptVersion | None:
    row = db.conn.execute(
        f"SELECT {_VERSION_COLUMNS} FROM scripts WHERE COALESCE(name, slug) = ?"
        " ORDER BY version DESC, id DESC LIMIT 1",
        (name,),
    ).fetchone()
    return None if row is None else _version(row)


def script_versions(db: Database, name: str) -> list[ScriptVersion]:
    """Every version of a script, oldest first: the version history."""
    rows = db.conn.execute(
        f"SELECT {_VERSION_COLUMNS} FROM scripts WHERE COALESCE(name, slug) = ?"
        " ORDER BY version, id",
        (name,),
    ).fetchall()
    return [_version(r) for r in rows]


def allocate_slug(
    conn: Connection, base: str, *, name: str | None, folder_taken: Callable[[str], bool]
) -> tuple[str, str, int]:
    """(slug, name, version) for a new scripts row, chosen INSIDE the caller's write
    transaction so that two writers never pick the same one (no check-then-insert race).

    A new script is named ``base`` (``base-2`` ... only when another script already has that
    name, e.g. two different articles with one title on one day); the next version of script
    ``name`` is ``name.vN``, with N one more than its newest version."""
    if name is not None:
        row = conn.execute(
            "SELECT MAX(version) FROM scripts WHERE COALESCE(name, slug) = ?", (name,)
        ).fetchone()
        version = int(row[0] or 0) + 1
        candidate, n = f"{name}.v{version}", 2
        while _slug_used(conn, candidate) or folder_taken(candidate):
            candidate, n = f"{name}.v{version}-{n}", n + 1
        return candidate, name, version
    candidate, n = base, 2
    while (
        _slug_used(conn, candidate)
        or conn.execute("SELECT 1 FROM scripts WHERE name = ?", (candidate,)).fetchone()
        or folder_taken(candidate)
    ):
        candidate, n = f"{base}-{n}", n + 1
    return candidate, candidate, 1


def _slug_used(conn: Connection, slug: str) -> bool:
    return conn.execute("SELECT 1 FROM scripts WHERE slug = ?", (slug,)).fetchone() is not None


def set_script_version(
    conn: Connection, script_id: int, *, name: str, version: int, input_sha256: str
) -> None:
    """Record which script a new row is a version of, and the input it was made from."""
    conn.execute(
        "UPDATE scripts SET name = ?, version = ?, input_sha256 = ? WHERE id = ?",
        (name, version, input_sha256, script_id),
    )


@dataclass(frozen=True)
class StoredOutput:
    """A render already stored for a script (what a repeated produce hands back)."""

    id: int
    kind: str
    path: Path
    duration_s: float | None
    loudness_lufs: float | None
    true_peak_db: float | None


def script_outputs(db: Database, script_id: int, language: str) -> dict[str, StoredOutput]:
    """The newest render of each kind of a script in one language."""
    rows = db.conn.execute(
        "SELECT id, kind, path, duration_s, loudness_lufs, true_peak_db FROM renders"
        " WHERE script_id = ? AND language = ? ORDER BY id",
        (script_id, language),
    ).fetchall()
    return {r[1]: StoredOutput(int(r[0]), str(r[1]), Path(r[2]), r[3], r[4], r[5]) for r in rows}


def sentence_hashes(db: Database, script_id: int) -> list[str | None]:
    rows = db.conn.execute(
        "SELECT text_sha256 FROM sentences WHERE script_id = ? ORDER BY position", (script_id,)
    ).fetchall()
    return [r[0] for r in rows]


def save_production(
    db: Database,
    *,
    article: Article,
    script: Script,
    slug: str,
    timings: Sequence[tuple[float, float]],
    renders: Sequence[RenderRecord],
    script_id: int | None = None,
    by: str = "producer",
) -> dict[str, int]:
    """Store one produced segment in one transaction; returns the new ids by render kind.

    With ``script_id`` the renders are added to that stored script (saved earlier with
    ``script --save``, same sentences): its sentences get their timings. Every render is
    recorded with the digests of the sentences it voices (render_texts), so the gate can tell
    later whether it still voices the approved text."""
    ids: dict[str, int] = {}
    with db.transaction() as conn:
        if script_id is None:
            script_id = insert_script(
                conn, article=article, script=script, slug=slug, timings=timings, by=by
            )
        else:
            conn.executemany(
                "UPDATE sentences SET start_ms = ?, end_ms = ?"
                " WHERE script_id = ? AND position = ?",
                [
                    (round(a * 1000), round(b * 1000), script_id, position)
                    for position, (a, b) in enumerate(timings)
                ],
            )
        ids["script"] = script_id
        texts = [
            TextHash(position, sentence_sha256(sentence.written, sentence.spoken))
            for position, sentence in enumerate(script.sentences)
        ]
        for render in renders:
            render_id = conn.execute(
                "INSERT INTO renders (script_id, kind, path, sha256, duration_s, loudness_lufs,"
                " true_peak_db, engine) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                (
                    script_id,
                    render.kind,
                    str(render.path),
                    render.sha256,
                    render.duration_s,
                    render.loudness_lufs,
                    render.true_peak_db,
                    render.engine,
                ),
            ).fetchone()[0]
            ids[render.kind] = int(render_id)
            # Produce voices the script it stores: each render is bound to those sentences.
            write_render_texts(conn, ids[render.kind], texts)
    return ids


def script_topic(db: Database, slug: str) -> Topic | None:
    """The CCHC area stored with a script; None for scripts made before topics existed."""
    row = db.conn.execute("SELECT topic FROM scripts WHERE slug = ?", (slug,)).fetchone()
    return Topic(row[0]) if row is not None and row[0] else None


def set_script_topic(db: Database, slug: str, topic: Topic) -> None:
    """Correct the area of a stored script (the guess is editable after production too)."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE scripts SET topic = ? WHERE slug = ?", (topic.value, slug)
        ).rowcount
    if updated == 0:
        raise InputError(
            f"Không có kịch bản '{slug}' trong cơ sở dữ liệu; xem tên các kịch bản bằng "
            "'broadcast script list --all'."
        )


@dataclass(frozen=True)
class StoredScript:
    id: int
    slug: str
    title: str
    language: str
    topic: str | None


def find_script(db: Database, ref: str) -> StoredScript:
    """A stored script named the way users name it: by its name (the newest version), by
    the slug of one version (``name.v2``), or by its number."""
    row = db.conn.execute(
        "SELECT id, slug, title, language, topic FROM scripts WHERE name = ?"
        " ORDER BY version DESC, id DESC LIMIT 1",
        (ref,),
    ).fetchone()
    if row is None:
        row = db.conn.execute(
            "SELECT id, slug, title, language, topic FROM scripts WHERE slug = ?", (ref,)
        ).fetchone()
    if row is None and ref.isdigit():
        row = db.conn.execute(
            "SELECT id, slug, title, language, topic FROM scripts WHERE id = ?", (int(ref),)
        ).fetchone()
    if row is None:
        raise NotFound(
            f"Không có kịch bản '{ref}' trong cơ sở dữ liệu; "
            "xem tên và số các kịch bản bằng 'broadcast script list --all'."
        )
    return StoredScript(id=row[0], slug=row[1], title=row[2], language=row[3], topic=row[4])


RECORDING_FORMAT = "recording"
"""``articles.format`` of a script made from an uploaded recording (an emergency message
recorded as it airs, with its written text), not from a written article."""


def recording_scripts(db: Database, limit: int = 20) -> list[StoredScript]:
    """The newest scripts made from an uploaded recording (not archived), newest first."""
    rows = db.conn.execute(
        "SELECT s.id, s.slug, s.title, s.language, s.topic FROM scripts s"
        " JOIN articles a ON a.id = s.article_id WHERE a.format = ? AND s.archived_at IS NULL"
        " ORDER BY s.id DESC LIMIT ?",
        (RECORDING_FORMAT, limit),
    ).fetchall()
    return [StoredScript(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]


def is_recording(db: Database, script_id: int) -> bool:
    """True for a script made from an uploaded recording: its audio is the recording."""
    row = db.conn.execute(
        "SELECT 1 FROM scripts s JOIN articles a ON a.id = s.article_id"
        " WHERE s.id = ? AND a.format = ?",
        (script_id, RECORDING_FORMAT),
    ).fetchone()
    return row is not None
