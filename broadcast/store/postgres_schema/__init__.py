"""The PostgreSQL schema of the store, as SQL files read with ``importlib.resources``.

Why SQL files and not Python like SQLite's migrations: there are no old PostgreSQL databases
to upgrade, so PostgreSQL starts from one baseline equal to SQLite's schema version 17
(``baseline.sql``: tables, indexes, views; ``triggers.sql``: the 39 triggers as PL/pgSQL),
loaded into an empty database in one transaction by ``broadcast.store.postgres``, which then
records version 17 in ``schema_migrations`` (the files themselves record nothing). Every
migration from 18 on must exist in two forms: SQLite's function in ``db.py`` and its
PostgreSQL counterpart here. ``tests/test_pg_schema.py`` compares the two catalogues and
runs the same raw statements on both stores, so they cannot drift apart unnoticed.
"""
