"""Listing, archiving and deleting what users made: scripts, campaign items, terms, TM pairs.

The rows only; the rules (what may be deleted, what a removal re-plans, which files go) live
in the stage functions of ``broadcast.script.catalog``, ``broadcast.schedule.items`` and
``broadcast.translate``. Every check that decides a deletion is repeated inside the deleting
transaction, so a schedule added by someone else in between is never deleted with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.errors import InputError, NotFound
from broadcast.store.db import Connection, Database, column_names, now_sql, table_names


@dataclass(frozen=True)
class ScriptRow:
    id: int
    slug: str
    title: str
    language: str
    topic: str | None
    created_at: str  # UTC, as stored ('2026-03-02T01:05:00Z')
    archived_at: str | None
    version: int | None  # None where the workspace keeps no versions
    name: str = ""  # shared by a script's versions (migration 10); the slug otherwise


@dataclass(frozen=True)
class SentenceRow:
    position: int  # 0-based, as stored; people see position + 1
    role: str
    written: str
    spoken: str


@dataclass(frozen=True)
class TranslationRow:
    language: str
    state: str
    segments: int
    approved: int


@dataclass(frozen=True)
class RenderRow:
    id: int
    kind: str
    language: str
    path: str
    created_at: str


@dataclass(frozen=True)
class ItemRow:
    id: int
    script_id: int
    slug: str
    title: str
    priority: str
    valid_from: str
    valid_to: str
    min_plays_per_week: int
    zones: tuple[str, ...]
    languages: tuple[str, ...]
    removed_at: str | None


@dataclass(frozen=True)
class ScriptUse:
    """What keeps a script from being deleted: plays aired and schedules naming it."""

    aired: int  # as-run plays of the script or its renders
    items: tuple[int, ...]  # campaign items (removed ones included: plans name them)
    planned: int  # plan entries playing its renders
    legacy_playlist: int  # rows of produce's old playlists

    @property
    def in_use(self) -> bool:
        return bool(self.aired or self.items or self.planned or self.legacy_playlist)


def _columns(db: Database | Connection, table: str) -> set[str]:
    return column_names(db.conn if isinstance(db, Database) else db, table)


def _tables(db: Database | Connection) -> set[str]:
    return table_names(db.conn if isinstance(db, Database) else db)


def _script_row(r: Sequence[object], has_version: bool) -> ScriptRow:
    return ScriptRow(
        id=int(str(r[0])),
        slug=str(r[1]),
        title=str(r[2]),
        language=str(r[3]),
        topic=str(r[4]) if r[4] is not None else None,
        created_at=str(r[5]),
        archived_at=str(r[6]) if r[6] is not None else None,
        version=int(str(r[7])) if has_version and r[7] is not None else None,
        name=str(r[8]) if has_version and r[8] is not None else str(r[1]),
    )


def _script_select(db: Database) -> tuple[str, bool]:
    has_version = {"version", "name"} <= _columns(db, "scripts")
    extra = "version, name" if has_version else "NULL, NULL"
    return (
        f"SELECT id, slug, title, language, topic, created_at, archived_at, {extra} FROM scripts",
        has_version,
    )


def list_scripts(
    db: Database, *, include_archived: bool = False, all_versions: bool = False
) -> list[ScriptRow]:
    """Stored scripts by number: the latest version of each, archived ones only when
    asked, older versions only when asked."""
    sql, has_version = _script_select(db)
    where = []
    if not include_archived:
        where.append("archived_at IS NULL")
    if has_version and not all_versions:
        where.append("version = (SELECT MAX(v.version) FROM scripts v WHERE v.name = scripts.name)")
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = db.conn.execute(sql + " ORDER BY id").fetchall()
    return [_script_row(r, has_version) for r in rows]


def script_by_ref(db: Database, ref: str) -> ScriptRow:
    """A script named as users see it in ``script list``: by its name (the newest version),
    the slug of one version (``name.v2``) or its number — the order
    ``broadcast.store.records.find_script`` follows."""
    sql, has_version = _script_select(db)
    text = ref.strip()
    row = None
    if has_version:
        row = db.conn.execute(
            sql + " WHERE name = ? ORDER BY version DESC, id DESC LIMIT 1", (text,)
        ).fetchone()
    if row is None:
        row = db.conn.execute(sql + " WHERE slug = ?", (text,)).fetchone()
    number = text.lstrip("#")
    if row is None and number.isdigit():
        row = db.conn.execute(sql + " WHERE id = ?", (int(number),)).fetchone()
    if row is None:
        raise NotFound(
            f"Không có kịch bản '{ref}' trong cơ sở dữ liệu; xem tên và số các kịch bản bằng "
            "'broadcast script list --all'."
        )
    return _script_row(row, has_version)


def script_sentences(db: Database, script_id: int) -> list[SentenceRow]:
    rows = db.conn.execute(
        "SELECT position, role, written, spoken FROM sentences WHERE script_id = ?"
        " ORDER BY position",
        (script_id,),
    ).fetchall()
    return [SentenceRow(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def script_translations(db: Database, script_id: int) -> list[TranslationRow]:
    rows = db.conn.execute(
        "SELECT t.language, t.state, COUNT(s.id),"
        " COALESCE(SUM(CASE WHEN s.state = 'approved' THEN 1 ELSE 0 END), 0) FROM translations t"
        " LEFT JOIN segments s ON s.translation_id = t.id WHERE t.script_id = ?"
        " GROUP BY t.id ORDER BY t.language",
        (script_id,),
    ).fetchall()
    return [TranslationRow(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]


def script_renders(db: Database, script_id: int) -> list[RenderRow]:
    rows = db.conn.execute(
        "SELECT id, kind, language, path, created_at FROM renders WHERE script_id = ? ORDER BY id",
        (script_id,),
    ).fetchall()
    return [RenderRow(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]


def _items(db: Database, where: str, args: Sequence[object]) -> list[ItemRow]:
    rows = db.conn.execute(
        "SELECT i.id, i.script_id, s.slug, s.title, i.priority, i.valid_from, i.valid_to,"
        " i.min_plays_per_week, i.removed_at FROM schedule_items i"
        f" JOIN scripts s ON s.id = i.script_id {where} ORDER BY i.id",
        tuple(args),
    ).fetchall()
    result = []
    for r in rows:
        item_id = int(r[0])
        zones = tuple(
            str(z[0])
            for z in db.conn.execute(
                "SELECT zone FROM schedule_item_zones WHERE item_id = ? ORDER BY rowid",
                (item_id,),
            )
        )
        languages = tuple(
            str(x[0])
            for x in db.conn.execute(
                "SELECT language FROM schedule_item_renders WHERE item_id = ? ORDER BY language",
                (item_id,),
            )
        )
        result.append(
            ItemRow(
                id=item_id,
                script_id=int(r[1]),
                slug=str(r[2]),
                title=str(r[3]),
                priority=str(r[4]),
                valid_from=str(r[5]),
                valid_to=str(r[6]),
                min_plays_per_week=int(r[7]),
                zones=zones,
                languages=languages,
                removed_at=str(r[8]) if r[8] is not None else None,
            )
        )
    return result


def list_items(db: Database, *, include_removed: bool = False) -> list[ItemRow]:
    """Campaign items by number; removed ones only when asked."""
    return _items(db, "" if include_removed else "WHERE i.removed_at IS NULL", ())


def script_items(db: Database, script_id: int) -> list[ItemRow]:
    return _items(db, "WHERE i.script_id = ?", (script_id,))


def item_by_number(db: Database, ref: str) -> ItemRow:
    """A campaign item by the number ``schedule list`` prints ('3' or '#3')."""
    number = ref.strip().lstrip("#")
    found = _items(db, "WHERE i.id = ?", (int(number),)) if number.isdigit() else []
    if not found or found[0].removed_at is not None:
        raise InputError(
            f"Không có mục phát '{ref}' trong lịch; xem số các mục bằng 'broadcast schedule list'."
        )
    return found[0]


def script_use(conn: Connection, script_id: int) -> ScriptUse:
    """What aired from a script and what schedules name it (read in the caller's
    transaction when it decides a deletion)."""
    renders = "SELECT id FROM renders WHERE script_id = ?"
    aired = conn.execute(
        f"SELECT COUNT(*) FROM asrun_plays WHERE script_id = ? OR render_id IN ({renders})",
        (script_id, script_id),
    ).fetchone()[0]
    items = tuple(
        int(r[0])
        for r in conn.execute(
            "SELECT id FROM schedule_items WHERE script_id = ? ORDER BY id", (script_id,)
        )
    )
    planned = conn.execute(
        f"SELECT COUNT(*) FROM plan_entries WHERE render_id IN ({renders})", (script_id,)
    ).fetchone()[0]
    legacy = 0
    if "playlist_entries" in _tables(conn):
        legacy = conn.execute(
            f"SELECT COUNT(*) FROM playlist_entries WHERE render_id IN ({renders})",
            (script_id,),
        ).fetchone()[0]
    return ScriptUse(int(aired), items, int(planned), int(legacy))


def versions_of(db: Database, script_id: int) -> list[ScriptRow]:
    """Every version of the script ``script_id`` belongs to (itself alone where the
    workspace keeps no versions), oldest first."""
    sql, has_version = _script_select(db)
    if has_version:
        rows = db.conn.execute(
            sql + " WHERE name = (SELECT name FROM scripts WHERE id = ?) ORDER BY version, id",
            (script_id,),
        ).fetchall()
    else:
        rows = db.conn.execute(sql + " WHERE id = ?", (script_id,)).fetchall()
    return [_script_row(r, has_version) for r in rows]


def archive_scripts(
    db: Database, script_ids: Sequence[int], *, by: str, archived: bool = True
) -> None:
    """Hide scripts from lists (``archived=False`` brings them back); their campaign items
    are removed by the caller (``mark_items_removed``)."""
    with db.transaction() as conn:
        if archived:
            conn.executemany(
                f"UPDATE scripts SET archived_at = {now_sql(conn)}, archived_by = ?"
                " WHERE id = ? AND archived_at IS NULL",
                [(by, i) for i in script_ids],
            )
        else:
            conn.executemany(
                "UPDATE scripts SET archived_at = NULL, archived_by = NULL WHERE id = ?",
                [(i,) for i in script_ids],
            )


def delete_scripts(db: Database, script_ids: Sequence[int], *, slug: str) -> list[str]:
    """Delete scripts (a script's versions) that nothing aired and nothing schedules, with
    their sentences, translations and render rows, all or none; returns the render paths
    (the caller removes the files).

    The approvals and the review audit stay: they are history, kept without foreign keys.
    """
    paths: list[str] = []
    with db.transaction() as conn:
        for script_id in script_ids:
            use = script_use(conn, script_id)
            if use.in_use:
                raise InputError(_in_use_sentence(slug, use))
        for script_id in script_ids:
            paths += [
                str(r[0])
                for r in conn.execute("SELECT path FROM renders WHERE script_id = ?", (script_id,))
            ]
            article = conn.execute(
                "SELECT article_id FROM scripts WHERE id = ?", (script_id,)
            ).fetchone()
            conn.execute("DELETE FROM renders WHERE script_id = ?", (script_id,))
            conn.execute("DELETE FROM scripts WHERE id = ?", (script_id,))
            if article is not None:
                conn.execute(
                    "DELETE FROM articles WHERE id = ?"
                    " AND NOT EXISTS (SELECT 1 FROM scripts WHERE article_id = articles.id)",
                    (int(article[0]),),
                )
    return paths


def _in_use_sentence(slug: str, use: ScriptUse) -> str:
    reasons = []
    if use.aired:
        reasons.append(f"đã phát {use.aired} lượt")
    if use.items or use.planned or use.legacy_playlist:
        numbers = ", ".join(f"#{i}" for i in use.items)
        reasons.append(f"có trong lịch phát{f' (mục {numbers})' if numbers else ''}")
    return (
        f"Không xoá được kịch bản '{slug}' vì {' và '.join(reasons)}; hãy lưu trữ bằng "
        f"'broadcast script archive {slug}' (ẩn khỏi danh sách, giữ lịch sử phát)."
    )


def mark_items_removed(db: Database, item_ids: Sequence[int], *, by: str) -> None:
    """Take items out of planning (the planner skips removed items); rows stay for the
    plans of past days that name them."""
    with db.transaction() as conn:
        conn.executemany(
            f"UPDATE schedule_items SET removed_at = {now_sql(conn)}, removed_by = ?"
            " WHERE id = ? AND removed_at IS NULL",
            [(by, i) for i in item_ids],
        )


def drop_unplanned_items(db: Database, item_ids: Sequence[int]) -> list[int]:
    """Delete the removed items that no plan entry names any more; returns their numbers."""
    dropped = []
    # An emergency that interrupted the air (migration 10) is history too: its item stays.
    interrupts = "interrupts" in _tables(db)
    with db.transaction() as conn:
        for item_id in item_ids:
            used = conn.execute(
                "SELECT 1 FROM plan_entries WHERE item_id = ? LIMIT 1", (item_id,)
            ).fetchone()
            if used is None and interrupts:
                used = conn.execute(
                    "SELECT 1 FROM interrupts WHERE item_id = ? LIMIT 1", (item_id,)
                ).fetchone()
            if used is None:
                conn.execute(
                    "DELETE FROM schedule_items WHERE id = ? AND removed_at IS NOT NULL",
                    (item_id,),
                )
                dropped.append(item_id)
    return dropped


def delete_future_entries(db: Database, item_ids: Sequence[int], from_moment: str) -> list[int]:
    """Delete the plan entries of items starting at or after ``from_moment`` (local
    'YYYY-MM-DDTHH:MM:SS'); returns the renders they played (to rewrite exports)."""
    if not item_ids:
        return []
    marks = ",".join("?" * len(item_ids))
    where = f"item_id IN ({marks}) AND starts_at >= ?"
    with db.transaction() as conn:
        renders = sorted(
            {
                int(r[0])
                for r in conn.execute(
                    f"SELECT render_id FROM plan_entries WHERE {where}", (*item_ids, from_moment)
                )
            }
        )
        conn.execute(f"DELETE FROM plan_entries WHERE {where}", (*item_ids, from_moment))
    return renders


def update_item(
    db: Database,
    item_id: int,
    *,
    valid_to: str | None,
    zones: Sequence[str] | None,
    priority: str | None,
    min_plays_per_week: int | None,
) -> None:
    """Change what the caller validated; a CHECK failure becomes one sentence."""
    try:
        with db.transaction() as conn:
            for column, value in (
                ("valid_to", valid_to),
                ("priority", priority),
                ("min_plays_per_week", min_plays_per_week),
            ):
                if value is not None:
                    conn.execute(
                        f"UPDATE schedule_items SET {column} = ? WHERE id = ?", (value, item_id)
                    )
            if zones is not None:
                conn.execute("DELETE FROM schedule_item_zones WHERE item_id = ?", (item_id,))
                conn.executemany(
                    "INSERT INTO schedule_item_zones (item_id, zone) VALUES (?, ?)",
                    [(item_id, z) for z in zones],
                )
    except sqlite3.IntegrityError as exc:
        raise InputError(f"Không sửa được mục phát #{item_id}: {exc}.") from None


@dataclass(frozen=True)
class PlanExport:
    id: int
    path: str
    format: str
    inside_workspace: bool
    first_day: str | None
    last_day: str | None
    out_dir: str | None


def plan_exports_from(db: Database, day: str) -> list[PlanExport]:
    """The plan exports not withdrawn whose days reach ``day`` or later."""
    rows = db.conn.execute(
        "SELECT id, path, format, inside_workspace, first_day, last_day, out_dir"
        " FROM playlist_exports WHERE origin = 'plan' AND withdrawn_at IS NULL"
        " AND (last_day IS NULL OR last_day >= ?) ORDER BY path",
        (day,),
    ).fetchall()
    return [PlanExport(int(r[0]), str(r[1]), str(r[2]), bool(r[3]), r[4], r[5], r[6]) for r in rows]


@dataclass(frozen=True)
class RemovedTerm:
    term: str
    language: str
    target: str
    status: str


def delete_terms(
    db: Database, key: str, language: str, target: str | None, *, layer: int | None = None
) -> tuple[list[RemovedTerm], list[str]]:
    """Delete the targets of a term (one, or all of them); when none is left, its forbidden
    variants go too. Returns (removed targets, removed variants). ``layer`` (issue 16):
    only that layer's rows, a station's id or 0 for the province's."""
    where = "term_key = ? AND language = ?"
    args: tuple[str | int, ...] = (key, language)
    if target is not None:
        where += " AND target = ?"
        args += (target,)
    if layer is not None:
        where += " AND coalesce(station_id, 0) = ?"
        args += (layer,)
    with db.transaction() as conn:
        rows = conn.execute(
            f"SELECT term, language, target, status FROM terms WHERE {where} ORDER BY target",
            args,
        ).fetchall()
        conn.execute(f"DELETE FROM terms WHERE {where}", args)
        variants: list[str] = []
        same = "term_key = ? AND language = ?"
        same_args: tuple[str | int, ...] = (key, language)
        if layer is not None:
            same += " AND coalesce(station_id, 0) = ?"
            same_args += (layer,)
        left = conn.execute(f"SELECT 1 FROM terms WHERE {same} LIMIT 1", same_args).fetchone()
        if rows and left is None:
            variants = [
                str(r[0])
                for r in conn.execute(
                    f"SELECT variant FROM term_forbidden WHERE {same} ORDER BY rowid", same_args
                )
            ]
            conn.execute(f"DELETE FROM term_forbidden WHERE {same}", same_args)
    return [RemovedTerm(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows], variants


@dataclass(frozen=True)
class RemovedUnit:
    id: int
    language: str
    source: str
    target: str
    previous: str


def delete_units(
    db: Database,
    *,
    unit_id: int | None = None,
    language: str | None = None,
    source: str | None = None,
    target: str | None = None,
    station: int | None = None,
    province: bool = False,
) -> list[RemovedUnit]:
    """Delete translation-memory pairs by number, or by source sentence and language
    (optionally one target only). Issue 16: with ``station``, only that station's pairs
    (its own layer, and those it gave the province: its reviewers approved them); with
    ``province``, only the province's. The change counter (trigger) makes the fuzzy index
    start again."""
    args: tuple[object, ...]
    if unit_id is not None:
        where, args = "id = ?", (unit_id,)
    else:
        where, args = "language = ? AND source = ?", (language, source)
        if target is not None:
            where += " AND target = ?"
            args = (*args, target)
    if province:
        where += " AND station_id IS NULL"
    elif station is not None:
        where += " AND (station_id = ? OR (station_id IS NULL AND from_station = ?))"
        args = (*args, station, station)
    with db.transaction() as conn:
        rows = conn.execute(
            f"SELECT id, language, source, target, previous FROM tm_segments WHERE {where}"
            " ORDER BY id",
            args,
        ).fetchall()
        conn.execute(f"DELETE FROM tm_segments WHERE {where}", args)
    return [RemovedUnit(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]
