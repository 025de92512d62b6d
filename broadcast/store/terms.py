"""The term base in the store (migration 3): target terms per Vietnamese term and language.

Validation and conflict detection live in ``broadcast.translate.termbase``; these functions
only read and write rows, inside the caller's transaction where they write.

Issue 16: on a province server a term belongs to a station (its own addition or override)
or to the whole province (``station_id`` NULL); reads see both layers (row-level security),
writes name their layer (``Scope``) and touch no row of the other one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from broadcast.model.translation import OWN, Provenance, Term, TermStatus, term_key
from broadcast.store.db import Connection, Database
from broadcast.store.tm import Scope

# A row's layer as a number both backends compare alike: 0 = the province, else a station.
_LAYER = "coalesce(station_id, 0)"


def _layer(scope: Scope) -> int:
    return scope.station_id or 0


def list_terms(
    db: Database,
    language: str | None = None,
    status: TermStatus | None = None,
    *,
    scope: Scope | None = None,
) -> list[Term]:
    """Every stored target term the connection sees (each with its term's forbidden
    variants of the same layer), the station's own before the province's within a term, in
    a stable order; only one layer's with ``scope``."""
    sql = (
        "SELECT t.term, t.term_key, t.language, t.target, t.status, t.note, t.source,"
        " t.station_id, t.created_by, coalesce(nullif(s.name, ''), s.slug, '') AS from_name"
        " FROM terms t LEFT JOIN stations s ON s.id = t.from_station"
    )
    where: list[str] = []
    args: list[object] = []
    if language is not None:
        where.append("t.language = ?")
        args.append(language)
    if status is not None:
        where.append("t.status = ?")
        args.append(str(status))
    if scope is not None:
        where.append("coalesce(t.station_id, 0) = ?")
        args.append(_layer(scope))
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += (
        " ORDER BY t.term_key, t.language, CASE WHEN t.station_id = ? THEN 0 ELSE 1 END,"
        " t.status, t.target"
    )
    rows = db.conn.execute(sql, [*args, db.station_id]).fetchall()
    forbidden = _forbidden(db, language)
    terms = []
    for row in rows:
        own = row["station_id"] == db.station_id
        layer = row["station_id"] or 0
        terms.append(
            Term(
                term=row["term"],
                language=row["language"],
                target=row["target"],
                status=TermStatus(row["status"]),
                note=row["note"],
                source=row["source"],
                forbidden=forbidden.get((layer, row["term_key"], row["language"]), ()),
                provenance=OWN
                if own
                else Provenance(
                    province=True, station=row["from_name"] or "", login=row["created_by"]
                ),
            )
        )
    return terms


def _forbidden(db: Database, language: str | None) -> dict[tuple[int, str, str], tuple[str, ...]]:
    sql = f"SELECT {_LAYER} AS layer, term_key, language, variant FROM term_forbidden"
    args: tuple[str, ...] = ()
    if language is not None:
        sql += " WHERE language = ?"
        args = (language,)
    grouped: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    for row in db.conn.execute(sql + " ORDER BY rowid", args):
        grouped[(int(row["layer"]), row["term_key"], row["language"])].append(row["variant"])
    return {key: tuple(variants) for key, variants in grouped.items()}


def change_count(db: Database) -> int:
    """Writes ever made to the term base (kept by triggers, migration 3); one counter for
    the whole database, moved by any station's write."""
    row = db.conn.execute("SELECT changes FROM term_changes WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def write_terms(conn: Connection, terms: Sequence[Term], scope: Scope) -> tuple[int, int, int]:
    """Insert or update ``terms`` in ``scope``'s layer; returns (added, updated, unchanged).

    Demotions are written before promotions so that moving 'approved' from one target to
    another in a single import never trips the one-approved-target index halfway. A new
    forbidden variant on an existing target counts as an update. Rows of the other layer
    (the province's for a station, and the other way round) are never touched.
    """
    added = updated = unchanged = 0
    layer = _layer(scope)
    ordered = sorted(terms, key=lambda t: t.status == TermStatus.APPROVED)
    for t in ordered:
        new_variants = 0
        for variant in t.forbidden:
            cursor = conn.execute(
                "INSERT INTO term_forbidden (term_key, language, variant, station_id)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (t.key, t.language, variant, scope.station_id),
            )
            new_variants += cursor.rowcount
        row = conn.execute(
            "SELECT id, term, status, note, source FROM terms"
            f" WHERE {_LAYER} = ? AND term_key = ? AND language = ? AND target = ?",
            (layer, t.key, t.language, t.target),
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO terms (term, term_key, language, target, status, note, source,"
                " station_id, from_station, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    t.term,
                    t.key,
                    t.language,
                    t.target,
                    str(t.status),
                    t.note,
                    t.source,
                    scope.station_id,
                    scope.from_station,
                    scope.created_by,
                ),
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


def demote_approved(conn: Connection, term: str, language: str, scope: Scope) -> int:
    """Make the approved target of ``term`` in ``language`` a proposed one, in ``scope``'s
    layer only; rows changed."""
    cursor = conn.execute(
        "UPDATE terms SET status = 'proposed'"
        f" WHERE {_LAYER} = ? AND term_key = ? AND language = ? AND status = 'approved'",
        (_layer(scope), term_key(term), language),
    )
    return cursor.rowcount


def terms_for_keys(db: Database, keys: Iterable[tuple[str, str]], scope: Scope) -> list[Term]:
    """Stored terms of ``scope``'s layer for some (term key, language) pairs: what an
    import into that layer is checked against (a station's own approved term overriding
    the province's is no conflict)."""
    wanted = set(keys)
    languages = {language for _, language in wanted}
    found: list[Term] = []
    for language in sorted(languages):
        found.extend(
            t for t in list_terms(db, language, scope=scope) if (t.key, language) in wanted
        )
    return found
