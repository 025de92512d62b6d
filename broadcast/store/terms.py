"""The term base in SQLite (migration 3): target terms per Vietnamese term and language.

Validation and conflict detection live in ``broadcast.translate.termbase``; these functions
only read and write rows, inside the caller's transaction where they write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from broadcast.model.translation import Term, TermStatus, term_key
from broadcast.store.db import Connection, Database


def list_terms(
    db: Database, language: str | None = None, status: TermStatus | None = None
) -> list[Term]:
    """Every stored target term (each with its term's forbidden variants), in a stable order."""
    sql = "SELECT term, term_key, language, target, status, note, source FROM terms"
    where, args = [], []
    if language is not None:
        where.append("language = ?")
        args.append(language)
    if status is not None:
        where.append("status = ?")
        args.append(str(status))
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY term_key, language, status, target"
    rows = db.conn.execute(sql, args).fetchall()
    forbidden = _forbidden(db, language)
    return [
        Term(
            term=row["term"],
            language=row["language"],
            target=row["target"],
            status=TermStatus(row["status"]),
            note=row["note"],
            source=row["source"],
            forbidden=forbidden.get((row["term_key"], row["language"]), ()),
        )
        for row in rows
    ]


def _forbidden(db: Database, language: str | None) -> dict[tuple[str, str], tuple[str, ...]]:
    sql = "SELECT term_key, language, variant FROM term_forbidden"
    args: tuple[str, ...] = ()
    if language is not None:
        sql += " WHERE language = ?"
        args = (language,)
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in db.conn.execute(sql + " ORDER BY rowid", args):
        grouped[(row["term_key"], row["language"])].append(row["variant"])
    return {key: tuple(variants) for key, variants in grouped.items()}


def change_count(db: Database) -> int:
    """Writes ever made to the term base (kept by triggers, migration 3)."""
    row = db.conn.execute("SELECT changes FROM term_changes WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def write_terms(conn: Connection, terms: Sequence[Term]) -> tuple[int, int, int]:
    """Insert or update ``terms``; returns (added, updated, unchanged).

    Demotions are written before promotions so that moving 'approved' from one target to
    another in a single import never trips the one-approved-target index halfway. A new
    forbidden variant on an existing target counts as an update.
    """
    added = updated = unchanged = 0
    ordered = sorted(terms, key=lambda t: t.status == TermStatus.APPROVED)
    for t in ordered:
        new_variants = 0
        for variant in t.forbidden:
            cursor = conn.execute(
                "INSERT INTO term_forbidden (term_key, language, variant)"
                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (t.key, t.language, variant),
            )
            new_variants += cursor.rowcount
        row = conn.execute(
            "SELECT id, term, status, note, source FROM terms"
            " WHERE term_key = ? AND language = ? AND target = ?",
            (t.key, t.language, t.target),
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO terms (term, term_key, language, target, status, note, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (t.term, t.key, t.language, t.target, str(t.status), t.note, t.source),
            )
            added += 1
            continue
        stored = (row["term"], row["status"], row["note"], row["source"])
        if stored == (t.term, str(t.status), t.note, t.source):
            if new_variants:
                updated += 1
            else:
                unchanged += 1
            continue
        conn.execute(
            "UPDATE terms SET term = ?, status = ?, note = ?, source = ? WHERE id = ?",
            (t.term, str(t.status), t.note, t.source, row["id"]),
        )
        updated += 1
    return added, updated, unchanged


def demote_approved(conn: Connection, term: str, language: str) -> int:
    """Make the approved target of ``term`` in ``language`` a proposed one; rows changed."""
    cursor = conn.execute(
        "UPDATE terms SET status = 'proposed'"
        " WHERE term_key = ? AND language = ? AND status = 'approved'",
        (term_key(term), language),
    )
    return cursor.rowcount


def terms_for_keys(db: Database, keys: Iterable[tuple[str, str]]) -> list[Term]:
    """Stored terms for some (term key, language) pairs: what an import is checked against."""
    wanted = set(keys)
    languages = {language for _, language in wanted}
    found: list[Term] = []
    for language in sorted(languages):
        found.extend(t for t in list_terms(db, language) if (t.key, language) in wanted)
    return found
