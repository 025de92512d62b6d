"""The workspace database, the single source of truth of a workspace: an SQLite file by
default, or a PostgreSQL database (``broadcast.store.postgres``) named by a URL.

One class owns the connection so that pragmas (WAL, busy timeout, foreign keys), migrations
and transactions are set up in exactly one place; stages call the domain functions in
``broadcast.store.records`` and never write SQL of their own.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from broadcast.errors import BroadcastError, InputError, StoreError

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; versions must be applied in order, exactly once."""

    def register(func: Migration) -> Migration:
        MIGRATIONS.append((version, name, func))
        MIGRATIONS.sort(key=lambda item: item[0])
        return func

    return register


@migration(1, "articles, scripts, sentences, renders, playlist entries")
def _initial(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            format TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE scripts (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            language TEXT NOT NULL,
            target_minutes REAL NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('opening', 'headline', 'body', 'closing')),
            written TEXT NOT NULL,
            spoken TEXT NOT NULL,
            start_ms INTEGER,
            end_ms INTEGER,
            UNIQUE (script_id, position)
        );
        CREATE TABLE renders (
            id INTEGER PRIMARY KEY,
            script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            duration_s REAL,
            loudness_lufs REAL,
            true_peak_db REAL,
            engine TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE playlist_entries (
            id INTEGER PRIMARY KEY,
            render_id INTEGER NOT NULL REFERENCES renders(id) ON DELETE CASCADE,
            slot_start TEXT NOT NULL,
            zone TEXT NOT NULL,
            position INTEGER NOT NULL,
            playlist_path TEXT NOT NULL,
            UNIQUE (slot_start, zone, position)
        );
        """,
    )


@migration(2, "scripts.topic: the CCHC area of each script")
def _script_topic(conn: sqlite3.Connection) -> None:
    # Nullable: scripts stored before topics existed have none, and none is guessed for them.
    conn.execute("ALTER TABLE scripts ADD COLUMN topic TEXT")


@migration(3, "term base (terms, forbidden variants) and translation memory")
def _terms_and_memory(conn: sqlite3.Connection) -> None:
    # term_key is the casefolded NFC term (computed in Python: SQLite's lower() is ASCII
    # only), so 'UBND' and 'ubnd' are one term. At most one approved target per term and
    # language, enforced by the schema so no import path can merge two silently. Forbidden
    # variants belong to a term and language (a TBX langSec), not to one target.
    # tm_segments uses AUTOINCREMENT so ids are never reused: the in-process fuzzy index
    # extends itself with the rows above the highest id it holds.
    _run_script(
        conn,
        """
        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            term TEXT NOT NULL,
            term_key TEXT NOT NULL,
            language TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('proposed', 'approved')),
            note TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (term_key, language, target)
        );
        CREATE UNIQUE INDEX terms_one_approved ON terms (term_key, language)
            WHERE status = 'approved';
        CREATE TABLE term_forbidden (
            term_key TEXT NOT NULL,
            language TEXT NOT NULL,
            variant TEXT NOT NULL,
            PRIMARY KEY (term_key, language, variant)
        );
        CREATE TABLE tm_segments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            language TEXT NOT NULL,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            previous TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL DEFAULT 'approval',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (language, source, previous, target)
        );
        CREATE TABLE tm_changes (
            language TEXT PRIMARY KEY,
            changes INTEGER NOT NULL
        )
        """,
    )
    # Every insert or delete of a language's pairs counts one change: the fuzzy index reads
    # one row to know whether it is current instead of counting 100,000 rows per lookup.
    # Pairs are never updated (a corrected pair is a new pair), so the counter sees all.
    for verb, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        conn.execute(
            f"""CREATE TRIGGER tm_segments_count_{verb.lower()} AFTER {verb} ON tm_segments
            BEGIN
                INSERT OR IGNORE INTO tm_changes (language, changes) VALUES ({row}.language, 0);
                UPDATE tm_changes SET changes = changes + 1 WHERE language = {row}.language;
            END"""
        )
    conn.execute(
        """CREATE TRIGGER tm_segments_immutable BEFORE UPDATE ON tm_segments
        BEGIN SELECT RAISE(ABORT, 'tm_segments rows are never updated'); END"""
    )
    # The same for the term base: one counter that find_terms reads to reuse its parsed
    # terms until a row changes.
    conn.execute(
        "CREATE TABLE term_changes (id INTEGER PRIMARY KEY CHECK (id = 1), changes INTEGER)"
    )
    conn.execute("INSERT INTO term_changes (id, changes) VALUES (1, 0)")
    for table in ("terms", "term_forbidden"):
        for verb in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(
                f"""CREATE TRIGGER {table}_count_{verb.lower()} AFTER {verb} ON {table}
                BEGIN UPDATE term_changes SET changes = changes + 1 WHERE id = 1; END"""
            )


@migration(4, "translations, segments, approvals, review audit; renders.language")
def _translations(conn: sqlite3.Connection) -> None:
    # Statement by statement: trigger bodies contain ';', which _run_script would split.
    # The approval invariants live in the schema, not only in Python, so that a direct SQL
    # UPDATE of an approved text voids its approval just as an edit through the CLI does.
    for statement in _TRANSLATION_DDL:
        conn.execute(statement)


_STATE_CHECK = "CHECK (state IN ('draft', 'in_review', 'approved', 'changes_requested'))"
_TRANSLATION_DDL = (
    f"""CREATE TABLE translations (
        id INTEGER PRIMARY KEY,
        script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
        language TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'draft' {_STATE_CHECK},
        engine TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (script_id, language)
    )""",
    # One segment per script sentence (same position); approved_sha256 is the sha256 of the
    # exact target text that was approved, present exactly when the segment is approved.
    f"""CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        translation_id INTEGER NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL CHECK (origin IN ('tm-exact', 'tm-in-context', 'tm-fuzzy',
            'glossary', 'empty', 'editor') OR origin LIKE 'mt:%'),
        score REAL,
        terms TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL DEFAULT 'draft' {_STATE_CHECK},
        approved_sha256 TEXT,
        note TEXT NOT NULL DEFAULT '',
        UNIQUE (translation_id, position),
        CHECK ((state = 'approved') = (approved_sha256 IS NOT NULL))
    )""",
    # No foreign keys on the two history tables: they outlive what they describe.
    """CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        script_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        segment_id INTEGER,
        approved_by TEXT NOT NULL,
        role TEXT NOT NULL,
        approved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        sha256 TEXT NOT NULL
    )""",
    """CREATE TABLE review_audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        script_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        position INTEGER,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        sha256 TEXT
    )""",
    "CREATE INDEX review_audit_script ON review_audit (script_id, language)",
    """CREATE TRIGGER review_audit_append_only_u BEFORE UPDATE ON review_audit
    BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END""",
    """CREATE TRIGGER review_audit_append_only_d BEFORE DELETE ON review_audit
    BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END""",
    """CREATE TRIGGER approvals_append_only_u BEFORE UPDATE ON approvals
    BEGIN SELECT RAISE(ABORT, 'approvals is append-only'); END""",
    """CREATE TRIGGER approvals_append_only_d BEFORE DELETE ON approvals
    BEGIN SELECT RAISE(ABORT, 'approvals is append-only'); END""",
    # Any change to an approved text voids its approval, whoever makes it.
    """CREATE TRIGGER segments_void_approval AFTER UPDATE OF target ON segments
    WHEN NEW.target IS NOT OLD.target AND OLD.state = 'approved'
    BEGIN
        UPDATE segments SET state = 'in_review', approved_sha256 = NULL WHERE id = NEW.id;
        UPDATE translations SET state = 'in_review'
            WHERE id = NEW.translation_id AND state = 'approved';
        INSERT INTO review_audit (script_id, language, position, action, actor, detail, sha256)
            SELECT t.script_id, t.language, NEW.position, 'void', 'database',
                   'approved text changed', OLD.approved_sha256
            FROM translations t WHERE t.id = NEW.translation_id;
    END""",
    # A segment leaving 'approved' (or a new one arriving) un-approves its translation.
    """CREATE TRIGGER segments_unapprove_translation AFTER UPDATE OF state ON segments
    WHEN NEW.state != 'approved'
    BEGIN
        UPDATE translations SET state = 'in_review'
            WHERE id = NEW.translation_id AND state = 'approved';
    END""",
    """CREATE TRIGGER segments_insert_unapproves AFTER INSERT ON segments
    WHEN NEW.state != 'approved'
    BEGIN
        UPDATE translations SET state = 'in_review'
            WHERE id = NEW.translation_id AND state = 'approved';
    END""",
    """CREATE TRIGGER segments_delete_unapproves AFTER DELETE ON segments
    BEGIN
        UPDATE translations SET state = 'in_review'
            WHERE id = OLD.translation_id AND state = 'approved';
    END""",
    # A translation is approved only when every one of its segments is.
    """CREATE TRIGGER translations_approved_needs_segments
    BEFORE UPDATE OF state ON translations WHEN NEW.state = 'approved'
    BEGIN
        SELECT RAISE(ABORT, 'translation has segments that are not approved')
        WHERE NOT EXISTS (SELECT 1 FROM segments WHERE translation_id = NEW.id)
           OR EXISTS (SELECT 1 FROM segments WHERE translation_id = NEW.id
                      AND (state != 'approved' OR approved_sha256 IS NULL));
    END""",
    # What may go on air: the source script (approved by its producer) and every translation
    # approved segment by segment, one segment per script sentence.
    """CREATE VIEW approved_languages (script_id, language) AS
        SELECT id, language FROM scripts
        UNION
        SELECT t.script_id, t.language FROM translations t
        WHERE t.state = 'approved'
          AND (SELECT COUNT(*) FROM segments s WHERE s.translation_id = t.id)
              = (SELECT COUNT(*) FROM sentences x WHERE x.script_id = t.script_id)
          AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.translation_id = t.id
                          AND (s.state != 'approved' OR s.approved_sha256 IS NULL))""",
    "ALTER TABLE renders ADD COLUMN language TEXT NOT NULL DEFAULT 'vi'",
)


@migration(5, "schedule: campaign items, their zones and renders, plans, findings")
def _schedule(conn: sqlite3.Connection) -> None:
    # Statement by statement: trigger bodies contain ';'. See _SCHEDULE_DDL for the contract
    # that the as-run log and the reports (migration 6, broadcast/store/asrun.py) read.
    for statement in _SCHEDULE_DDL:
        conn.execute(statement)


# Issue 5, the plan tables. Times are the station's local wall-clock time, ISO 8601 without
# an offset ('2026-03-02T06:00:00'); days are 'YYYY-MM-DD'. Readers (as-run, reports):
#
# * schedule_items: a campaign item = one script put on air between valid_from (a day, or a
#   day and time for emergencies: 'YYYY-MM-DDTHH:MM') and valid_to (last day, inclusive),
#   with a priority class (Thông tư 39/2020/TT-BTTTT: normal / priority / emergency), a
#   minimum number of plays per ISO week IN EACH of its zones, and a CCHC topic key
#   (broadcast.script.model.Topic values, e.g. 'thu-tuc').
# * schedule_item_zones: the zones (ids of [[zones]] in station.toml) an item is aired in.
# * schedule_item_renders: the audio render the item plays in each language; only renders
#   whose (script_id, language) is in approved_languages may be attached (trigger below).
# * plan_slots: one row per (zone, slot occurrence) of a stored plan; kind 'relay' slots
#   carry relay_url and have no entries. `day` is the start date; re-planning a date range
#   deletes and rewrites every plan_slots row of those days in one transaction.
# * plan_entries: what a slot plays, in order (position 0..n): kind 'ident' (station
#   ident, no render) or 'item' (item_id + render_id). starts_at is the planned start of
#   the entry, duration_s its length; an entry never ends after its slot's ends_at
#   (trigger), and an item entry always plays an approved render of its item's script.
# * planned_plays: the view to read a plan with: one row per item entry with zone, slot,
#   start, duration, item, render, script, language, topic and priority.
# * plan_findings: what the planner could not satisfy for the stored days (overbooked
#   slot, missing language, minimum plays not reached, programme rule not met).
_SCHEDULE_DDL = (
    """CREATE TABLE schedule_items (
        id INTEGER PRIMARY KEY,
        script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
        priority TEXT NOT NULL DEFAULT 'normal'
            CHECK (priority IN ('normal', 'priority', 'emergency')),
        valid_from TEXT NOT NULL,
        valid_to TEXT NOT NULL,
        min_plays_per_week INTEGER NOT NULL DEFAULT 0 CHECK (min_plays_per_week >= 0),
        topic TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        CHECK (valid_to >= substr(valid_from, 1, 10))
    )""",
    """CREATE TABLE schedule_item_zones (
        item_id INTEGER NOT NULL REFERENCES schedule_items(id) ON DELETE CASCADE,
        zone TEXT NOT NULL,
        PRIMARY KEY (item_id, zone)
    )""",
    """CREATE TABLE schedule_item_renders (
        item_id INTEGER NOT NULL REFERENCES schedule_items(id) ON DELETE CASCADE,
        language TEXT NOT NULL,
        render_id INTEGER NOT NULL REFERENCES renders(id),
        PRIMARY KEY (item_id, language)
    )""",
    """CREATE TABLE plan_slots (
        id INTEGER PRIMARY KEY,
        zone TEXT NOT NULL,
        day TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('local', 'relay')),
        relay_url TEXT,
        grid_slot TEXT NOT NULL DEFAULT '',
        UNIQUE (zone, starts_at),
        CHECK ((kind = 'relay') = (relay_url IS NOT NULL))
    )""",
    "CREATE INDEX plan_slots_day ON plan_slots (day)",
    """CREATE TABLE plan_entries (
        id INTEGER PRIMARY KEY,
        plan_slot_id INTEGER NOT NULL REFERENCES plan_slots(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('ident', 'item')),
        item_id INTEGER REFERENCES schedule_items(id),
        render_id INTEGER REFERENCES renders(id),
        starts_at TEXT NOT NULL,
        duration_s REAL NOT NULL CHECK (duration_s >= 0),
        UNIQUE (plan_slot_id, position),
        CHECK ((kind = 'item') = (item_id IS NOT NULL AND render_id IS NOT NULL))
    )""",
    "CREATE INDEX plan_entries_item ON plan_entries (item_id)",
    """CREATE TABLE plan_findings (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        zone TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        item_id INTEGER,
        message TEXT NOT NULL
    )""",
    "CREATE INDEX plan_findings_day ON plan_findings (day)",
    # Unapproved content never reaches a plan, whoever writes the rows.
    """CREATE TRIGGER schedule_item_renders_approved BEFORE INSERT ON schedule_item_renders
    BEGIN
        SELECT RAISE(ABORT, 'bản thu chưa được duyệt cho ngôn ngữ này (not approved)')
        WHERE NOT EXISTS (
            SELECT 1 FROM renders r JOIN schedule_items i ON i.id = NEW.item_id
            JOIN approved_languages a ON a.script_id = r.script_id AND a.language = r.language
            WHERE r.id = NEW.render_id AND r.script_id = i.script_id
              AND r.language = NEW.language);
    END""",
    *(
        f"""CREATE TRIGGER plan_entries_approved{suffix} BEFORE {event} ON plan_entries
    WHEN NEW.kind = 'item'
    BEGIN
        SELECT RAISE(ABORT, 'bản thu chưa được duyệt, không được vào lịch phát (not approved)')
        WHERE NOT EXISTS (
            SELECT 1 FROM renders r JOIN schedule_items i ON i.id = NEW.item_id
            JOIN approved_languages a ON a.script_id = r.script_id AND a.language = r.language
            WHERE r.id = NEW.render_id AND r.script_id = i.script_id);
    END"""
        for suffix, event in (("", "INSERT"), ("_u", "UPDATE OF render_id, item_id"))
    ),
    # No entry runs past the end of its slot (1 ms tolerance for float seconds).
    """CREATE TRIGGER plan_entries_inside_slot BEFORE INSERT ON plan_entries
    BEGIN
        SELECT RAISE(ABORT, 'mục phát vượt quá khung giờ (overrun)')
        FROM plan_slots s WHERE s.id = NEW.plan_slot_id
          AND (julianday(NEW.starts_at) < julianday(s.starts_at) - 0.001 / 86400
               OR (julianday(NEW.starts_at) - julianday(s.starts_at)) * 86400 + NEW.duration_s
                  > (julianday(s.ends_at) - julianday(s.starts_at)) * 86400 + 0.001);
    END""",
    """CREATE VIEW planned_plays (entry_id, zone, slot_starts_at, slot_ends_at, grid_slot,
        position, starts_at, duration_s, item_id, render_id, script_id, language, topic,
        priority, render_path) AS
        SELECT e.id, s.zone, s.starts_at, s.ends_at, s.grid_slot, e.position, e.starts_at,
               e.duration_s, e.item_id, e.render_id, r.script_id, r.language, i.topic,
               i.priority, r.path
        FROM plan_entries e
        JOIN plan_slots s ON s.id = e.plan_slot_id
        JOIN schedule_items i ON i.id = e.item_id
        JOIN renders r ON r.id = e.render_id
        WHERE e.kind = 'item'""",
)


@migration(6, "as-run log: imported files and plays aired per zone")
def _asrun(conn: sqlite3.Connection) -> None:
    # The report counts what was aired, so a play keeps its own language and script even if
    # the render row is later deleted; (zone, start, item) is unique so that importing an
    # overlapping export twice never counts a play twice. The time index covers every column
    # a report groups by, so a period's figures are read from the index alone.
    _run_script(
        conn,
        """
        CREATE TABLE asrun_imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL,
            rows INTEGER NOT NULL,
            added INTEGER NOT NULL,
            imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE asrun_plays (
            id INTEGER PRIMARY KEY,
            import_id INTEGER REFERENCES asrun_imports(id) ON DELETE CASCADE,
            origin TEXT NOT NULL CHECK (origin IN ('import', 'manual')),
            zone TEXT NOT NULL,
            started_at TEXT NOT NULL,
            duration_s REAL NOT NULL CHECK (duration_s >= 0),
            status TEXT NOT NULL CHECK (status IN ('played', 'partial', 'missed')),
            item_key TEXT NOT NULL,
            render_id INTEGER REFERENCES renders(id) ON DELETE SET NULL,
            script_id INTEGER REFERENCES scripts(id) ON DELETE SET NULL,
            language TEXT,
            path TEXT,
            UNIQUE (zone, started_at, item_key)
        );
        CREATE INDEX asrun_plays_started
            ON asrun_plays (started_at, status, zone, script_id, language, duration_s)
        """,
    )


@migration(7, "renders: mix profile, video format, loudness range, stage cache key")
def _render_details(conn: sqlite3.Connection) -> None:
    # Nullable: renders made before mix profiles existed have none of these figures.
    for column in (
        "profile TEXT",
        "format TEXT",
        "loudness_range REAL",
        "stage_key TEXT",
    ):
        conn.execute(f"ALTER TABLE renders ADD COLUMN {column}")


@migration(8, "renders bound to approved texts; approvals derived from the approvals table")
def _render_texts(conn: sqlite3.Connection) -> None:
    # Issue 9. Sentences get the digest of their text (computed here for existing rows: SQLite
    # has no sha256), approvals a kind ('approve' or 'void'), renders the digests of the texts
    # they voice. Renders made before this migration have no such rows: they are stale and
    # must be re-rendered (the message names the command); the plan entries and legacy
    # playlist rows that play them are removed at the end of the migration.
    from broadcast.store.hashes import sentence_sha256

    conn.execute(
        "ALTER TABLE approvals ADD COLUMN kind TEXT NOT NULL DEFAULT 'approve'"
        " CHECK (kind IN ('approve', 'void'))"
    )
    conn.execute("ALTER TABLE sentences ADD COLUMN text_sha256 TEXT")
    rows = conn.execute("SELECT id, written, spoken FROM sentences").fetchall()
    conn.executemany(
        "UPDATE sentences SET text_sha256 = ? WHERE id = ?",
        [(sentence_sha256(str(r[1]), str(r[2])), int(r[0])) for r in rows],
    )
    for statement in _RENDER_TEXTS_DDL:
        conn.execute(statement)
    for statement in SWEEP_STALE_ENTRIES:
        conn.execute(statement)


# Deletes every plan entry and legacy playlist row whose render is not current, logging
# what went in onair_withdrawals so the next command can say so (the same statements run
# from Python at the start of the schedule and produce commands, so a change made where no
# trigger sees it is caught at the next command).
def _sweep(render_filter: str) -> tuple[str, ...]:
    statements: list[str] = []
    for table in ("plan_entries", "playlist_entries"):
        where = f"{table}.render_id IN ({render_filter})"
        statements += [
            f"""INSERT INTO onair_withdrawals (render_id, source, entries)
                SELECT render_id, '{table}', COUNT(*) FROM {table} WHERE {where}
                GROUP BY render_id""",
            f"DELETE FROM {table} WHERE {where}",
        ]
    return tuple(statements)


_NOT_CURRENT = "NOT EXISTS (SELECT 1 FROM current_renders c WHERE c.render_id = r.id)"
SWEEP_STALE_ENTRIES = _sweep(f"SELECT r.id FROM renders r WHERE {_NOT_CURRENT}")


def _sweep_script(script: str) -> str:
    """Trigger statements removing the entries of one script's renders once not current."""
    return "".join(
        f"{statement};\n        "
        for statement in _sweep(
            f"SELECT r.id FROM renders r WHERE r.script_id = {script} AND {_NOT_CURRENT}"
        )
    )


# A segment's approval is genuine when the latest approvals row of that segment is an
# 'approve' of exactly its approved_sha256: setting the state column by SQL approves nothing.
_GENUINE = """(SELECT a.kind = 'approve' AND a.sha256 = s.approved_sha256 FROM approvals a
        WHERE a.segment_id = s.id ORDER BY a.id DESC LIMIT 1) IS 1"""

_NOT_APPROVED = "bản thu chưa được duyệt, không được vào lịch phát (not approved)"
_STALE = (
    "bản thu được làm từ văn bản khác với văn bản đang được duyệt, không được vào lịch phát; "
    "hãy dựng lại (stale render)"
)


def _entry_check(row: str, item_join: str, language: str = "") -> str:
    """Refuse a render that is not current: 'not approved' when its language is not (or
    it is another script's render), 'stale render' when only its texts are old. The cheap
    current check comes first, so an accepted row never reads approved_languages."""
    current = (
        f"EXISTS (SELECT 1 FROM current_renders c JOIN renders r ON r.id = c.render_id"
        f" {item_join} WHERE c.render_id = {row}.render_id{language})"
    )
    return f"""SELECT RAISE(ABORT, '{_NOT_APPROVED}')
        WHERE NOT {current} AND NOT EXISTS (
            SELECT 1 FROM renders r {item_join}
            JOIN approved_languages a ON a.script_id = r.script_id AND a.language = r.language
            WHERE r.id = {row}.render_id{language});
        SELECT RAISE(ABORT, '{_STALE}') WHERE NOT {current};"""


_ITEM_JOIN = "JOIN schedule_items i ON i.id = NEW.item_id AND i.script_id = r.script_id"

_RENDER_TEXTS_DDL = (
    # One row per sentence a render voices: the digest of the text voiced (a translation's
    # approved target; a Vietnamese sentence's sentence_sha256) and, for a translation, of
    # the Vietnamese source sentence. Written with the render, in the same transaction.
    """CREATE TABLE render_texts (
        render_id INTEGER NOT NULL REFERENCES renders(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text_sha256 TEXT NOT NULL,
        source_sha256 TEXT,
        PRIMARY KEY (render_id, position)
    )""",
    """CREATE TRIGGER render_texts_never_updated BEFORE UPDATE ON render_texts
    BEGIN SELECT RAISE(ABORT, 'render_texts rows are never updated'); END""",
    "CREATE INDEX approvals_segment ON approvals (segment_id, id)",
    "CREATE INDEX approvals_script ON approvals (script_id, language, segment_id, id)",
    "CREATE INDEX renders_script ON renders (script_id, language)",
    "CREATE INDEX plan_entries_render ON plan_entries (render_id)",
    "CREATE INDEX playlist_entries_render ON playlist_entries (render_id)",
    # Every exported playlist or schedule file and the renders it names, so that a void can
    # rewrite it (inside the workspace) or list it as withdrawn (outside).
    """CREATE TABLE playlist_exports (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        format TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('plan', 'produce')),
        inside_workspace INTEGER NOT NULL CHECK (inside_workspace IN (0, 1)),
        first_day TEXT,
        last_day TEXT,
        out_dir TEXT,
        slot_start TEXT,
        zone TEXT,
        written_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        withdrawn_at TEXT
    )""",
    # What a void took off the air, until a command has told the user (then deleted).
    """CREATE TABLE onair_withdrawals (
        id INTEGER PRIMARY KEY,
        render_id INTEGER NOT NULL,
        source TEXT NOT NULL,
        entries INTEGER NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    )""",
    """CREATE TABLE playlist_export_renders (
        export_id INTEGER NOT NULL REFERENCES playlist_exports(id) ON DELETE CASCADE,
        render_id INTEGER NOT NULL,
        PRIMARY KEY (export_id, render_id)
    )""",
    "CREATE INDEX playlist_export_renders_render ON playlist_export_renders (render_id)",
    "DROP TRIGGER schedule_item_renders_approved",
    "DROP TRIGGER plan_entries_approved",
    "DROP TRIGGER plan_entries_approved_u",
    "DROP VIEW approved_languages",
    f"""CREATE VIEW approved_segments (segment_id, translation_id, position, sha256) AS
        SELECT s.id, s.translation_id, s.position, s.approved_sha256 FROM segments s
        WHERE s.state = 'approved' AND s.approved_sha256 IS NOT NULL AND {_GENUINE}""",
    # What may go on air: a source script whose sentences all carry their digest (none was
    # changed behind the toolkit's back) and whose producer's approval is recorded; a
    # translation whose every sentence has a genuinely approved segment.
    """CREATE VIEW approved_languages (script_id, language) AS
        SELECT sc.id, sc.language FROM scripts sc
        WHERE NOT EXISTS (SELECT 1 FROM sentences x
                          WHERE x.script_id = sc.id AND x.text_sha256 IS NULL)
          AND (SELECT a.kind = 'approve' FROM approvals a
               WHERE a.script_id = sc.id AND a.language = sc.language
                 AND a.segment_id IS NULL ORDER BY a.id DESC LIMIT 1) IS 1
        UNION
        SELECT t.script_id, t.language FROM translations t
        WHERE t.state = 'approved'
          AND (SELECT COUNT(*) FROM segments s WHERE s.translation_id = t.id)
              = (SELECT COUNT(*) FROM sentences x WHERE x.script_id = t.script_id)
          AND (SELECT COUNT(*) FROM approved_segments g WHERE g.translation_id = t.id)
              = (SELECT COUNT(*) FROM sentences x WHERE x.script_id = t.script_id)""",
    # A render is current while its language is approved and every sentence it voices has,
    # now, exactly the approved text (and, for a translation, the source) it was made from.
    # Written without the approved_languages view (a UNION over every script) so that the
    # entry triggers look up one render in a few index searches.
    """CREATE VIEW current_renders (render_id) AS
        SELECT r.id FROM renders r JOIN scripts sc ON sc.id = r.script_id
        WHERE EXISTS (SELECT 1 FROM render_texts t WHERE t.render_id = r.id)
          AND (SELECT COUNT(*) FROM render_texts t WHERE t.render_id = r.id)
              = (SELECT COUNT(*) FROM sentences x WHERE x.script_id = r.script_id)
          AND CASE WHEN r.language = sc.language THEN
                (SELECT a.kind = 'approve' FROM approvals a
                 WHERE a.script_id = sc.id AND a.language = sc.language
                   AND a.segment_id IS NULL ORDER BY a.id DESC LIMIT 1) IS 1
              ELSE EXISTS (SELECT 1 FROM translations tr
                 WHERE tr.script_id = r.script_id AND tr.language = r.language
                   AND tr.state = 'approved'
                   AND (SELECT COUNT(*) FROM segments s WHERE s.translation_id = tr.id)
                       = (SELECT COUNT(*) FROM sentences x WHERE x.script_id = r.script_id))
              END
          AND NOT EXISTS (
            SELECT 1 FROM render_texts t WHERE t.render_id = r.id AND NOT EXISTS (
              SELECT 1 FROM sentences x
              WHERE x.script_id = r.script_id AND x.position = t.position AND (
                (r.language = sc.language AND x.text_sha256 = t.text_sha256)
                OR (r.language != sc.language AND x.text_sha256 = t.source_sha256
                    AND EXISTS (SELECT 1 FROM translations tr
                                JOIN approved_segments g ON g.translation_id = tr.id
                                WHERE tr.script_id = r.script_id AND tr.language = r.language
                                  AND g.position = t.position AND g.sha256 = t.text_sha256)))))""",
    # Unapproved or stale content never reaches a plan or a playlist, whoever writes the rows.
    f"""CREATE TRIGGER schedule_item_renders_approved BEFORE INSERT ON schedule_item_renders
    BEGIN
        {_entry_check("NEW", _ITEM_JOIN, " AND r.language = NEW.language")}
    END""",
    *(
        f"""CREATE TRIGGER plan_entries_approved{suffix} BEFORE {event} ON plan_entries
    WHEN NEW.kind = 'item'
    BEGIN
        {_entry_check("NEW", _ITEM_JOIN)}
    END"""
        for suffix, event in (("", "INSERT"), ("_u", "UPDATE OF render_id, item_id"))
    ),
    *(
        f"""CREATE TRIGGER playlist_entries_approved{suffix} BEFORE {event} ON playlist_entries
    BEGIN
        {_entry_check("NEW", "")}
    END"""
        for suffix, event in (("", "INSERT"), ("_u", "UPDATE OF render_id"))
    ),
    # A segment losing its approval (edit, reject, import, raw SQL) appends a 'void' row.
    """CREATE TRIGGER segments_void_record AFTER UPDATE OF state, approved_sha256 ON segments
    WHEN OLD.state = 'approved' AND OLD.approved_sha256 IS NOT NULL
         AND (NEW.state IS NOT 'approved' OR NEW.approved_sha256 IS NOT OLD.approved_sha256)
    BEGIN
        INSERT INTO approvals (script_id, language, segment_id, approved_by, role, sha256, kind)
            SELECT t.script_id, t.language, NEW.id, 'database', '', OLD.approved_sha256, 'void'
            FROM translations t WHERE t.id = NEW.translation_id;
    END""",
    # A void, or an approval record of another text than the segment's, takes the script's
    # stale renders off the plan and the legacy playlists at once.
    f"""CREATE TRIGGER approvals_sweep AFTER INSERT ON approvals
    WHEN NEW.kind = 'void' OR (NEW.segment_id IS NOT NULL AND NEW.sha256 IS NOT
         (SELECT approved_sha256 FROM segments WHERE id = NEW.segment_id))
    BEGIN
        {_sweep_script("NEW.script_id")}
    END""",
    f"""CREATE TRIGGER translations_sweep AFTER UPDATE OF state ON translations
    WHEN OLD.state = 'approved' AND NEW.state != 'approved'
    BEGIN
        {_sweep_script("NEW.script_id")}
    END""",
    *(
        f"""CREATE TRIGGER segments_sweep_{name} AFTER {event} ON segments
    BEGIN
        {sweep}
    END"""
        for name, event, sweep in (
            ("d", "DELETE", "".join(f"{s};\n" for s in SWEEP_STALE_ENTRIES)),
            (
                "u",
                "UPDATE OF position, translation_id",
                _sweep_script("(SELECT script_id FROM translations WHERE id = NEW.translation_id)"),
            ),
        )
    ),
    # A changed source sentence: its digest is cleared (unless the writer set the new one),
    # and every translation of it loses its approval, with an audit row saying why.
    """CREATE TRIGGER sentences_text_changed AFTER UPDATE OF written, spoken ON sentences
    WHEN NEW.written IS NOT OLD.written OR NEW.spoken IS NOT OLD.spoken
    BEGIN
        UPDATE sentences SET text_sha256 = NULL
            WHERE id = NEW.id AND NEW.text_sha256 IS OLD.text_sha256;
        INSERT INTO review_audit (script_id, language, position, action, actor, detail, sha256)
            SELECT t.script_id, t.language, NEW.position, 'void', 'database',
                   'câu nguồn đã đổi', g.approved_sha256
            FROM segments g JOIN translations t ON t.id = g.translation_id
            WHERE t.script_id = NEW.script_id AND g.position = NEW.position
              AND g.state = 'approved';
        UPDATE segments SET state = 'in_review', approved_sha256 = NULL
            WHERE position = NEW.position AND state = 'approved'
              AND translation_id IN (SELECT id FROM translations WHERE script_id = NEW.script_id);
        UPDATE segments SET source = NEW.written
            WHERE position = NEW.position
              AND translation_id IN (SELECT id FROM translations WHERE script_id = NEW.script_id);
    END""",
    *(
        f"""CREATE TRIGGER sentences_sweep_{name} AFTER {event} ON sentences
    {when}
    BEGIN
        {_sweep_script(f"{row}.script_id")}
    END"""
        for name, event, when, row in (
            ("u", "UPDATE OF text_sha256, position", "", "NEW"),
            ("i", "INSERT", "", "NEW"),
            ("d", "DELETE", "", "OLD"),
        )
    ),
)


@migration(9, "people and roles; content approval of a script bound to written and spoken text")
def _people(conn: sqlite3.Connection) -> None:
    # Issue 10. People with a login (unique, any case), a display name, an optional argon2
    # hash (the web workspace), an active flag; their roles, per language for translators
    # and reviewers ('*' = every language, '' = not per-language). Approvals record whether
    # the approver had last edited the text (allowed only when [review] four_eyes = false).
    # A script's own-language approval now hashes every sentence's written AND spoken form
    # (hashes.script_sha256); any change of a sentence appends a 'void' row at once.
    for statement in _PEOPLE_DDL:
        conn.execute(statement)
    _rehash_source_approvals(conn)


_ROLE_CHECK = (
    "CHECK (role IN ('admin', 'producer', 'translator', 'reviewer', 'content_approver',"
    " 'scheduler', 'viewer'))"
)
_LATEST_SOURCE_APPROVE = """(SELECT a.kind = 'approve' FROM approvals a
        JOIN scripts sc ON sc.id = a.script_id
        WHERE a.script_id = {row}.script_id AND a.language = sc.language
          AND a.segment_id IS NULL ORDER BY a.id DESC LIMIT 1) IS 1"""
_VOID_SOURCE = """INSERT INTO approvals (script_id, language, approved_by, role, sha256, kind)
            SELECT a.script_id, a.language, 'database', '', a.sha256, 'void' FROM approvals a
            JOIN scripts sc ON sc.id = a.script_id
            WHERE a.script_id = {row}.script_id AND a.language = sc.language
              AND a.segment_id IS NULL ORDER BY a.id DESC LIMIT 1;
        INSERT INTO review_audit (script_id, language, position, action, actor, detail)
            SELECT {row}.script_id, sc.language, {row}.position, 'void', 'database',
                   'nội dung kịch bản đã đổi sau khi duyệt'
            FROM scripts sc WHERE sc.id = {row}.script_id;"""

_PEOPLE_DDL = (
    """CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(login)) > 0),
        display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
        password_hash TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_by TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    )""",
    f"""CREATE TABLE person_roles (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role TEXT NOT NULL {_ROLE_CHECK},
        language TEXT NOT NULL DEFAULT '',
        granted_by TEXT NOT NULL DEFAULT '',
        granted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (person_id, role, language),
        CHECK ((role IN ('translator', 'reviewer')) = (language != ''))
    )""",
    "ALTER TABLE approvals ADD COLUMN self_approved INTEGER NOT NULL DEFAULT 0"
    " CHECK (self_approved IN (0, 1))",
    # Any change of an approved script's sentences (text, digest, number of sentences),
    # whoever makes it, voids the content approval: the approvals_sweep trigger of
    # migration 8 then takes the script's renders off the plan.
    *(
        f"""CREATE TRIGGER sentences_void_source_{name} AFTER {event} ON sentences
    WHEN {_LATEST_SOURCE_APPROVE.format(row=row)}{when}
    BEGIN
        {_VOID_SOURCE.format(row=row)}
    END"""
        for name, event, row, when in (
            (
                "u",
                "UPDATE OF written, spoken, text_sha256, position, script_id",
                "NEW",
                " AND (NEW.written IS NOT OLD.written OR NEW.spoken IS NOT OLD.spoken"
                " OR NEW.text_sha256 IS NOT OLD.text_sha256 OR NEW.position IS NOT OLD.position"
                " OR NEW.script_id IS NOT OLD.script_id)",
            ),
            ("i", "INSERT", "NEW", ""),
            ("d", "DELETE", "OLD", ""),
        )
    ),
)


def _rehash_source_approvals(conn: sqlite3.Connection) -> None:
    """Source approvals recorded before issue 10 hashed the written forms only. One whose
    text is unchanged since (every sentence still carries its digest, and the approval
    matches the written forms) is carried over with the new hash, so what was on air stays
    on air; any other stays as it was and no longer counts (the gate recomputes)."""
    from broadcast.store.hashes import script_sha256, sentence_sha256, text_sha256

    rows = conn.execute(
        "SELECT a.script_id, a.language, a.approved_by, a.role, a.sha256 FROM approvals a"
        " JOIN scripts sc ON sc.id = a.script_id AND sc.language = a.language"
        " WHERE a.segment_id IS NULL AND a.kind = 'approve' AND a.id = (SELECT MAX(b.id)"
        " FROM approvals b WHERE b.script_id = a.script_id AND b.language = a.language"
        " AND b.segment_id IS NULL)"
    ).fetchall()
    for script_id, language, by, role, digest in rows:
        sentences = conn.execute(
            "SELECT written, spoken, text_sha256 FROM sentences WHERE script_id = ?"
            " ORDER BY position",
            (script_id,),
        ).fetchall()
        texts = [(str(s[0]), str(s[1])) for s in sentences]
        intact = bool(sentences) and all(
            s[2] == sentence_sha256(str(s[0]), str(s[1])) for s in sentences
        )
        if not intact or digest != text_sha256("\n".join(w for w, _s in texts)):
            continue
        new = script_sha256(texts)
        conn.execute(
            "INSERT INTO approvals (script_id, language, approved_by, role, sha256)"
            " VALUES (?,?,?,?,?)",
            (script_id, language, by, role, new),
        )
        conn.execute(
            "INSERT INTO review_audit (script_id, language, position, action, actor, role,"
            " detail, sha256) VALUES (?,?,NULL,'approve-source',?,?,?,?)",
            (
                script_id,
                language,
                by,
                role,
                "phê duyệt trước khi có tài khoản, giữ nguyên khi nâng cấp (migration 9)",
                new,
            ),
        )


@migration(10, "script versions; produce playlists become campaign items; emergency interrupts")
def _one_schedule(conn: sqlite3.Connection) -> None:
    # Issue 10. A script is a NAME with VERSIONS: each version is its own scripts row (its
    # sentences, renders, translations and approvals stay bound to it), the rows of one script
    # share `name` and count `version` from 1; `input_sha256` is the digest of the cleaned
    # article and the options it was made with, so producing the same input again finds it.
    # Rows written by code that knows nothing of versions get name = slug (trigger).
    for statement in _ONE_SCHEDULE_DDL:
        conn.execute(statement)
    conn.execute("UPDATE scripts SET name = slug WHERE name IS NULL")
    _legacy_playlists_to_items(conn)


_ONE_SCHEDULE_DDL = (
    "ALTER TABLE scripts ADD COLUMN name TEXT",
    "ALTER TABLE scripts ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)",
    "ALTER TABLE scripts ADD COLUMN input_sha256 TEXT",
    "CREATE UNIQUE INDEX scripts_name_version ON scripts (name, version)",
    "CREATE INDEX scripts_input ON scripts (input_sha256)",
    """CREATE TRIGGER scripts_name_default AFTER INSERT ON scripts WHEN NEW.name IS NULL
    BEGIN UPDATE scripts SET name = NEW.slug WHERE id = NEW.id; END""",
    # An emergency started "now" (schedule add --priority emergency --now): the interrupt
    # playlist written for one zone at that minute, outside the plan's slots. Its file is
    # also in playlist_exports (origin 'produce' = written outside the plan), so a void
    # rewrites it like any other playlist.
    """CREATE TABLE interrupts (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES schedule_items(id) ON DELETE CASCADE,
        zone TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        path TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    )""",
    "CREATE INDEX interrupts_path ON interrupts (path)",
)

_LEGACY_FROZEN = (
    "danh sách phát riêng của produce đã bỏ: lịch phát chỉ lập từ mục phát "
    "(broadcast schedule add, broadcast schedule plan)"
)


def _legacy_playlists_to_items(conn: sqlite3.Connection) -> None:
    """Every legacy ``playlist_entries`` row becomes a campaign item (its script, its zone,
    valid on its slot's day) and, if its render is still current, an entry of the stored
    plan at the same moment; then the table is emptied and frozen. Nothing is lost: a row
    whose render is stale keeps its item (without render, which the planner reports), and a
    row that no longer fits a slot already planned at that moment leaves a plan finding."""
    import datetime as dt

    iso = "%Y-%m-%dT%H:%M:%S"
    current = {int(r[0]) for r in conn.execute("SELECT render_id FROM current_renders")}
    rows = conn.execute(
        "SELECT p.render_id, p.slot_start, p.zone, r.script_id, r.language, r.duration_s,"
        " s.topic, s.title FROM playlist_entries p JOIN renders r ON r.id = p.render_id"
        " JOIN scripts s ON s.id = r.script_id ORDER BY p.slot_start, p.zone, p.position"
    ).fetchall()

    def moment(text: object) -> dt.datetime:
        return dt.datetime.fromisoformat(str(text)).replace(second=0, microsecond=0)

    # A slot made here lasts as long as the current rows it plays (the grid may be gone).
    lengths: dict[tuple[dt.datetime, str], float] = {}
    for r in rows:
        if int(r[0]) in current:
            key = (moment(r[1]), str(r[2]))
            lengths[key] = lengths.get(key, 0.0) + float(r[5] or 0)
    for render_id, slot_start, zone, script_id, language, duration, topic, title in rows:
        start = moment(slot_start)
        day = start.date().isoformat()
        item_id = conn.execute(
            "INSERT INTO schedule_items (script_id, priority, valid_from, valid_to,"
            " min_plays_per_week, topic) VALUES (?, 'normal', ?, ?, 0, ?)",
            (script_id, day, day, topic),
        ).lastrowid
        conn.execute(
            "INSERT INTO schedule_item_zones (item_id, zone) VALUES (?, ?)", (item_id, zone)
        )
        if int(render_id) not in current:
            continue
        conn.execute(
            "INSERT INTO schedule_item_renders (item_id, language, render_id) VALUES (?,?,?)",
            (item_id, language, render_id),
        )
        seconds = float(duration or 0)
        slot = conn.execute(
            "SELECT id, ends_at FROM plan_slots WHERE zone = ? AND starts_at = ?",
            (zone, start.strftime(iso)),
        ).fetchone()
        if slot is None:
            length = lengths.get((start, str(zone)), seconds)
            ends = start + dt.timedelta(seconds=max(1, int(length + 0.999)))
            slot_id = conn.execute(
                "INSERT INTO plan_slots (zone, day, starts_at, ends_at, kind, grid_slot)"
                " VALUES (?, ?, ?, ?, 'local', 'produce')",
                (zone, day, start.strftime(iso), ends.strftime(iso)),
            ).lastrowid
            slot_end = ends
        else:
            slot_id, slot_end = slot[0], dt.datetime.fromisoformat(str(slot[1]))
        entries = conn.execute(
            "SELECT position, starts_at, duration_s FROM plan_entries WHERE plan_slot_id = ?",
            (slot_id,),
        ).fetchall()
        position = max((int(e[0]) for e in entries), default=-1)
        offset = max(
            (
                (dt.datetime.fromisoformat(str(e[1])) - start).total_seconds() + float(e[2])
                for e in entries
            ),
            default=0.0,
        )
        if offset + seconds > (slot_end - start).total_seconds() + 0.001:
            conn.execute(
                "INSERT INTO plan_findings (day, zone, kind, item_id, message)"
                " VALUES (?, ?, 'overbooked', ?, ?)",
                (
                    day,
                    zone,
                    item_id,
                    f"Mục #{item_id} '{title}' (danh sách phát cũ của 'produce', khung giờ "
                    f"{start:%H:%M %d/%m/%Y}) không còn chỗ trong khung giờ đã lập; hãy chạy "
                    "lại 'broadcast schedule plan'.",
                ),
            )
            continue
        conn.execute(
            "INSERT INTO plan_entries (plan_slot_id, position, kind, item_id, render_id,"
            " starts_at, duration_s) VALUES (?, ?, 'item', ?, ?, ?, ?)",
            (
                slot_id,
                position + 1,
                item_id,
                render_id,
                (start + dt.timedelta(seconds=offset)).strftime(iso),
                seconds,
            ),
        )
    conn.execute("DELETE FROM playlist_entries")
    conn.execute(
        f"""CREATE TRIGGER playlist_entries_frozen BEFORE INSERT ON playlist_entries
        BEGIN SELECT RAISE(ABORT, '{_LEGACY_FROZEN}'); END"""
    )


@migration(11, "archived scripts; removed campaign items")
def _lifecycle(conn: sqlite3.Connection) -> None:
    # Issue 10. An archived script is hidden from lists and kept (with what aired from it); a
    # removed campaign item is kept for the plans and reports that already name it, but the
    # planner no longer reads it. Both record when and by whom, for the audit.
    for statement in (
        "ALTER TABLE scripts ADD COLUMN archived_at TEXT",
        "ALTER TABLE scripts ADD COLUMN archived_by TEXT",
        "ALTER TABLE schedule_items ADD COLUMN removed_at TEXT",
        "ALTER TABLE schedule_items ADD COLUMN removed_by TEXT",
    ):
        conn.execute(statement)


@migration(12, "jobs: long work run by workers, with progress, result and heartbeat")
def _jobs(conn: sqlite3.Connection) -> None:
    # Issue 12. Huey's own queue file (<workspace>/.jobs/huey.db) only carries "run job N";
    # this table is what people see: state, progress, the Vietnamese message and error, the
    # result. ``attempts`` counts the starts, so a write from a run that was given up (its
    # worker presumed dead, the job re-queued) can be told apart and ignored; ``worker`` is
    # "host:pid" of the process that ran it last, which tells a dead process at once.
    # ``kind`` is not constrained here: new kinds come with code, not with a table rebuild.
    _run_script(
        conn,
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            args TEXT NOT NULL DEFAULT '{}',
            subject TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
            progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
            message TEXT NOT NULL DEFAULT '',
            error TEXT,
            result TEXT,
            created_by INTEGER REFERENCES people(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            started_at TEXT,
            finished_at TEXT,
            heartbeat_at TEXT,
            huey_id TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            worker TEXT
        );
        CREATE INDEX jobs_by_state ON jobs (state, id);
        CREATE INDEX jobs_by_person ON jobs (created_by, id)
        """,
    )


@migration(13, "the station's spoken-form dictionary: editors' readings of written forms")
def _spoken_forms(conn: sqlite3.Connection) -> None:
    # Issue 11. (Numbered after helper J's 12 "jobs"; the lead fixes the order if needed.)
    # One reading per written form, exactly as written (capitals carry meaning: "CT" is not
    # "ct"); who saved it (login) and when. The spoken form reads these before any shipped
    # dictionary; the lengths are checked here too, so no other writer stores a novel.
    _run_script(
        conn,
        """
        CREATE TABLE spoken_forms (
            written TEXT PRIMARY KEY
                CHECK (length(trim(written)) > 0 AND length(written) <= 60),
            spoken TEXT NOT NULL
                CHECK (length(trim(spoken)) > 0 AND length(spoken) <= 200),
            saved_by TEXT NOT NULL,
            saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
    )


@migration(14, "who started an emergency interrupt")
def _interrupt_actor(conn: sqlite3.Connection) -> None:
    # Issue 13. An emergency broadcast is an event the Center must be able to account for:
    # the interrupt row (migration 10) now names who started it (login; NULL for the ones
    # recorded before, and for callers that act as nobody in particular).
    conn.execute("ALTER TABLE interrupts ADD COLUMN actor TEXT")


@migration(15, "report versions and their narrative sections")
def _report_versions(conn: sqlite3.Connection) -> None:
    # Issue 13. A report of a period is never overwritten: each one made is a new version
    # (numbered per period), with the narrative sections its author typed and whether its
    # figures were provisional (the period had not ended). The files live in out/reports.
    _run_script(
        conn,
        """
        CREATE TABLE report_versions (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            report_date TEXT NOT NULL,
            provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),
            folder TEXT NOT NULL,
            made_by TEXT NOT NULL,
            made_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (period, version)
        );
        CREATE TABLE report_sections (
            report_id INTEGER NOT NULL REFERENCES report_versions(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK (section IN
                ('ket_qua', 'ton_tai', 'nguyen_nhan', 'phuong_huong', 'de_xuat')),
            body TEXT NOT NULL CHECK (length(body) <= 20000),
            PRIMARY KEY (report_id, section)
        )
        """,
    )


@migration(16, "publication log: where and when each approved script went out, per channel")
def _publications(conn: sqlite3.Connection) -> None:
    # Issue 14. The person who posted an item (portal, a platform, the loudspeakers) records
    # where and when it went out, so reports count publications per channel and period.
    # published_at is station time (naive ISO, as the plan stores slot times); entered_at UTC.
    _run_script(
        conn,
        """
        CREATE TABLE publications (
            id INTEGER PRIMARY KEY,
            script_id INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL CHECK (length(channel) BETWEEN 1 AND 40),
            place TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 2000),
            published_at TEXT NOT NULL CHECK (length(published_at) = 19),
            entered_by TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
            entered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX publications_when ON publications(published_at, channel);
        """,
    )


@migration(17, "departments' monthly article submissions")
def _department_submissions(conn: sqlite3.Connection) -> None:
    # Issue 14. A department (declared in station.toml [[departments]]) hands in its monthly
    # article for the portal; the row keeps the due date and whether it came in time as
    # decided when it was recorded (station time zone), so a later change of the due day
    # does not rewrite history.
    _run_script(
        conn,
        """
        CREATE TABLE department_submissions (
            id INTEGER PRIMARY KEY,
            department TEXT NOT NULL,
            month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            article TEXT NOT NULL,
            title TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            due_date TEXT NOT NULL,
            on_time INTEGER NOT NULL CHECK (on_time IN (0, 1)),
            submitted_by TEXT NOT NULL,
            submitted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX department_submissions_month ON department_submissions (month, department)
        """,
    )


@migration(18, "stations: every record belongs to a station")
def _stations(conn: sqlite3.Connection) -> None:
    # Issue 16. A province server keeps many stations in one PostgreSQL database (there, every
    # table gets a station_id and row-level security: postgres_schema/m18_stations.sql). A
    # SQLite file is one station, id 1: it gets the table, and the column only on the
    # tables whose rows may also belong to the whole province (people, their roles, the term
    # base and the memory: NULL = province), so the domain code reads the same columns on
    # both stores.
    _run_script(
        conn,
        """
        CREATE TABLE stations (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        INSERT INTO stations (id, slug) VALUES (1, '');
        ALTER TABLE people ADD COLUMN station_id INTEGER DEFAULT 1 REFERENCES stations(id);
        ALTER TABLE person_roles ADD COLUMN station_id INTEGER DEFAULT 1 REFERENCES stations(id);
        ALTER TABLE terms ADD COLUMN station_id INTEGER DEFAULT 1 REFERENCES stations(id);
        ALTER TABLE term_forbidden ADD COLUMN station_id INTEGER DEFAULT 1
            REFERENCES stations(id);
        ALTER TABLE tm_segments ADD COLUMN station_id INTEGER DEFAULT 1 REFERENCES stations(id)
        """,
    )


@migration(19, "shared memory and term base: the station and person each entry came from")
def _shared_language(conn: sqlite3.Connection) -> None:
    # Issue 16, item 3. A province's memory and term base are written by approvals and
    # imports anywhere; each entry keeps the station it came from and the person, so a
    # suggestion can say "tỉnh — xã X, người Y". NULL / '' for entries older than this.
    # (A SQLite file is one station: its entries stay the station's own, station_id 1.)
    # A draft segment filled from another station's pair keeps that label (origin_from), so
    # 'review show' says where the text came from.
    _run_script(
        conn,
        """
        ALTER TABLE tm_segments ADD COLUMN from_station INTEGER REFERENCES stations(id);
        ALTER TABLE tm_segments ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE terms ADD COLUMN from_station INTEGER REFERENCES stations(id);
        ALTER TABLE terms ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE segments ADD COLUMN origin_from TEXT NOT NULL DEFAULT ''
        """,
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: ``executescript`` would COMMIT our savepoint."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


# How long a write waits for another writer in all (the busy timeout waits inside SQLite;
# this bounds the retries around it), and the first pause between retries.
WRITE_WAIT_S = 10.0
_FIRST_PAUSE_S = 0.05

# SQLite's primary result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``) that say
# something about the file or the machine rather than about our SQL, each with the sentence a
# commune user reads. ``{path}`` is the database file.
_BUSY = 5
_LOCKED = 6
_SQLITE_SENTENCES: dict[int, str] = {
    _BUSY: "Cơ sở dữ liệu {path} đang bận vì người khác đang ghi quá lâu; "
    "hãy đợi một lát rồi chạy lại lệnh.",
    _LOCKED: "Cơ sở dữ liệu {path} đang bận vì người khác đang ghi quá lâu; "
    "hãy đợi một lát rồi chạy lại lệnh.",
    8: "Không được phép ghi vào cơ sở dữ liệu {path}; hãy kiểm tra quyền ghi của tệp và thư "
    "mục chứa nó.",
    10: "Không đọc hoặc ghi được tệp cơ sở dữ liệu {path} (lỗi ổ đĩa); hãy kiểm tra ổ đĩa rồi "
    "chạy lại lệnh.",
    11: "Tệp cơ sở dữ liệu {path} bị hỏng; hãy khôi phục từ bản sao lưu gần nhất rồi chạy lại.",
    13: "Ổ đĩa đã đầy nên không ghi được cơ sở dữ liệu {path}; hãy giải phóng chỗ trống rồi "
    "chạy lại lệnh.",
    14: "Không mở được tệp cơ sở dữ liệu {path}; hãy kiểm tra thư mục làm việc và quyền truy cập.",
    26: "Tệp {path} không phải cơ sở dữ liệu của bộ công cụ; hãy kiểm tra lại thư mục làm việc.",
}
_SQLITE_CONSTRAINT_TRIGGER = 1811
# (database, thread) pairs inside an outermost write transaction of this process.
_WRITERS: set[tuple[str, int]] = set()

# The SQL of "now" as the schema stores it (UTC, ISO 8601, seconds), per backend: the one
# expression the store's DML cannot write in a neutral way (see ``now_sql``).
SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
POSTGRES_NOW = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


class Cursor(Protocol):
    """What the store reads from a cursor: sqlite3's and the PostgreSQL adapter's both fit."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the store uses, so that store functions accept the
    SQLite connection and the PostgreSQL adapter alike (SQL with ``?`` placeholders)."""

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...

    def close(self) -> None: ...


# A result row: ``r[0]`` and ``r["name"]`` work on both backends (sqlite3.Row, and the
# PostgreSQL adapter's row type).
Row = Any


def dialect_of(conn: Connection) -> str:
    """'sqlite' or 'postgresql': for the few statements that cannot be written neutrally."""
    return "sqlite" if isinstance(conn, sqlite3.Connection) else "postgresql"


def now_sql(conn: Connection) -> str:
    """The backend's SQL expression for the current UTC time in the schema's text form."""
    return SQLITE_NOW if dialect_of(conn) == "sqlite" else POSTGRES_NOW


def table_names(conn: Connection) -> set[str]:
    """The tables of the database (old SQLite files may lack recent ones)."""
    if dialect_of(conn) == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    return {str(r[0]) for r in conn.execute(sql)}


def column_names(conn: Connection, table: str) -> set[str]:
    """The columns of ``table`` (a name of our schema, never user input): read from an empty
    result's description, which both backends give."""
    cursor = conn.execute(f"SELECT * FROM {table} LIMIT 0")
    names = {str(column[0]) for column in cursor.description or ()}
    cursor.fetchall()
    return names


class DatabaseFailure(StoreError, sqlite3.OperationalError):
    """The database file or the machine failed (busy too long, disk full, read-only,
    damaged, server unreachable): one Vietnamese sentence for the user. Still an
    ``sqlite3.OperationalError``, so code written against sqlite3's exceptions keeps
    catching it."""


class DatabaseRefusal(InputError, sqlite3.IntegrityError):
    """A trigger of the schema refused a change (RAISE): the user's request breaks a rule,
    e.g. an unapproved render put on the schedule. Still an ``sqlite3.IntegrityError`` so
    callers that turn it into their own message keep working."""


def refusal(text: str) -> DatabaseRefusal:
    """The refusal for a trigger's message, the same on both backends."""
    text = text.strip()
    if not any(ord(ch) > 127 for ch in text):  # the few English-only rules of the schema
        text = f"Cơ sở dữ liệu từ chối thay đổi này ({text})"
    return DatabaseRefusal(text)  # callers often wrap it: "Không thêm được …: {exc}."


# PostgreSQL's SQLSTATEs (carried as ``sqlstate`` by the adapter's exceptions) that say
# something about the server or the machine, with the same sentences as SQLite's.
_BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57014"})
_PG_SENTENCES: dict[str, str] = {
    "53100": _SQLITE_SENTENCES[13],
    "25006": _SQLITE_SENTENCES[8],
    "42501": _SQLITE_SENTENCES[8],
}


def _explain_postgres(sqlstate: str, exc: sqlite3.Error, path: Path | str) -> BroadcastError | None:
    if sqlstate == "BR001":
        return refusal(str(exc))
    if sqlstate == "42501" and "row-level security" in str(exc):
        # A write for a station other than the connection's (issue 16): the domain never
        # sends one on purpose, so it is a row of another station reached by its id.
        return DatabaseRefusal(
            "Bản ghi này thuộc một trạm khác nên không thay đổi được từ trạm đang làm việc; "
            "hãy làm việc này trong thư mục (hoặc trang web) của đúng trạm."
        )
    if sqlstate in _BUSY_SQLSTATES:
        sentence: str | None = _SQLITE_SENTENCES[_BUSY]
    elif sqlstate.startswith("08") or sqlstate.startswith("57P"):
        sentence = (
            "Mất kết nối tới máy chủ cơ sở dữ liệu {path}; hãy kiểm tra máy chủ PostgreSQL "
            "đang chạy rồi chạy lại lệnh."
        )
    else:
        sentence = _PG_SENTENCES.get(sqlstate)
    if sentence is None:
        return None
    return DatabaseFailure(sentence.format(path=path or "của không gian làm việc"))


def explain(exc: sqlite3.Error, path: Path | str = "") -> BroadcastError | None:
    """The user's sentence for a database error, or None for an error that is our bug.

    The one place that maps the backends' failures to words: ``Database.transaction`` and
    ``Database.__init__`` raise the result, and the CLI's boundary uses it for the reads that
    run outside a transaction. The PostgreSQL adapter raises sqlite3-compatible exceptions
    carrying the SQLSTATE (``sqlstate``), so both backends end in the same sentences.
    """
    if isinstance(exc, BroadcastError):
        return exc
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        return _explain_postgres(sqlstate, exc, path)
    code = getattr(exc, "sqlite_errorcode", None)
    if code == _SQLITE_CONSTRAINT_TRIGGER:
        return refusal(str(exc))
    sentence = None if code is None else _SQLITE_SENTENCES.get(code & 0xFF)
    if sentence is None:
        lowered = str(exc).lower()
        if "database is locked" in lowered:
            sentence = _SQLITE_SENTENCES[_BUSY]
        elif "malformed" in lowered:
            sentence = _SQLITE_SENTENCES[11]
        elif "readonly" in lowered:
            sentence = _SQLITE_SENTENCES[8]
        elif "disk i/o" in lowered:
            sentence = _SQLITE_SENTENCES[10]
        elif "database or disk is full" in lowered:
            sentence = _SQLITE_SENTENCES[13]
    if sentence is None:
        return None
    return DatabaseFailure(sentence.format(path=path or "của không gian làm việc"))


def _is_busy(exc: sqlite3.Error) -> bool:
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate in _BUSY_SQLSTATES
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_BUSY, _LOCKED)
    return "database is locked" in str(exc).lower()


class _Keep:
    """Whether this process keeps one connection per thread (``Database.kept``)."""

    def __init__(self) -> None:
        self.enabled = False
        self.local = threading.local()


_KEEP = _Keep()


def keep_connections(enabled: bool = True) -> None:
    """Called by long-running servers (``broadcast web``) before they serve requests."""
    _KEEP.enabled = enabled


def is_database_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


class Database:
    """A workspace database, migrated on open; ``Database(target)`` opens the backend that
    ``target`` names: a file path → SQLite (``SqliteDatabase``), a ``postgresql://`` URL →
    PostgreSQL (``broadcast.store.postgres.PostgresDatabase``).

    This class holds what both backends share, so they behave alike for the store: the
    transaction nesting (outermost write transaction, savepoints inside it), the guard
    against a second connection of one thread writing, busy retries and the translation of
    errors into ``explain``'s sentences. Several processes may write to one workspace at
    once (CLI runs, the web workspace, a scheduler). Every write therefore runs in
    ``transaction()``, which takes the backend's writer lock *before* the first read: a
    transaction that reads, decides and writes then decides on data no one can change under
    it. Reads outside a transaction are plain autocommit reads that never wait for writers.
    """

    dialect = "sqlite"
    conn: Connection
    path: Path | str
    _key: str
    write_wait_s: float = WRITE_WAIT_S
    _savepoints = 0
    _shared = False  # a kept connection of a long-running server (see ``kept``)

    def __new__(cls, *args: Any, **kwargs: Any) -> Database:
        if cls is Database:
            target = args[0] if args else kwargs.get("path", kwargs.get("url"))
            if is_database_url(target):
                from broadcast.store.postgres import PostgresDatabase

                cls = PostgresDatabase
            else:
                cls = SqliteDatabase
        return object.__new__(cls)

    @property
    def now_sql(self) -> str:
        """This backend's SQL for the current UTC time (see ``now_sql``)."""
        return now_sql(self.conn)

    def close(self) -> None:
        if not self._shared:
            self.conn.close()

    @classmethod
    def kept(cls, target: Path | str) -> Database:
        """This thread's open connection to ``target`` when the process keeps connections
        (``keep_connections``), else a new one.

        A fresh SQLite connection re-reads the whole schema (dozens of tables, triggers and
        views) on its first statement, and a PostgreSQL connection costs a round of
        authentication: a web page paid that two or three times per request. A server
        process keeps one connection per worker thread instead; ``close`` leaves it open,
        and a file replaced on disk (another inode) gets a new one. The CLI, which opens the
        database a few times per run, does not keep connections.
        """
        if not _KEEP.enabled:
            return cls(target)
        if is_database_url(target):
            key = str(target)
            identity: object = key
        else:
            key = str(Path(target).resolve())
            identity = _inode(key)
        cache: dict[str, tuple[object, Database]] = _KEEP.local.__dict__.setdefault("dbs", {})
        found = cache.get(key)
        if found is not None and identity is not None and found[0] == identity:
            db = found[1]
            if db.usable() and not db.conn.in_transaction:
                return db
        db = cls(target)
        db._shared = True
        if identity is None:
            identity = _inode(key)
            if identity is None:
                return db
        cache[key] = (identity, db)
        return db

    def usable(self) -> bool:
        """Whether a kept connection can still serve (a server connection may have died)."""
        return True

    station_id: int = 1
    """The station this connection works for (issue 16): a SQLite file is one station, 1; a
    PostgreSQL connection is switched by ``use_station``."""

    def use_station(self, station_id: int) -> None:
        """Work for ``station_id`` (PostgreSQL: row-level security follows it). A SQLite
        file holds one station, so only 1 is accepted."""
        if station_id != 1:
            raise StoreError(
                "Tệp cơ sở dữ liệu SQLite chỉ chứa một trạm; nhiều trạm cần máy chủ PostgreSQL "
                "của tỉnh (BROADCAST_DATABASE_URL)."
            )

    @contextmanager
    def province_wide(self) -> Iterator[None]:
        """Read every station's rows inside the block; one station in a SQLite file."""
        yield

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _begin(self) -> None:
        """Begin the outermost write transaction, holding the writer lock on return."""
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: all of it or nothing.

        The outermost call begins it and takes the writer lock now (SQLite: BEGIN
        IMMEDIATE; PostgreSQL: an advisory lock), waiting for another writer up to
        ``write_wait_s``; nested calls are savepoints inside it, so a failing inner step
        undoes only itself. Errors leave as ``explain``'s Vietnamese sentences.
        """
        if not self.conn.in_transaction:
            writer = (self._key, threading.get_ident())
            if writer in _WRITERS:
                # A second connection of this very thread would wait for the first one's lock
                # until the timeout, then blame "another person": a bug, said at once.
                raise RuntimeError(
                    f"nested write transaction on a second connection to {self.path}: "
                    "pass the open Database down instead of opening another"
                )
            with self._translated():
                self._begin()
            _WRITERS.add(writer)
            try:
                try:
                    with self._translated():
                        yield self.conn
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
                with self._translated():
                    try:
                        self.conn.execute("COMMIT")
                    except BaseException:
                        if self.conn.in_transaction:
                            self.conn.execute("ROLLBACK")
                        raise
            finally:
                _WRITERS.discard(writer)
            return
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            with self._translated():
                yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._savepoints -= 1
        self.conn.execute(f"RELEASE {name}")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            if isinstance(exc, BroadcastError):
                raise
            known = explain(exc, self.path)
            if known is None:
                raise
            raise known from exc

    def _retry_busy(self, step: Callable[[], object]) -> None:
        """Run ``step``, retrying while another process holds the write lock, up to
        ``write_wait_s`` in all (each try already waits the busy timeout inside SQLite)."""
        deadline = time.monotonic() + self.write_wait_s
        pause = _FIRST_PAUSE_S
        while True:
            try:
                step()
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 2, 1.0)

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        """Bring the schema to the current version (per backend)."""
        raise NotImplementedError


def _inode(path: str) -> tuple[int, int] | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


class SqliteDatabase(Database):
    """The embedded backend: one SQLite file per workspace, opened with WAL and a busy
    timeout; the SQLite specifics (PRAGMAs, BEGIN IMMEDIATE, the migration history) live
    here."""

    dialect = "sqlite"

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        self._key = str(Path(path).resolve())
        self.write_wait_s = max(WRITE_WAIT_S, busy_timeout_ms / 1000)
        self._savepoints = 0
        try:
            raw = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
            self.conn = self.sqlite = raw
            raw.row_factory = sqlite3.Row
            raw.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._retry_busy(lambda: raw.execute("PRAGMA journal_mode = WAL"))
            raw.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except BroadcastError:
            raise
        except sqlite3.DatabaseError as exc:
            known = explain(exc, path)
            if known is not None:
                raise known from None
            raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None

    def _begin(self) -> None:
        self._retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))

    def migrate(self) -> None:
        """Apply the registered migrations that this file has not seen yet.

        Each one runs in its own write transaction and first checks, under the lock, that no
        other process applied it meanwhile (two commands opening a fresh workspace at once).
        """
        if self._table_missing("schema_migrations"):
            with self.transaction() as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
                )
        current = self.schema_version()
        for version, name, func in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as conn:
                if self.schema_version() >= version:
                    continue  # another process applied it while we waited for the lock
                func(self.sqlite)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name)
                )

    def _table_missing(self, table: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        return row is None


def open_database(target: Path | str) -> Database:
    """The database ``target`` names: a ``postgresql://`` URL or a SQLite file path."""
    return Database(target)
