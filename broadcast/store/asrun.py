"""SQL of the as-run log (migration 6) and the plan reads it is reconciled against.

Reports count what was aired, so every figure here is an aggregate over ``asrun_plays``;
the plan (migration 5, view ``planned_plays``) is only read to reconcile and to confirm
plays by hand. Aggregates run in SQLite: a year of a province is a million rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from broadcast.model.asrun import NewPlay, PlannedPlay, Play, PlayStatus
from broadcast.store.db import Database


def stamp(moment: dt.datetime) -> str:
    """The one text form of a local time in the database: 'YYYY-MM-DDTHH:MM:SS'."""
    return moment.isoformat(timespec="seconds")


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class RenderInfo:
    id: int
    script_id: int
    language: str
    path: str
    kind: str
    duration_s: float | None


_RENDER = "SELECT id, script_id, language, path, kind, duration_s FROM renders"


def _render(r: Sequence[object]) -> RenderInfo:
    duration = r[5]
    return RenderInfo(
        int(str(r[0])),
        int(str(r[1])),
        str(r[2]),
        str(r[3]),
        str(r[4]),
        float(str(duration)) if duration is not None else None,
    )


def renders_by_id(db: Database, ids: Iterable[int]) -> dict[int, RenderInfo]:
    """The renders named by id in an as-run file (fetched by id: a province has thousands)."""
    wanted = sorted(set(ids))
    out: dict[int, RenderInfo] = {}
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        for r in db.conn.execute(f"{_RENDER} WHERE id IN ({marks})", part):
            out[int(r[0])] = _render(r)
    return out


def renders_named(db: Database, file_name: str) -> list[RenderInfo]:
    """Renders whose path ends with ``file_name`` (case ignored), newest last: the
    candidates for a path an as-run file gives, compared further by the caller."""
    pattern = "%" + file_name.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    rows = db.conn.execute(
        f"{_RENDER} WHERE lower(replace(path, '\\', '/')) LIKE lower(?) ESCAPE '!' ORDER BY id",
        (pattern,),
    ).fetchall()
    return [_render(r) for r in rows]


def item_renders(db: Database) -> dict[int, dict[str, int]]:
    """Campaign item id -> {language: render id}, for files that name items."""
    out: dict[int, dict[str, int]] = {}
    for item_id, language, render_id in db.conn.execute(
        "SELECT item_id, language, render_id FROM schedule_item_renders"
    ):
        out.setdefault(int(item_id), {})[str(language)] = int(render_id)
    return out


def import_seen(db: Database, sha256: str) -> bool:
    row = db.conn.execute("SELECT 1 FROM asrun_imports WHERE sha256 = ?", (sha256,)).fetchone()
    return row is not None


def _row(play: NewPlay, import_id: int | None, origin: str) -> tuple[object, ...]:
    return (
        import_id,
        origin,
        play.zone,
        stamp(play.started_at),
        play.duration_s,
        play.status.value,
        play.item_key,
        play.render_id,
        play.script_id,
        play.language,
        play.path,
    )


_INSERT = (
    "INSERT INTO asrun_plays (import_id, origin, zone, started_at, duration_s, status,"
    " item_key, render_id, script_id, language, path) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


def save_import(
    db: Database, *, source: str, sha256: str, fmt: str, plays: Sequence[NewPlay]
) -> int:
    """Store one file's plays in one transaction; plays already logged are skipped.

    Returns how many plays were new. The file's hash is recorded so the same file is
    recognised at once the next time.
    """
    # A log is indexed by zone: each zone's newest page is hot, and a province has hundreds
    # of zones, more than SQLite's 2 MB default cache holds.
    if db.dialect == "sqlite":
        db.conn.execute("PRAGMA cache_size = -32768")
    with db.transaction() as conn:
        import_id = conn.execute(
            "INSERT INTO asrun_imports (source, sha256, format, rows, added) VALUES (?,?,?,?,0)"
            " RETURNING id",
            (source, sha256, fmt, len(plays)),
        ).fetchone()[0]
        # The parser has checked every value, so DO NOTHING only skips plays already logged.
        added = max(
            conn.executemany(
                _INSERT + " ON CONFLICT DO NOTHING",
                (_row(p, import_id, "import") for p in plays),
            ).rowcount,
            0,
        )
        conn.execute("UPDATE asrun_imports SET added = ? WHERE id = ?", (added, import_id))
    return added


def save_manual(db: Database, plays: Iterable[NewPlay]) -> int:
    """Plays marked by hand: the operator's latest word wins over an earlier mark."""
    count = 0
    with db.transaction() as conn:
        for play in plays:
            # Update, else insert (the writer lock is held): no ON CONFLICT target, because
            # the unique key gains the station on a province server.
            row = _row(play, None, "manual")
            updated = conn.execute(
                "UPDATE asrun_plays SET status = ?, duration_s = ?, origin = 'manual'"
                " WHERE zone = ? AND started_at = ? AND item_key = ?",
                (row[5], row[4], row[2], row[3], row[6]),
            ).rowcount
            if not updated:
                conn.execute(_INSERT, row)
            count += 1
    return count


def plays_between(db: Database, start: dt.datetime, end: dt.datetime) -> list[Play]:
    """Plays logged with a start in [start, end), in time order."""
    rows = db.conn.execute(
        "SELECT p.id, p.zone, p.started_at, p.duration_s, p.status, p.render_id, s.slug,"
        " p.language, p.path, p.origin, s.title FROM asrun_plays p"
        " LEFT JOIN scripts s ON s.id = p.script_id"
        " WHERE p.started_at >= ? AND p.started_at < ? ORDER BY p.started_at, p.zone, p.id",
        (stamp(start), stamp(end)),
    ).fetchall()
    return [
        Play(
            id=r[0],
            zone=r[1],
            started_at=_moment(r[2]),
            duration_s=float(r[3]),
            status=PlayStatus(r[4]),
            render_id=r[5],
            script_slug=r[6],
            language=r[7],
            path=r[8],
            origin=r[9],
            script_title=r[10],
        )
        for r in rows
    ]


_PLANNED = (
    "SELECT v.zone, v.slot_starts_at, v.position, v.render_id, s.slug, v.language,"
    " v.starts_at, v.duration_s, v.item_id, v.script_id, s.title FROM planned_plays v"
    " JOIN scripts s ON s.id = v.script_id"
)


def _planned(rows: Iterable[Sequence[object]]) -> list[PlannedPlay]:
    return [
        PlannedPlay(
            zone=str(r[0]),
            slot_start=_moment(str(r[1])),
            position=int(str(r[2])),
            render_id=int(str(r[3])),
            script_slug=str(r[4]),
            language=str(r[5]),
            planned_start=_moment(str(r[6])),
            duration_s=float(str(r[7])),
            item_id=int(str(r[8])) if r[8] is not None else None,
            script_id=int(str(r[9])),
            script_title=str(r[10] or ""),
        )
        for r in rows
    ]


def planned_between(db: Database, start: dt.datetime, end: dt.datetime) -> list[PlannedPlay]:
    """Item entries of the stored plan starting in [start, end), in time order."""
    rows = db.conn.execute(
        _PLANNED + " WHERE v.starts_at >= ? AND v.starts_at < ?"
        " ORDER BY v.starts_at, v.zone, v.position",
        (stamp(start), stamp(end)),
    ).fetchall()
    return _planned(rows)


def slot_plan(db: Database, zone: str, slot_start: dt.datetime) -> list[PlannedPlay]:
    """The items planned in one zone's slot, in playing order."""
    rows = db.conn.execute(
        _PLANNED + " WHERE v.zone = ? AND v.slot_starts_at = ? ORDER BY v.position",
        (zone, stamp(slot_start)),
    ).fetchall()
    return _planned(rows)


# --- report aggregates --------------------------------------------------------------------


@dataclass(frozen=True)
class CubeCell:
    """Aired plays of one script in one language, zone and month: every table of a report
    is a sum over these cells, so the log is scanned once per report."""

    zone: str
    month: str  # 'YYYY-MM'
    script_id: int | None
    language: str
    plays: int
    seconds: float
    first: str
    last: str


def aired_cube(db: Database, start: dt.date, end: dt.date) -> list[CubeCell]:
    """One grouped scan of the plays aired (played or partial) in [start, end)."""
    rows = db.conn.execute(
        "SELECT zone, substr(started_at, 1, 7) AS month, script_id, COALESCE(language, ''),"
        " COUNT(*), SUM(duration_s), MIN(started_at), MAX(started_at) FROM asrun_plays"
        " WHERE status != 'missed' AND started_at >= ? AND started_at < ?"
        " GROUP BY zone, month, script_id, language",
        (f"{start.isoformat()}T00:00:00", f"{end.isoformat()}T00:00:00"),
    ).fetchall()
    return [CubeCell(r[0], r[1], r[2], r[3], int(r[4]), float(r[5]), r[6], r[7]) for r in rows]


@dataclass(frozen=True)
class ScriptInfo:
    slug: str
    title: str
    topic: str  # '' when neither the script nor its campaign items name an area


def script_info(db: Database, ids: Iterable[int]) -> dict[int, ScriptInfo]:
    """Slug, title and CCHC area of the scripts aired; the area is the script's own, else
    the one its latest campaign item was filed under."""
    wanted = sorted(set(ids))
    out: dict[int, ScriptInfo] = {}
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        for r in db.conn.execute(
            "SELECT s.id, s.slug, s.title, COALESCE(s.topic, (SELECT i.topic FROM schedule_items"
            " i WHERE i.script_id = s.id AND i.topic IS NOT NULL ORDER BY i.id DESC LIMIT 1),"
            f" '') FROM scripts s WHERE s.id IN ({marks})",
            part,
        ):
            out[int(r[0])] = ScriptInfo(r[1], r[2], r[3])
    return out
