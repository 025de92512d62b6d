-- Migration 19 on PostgreSQL: the province's shared memory and term base (issue 16, item 3).
--
-- An approval in any station writes its pair to the province's memory (station_id NULL)
-- when that station shares (station.toml [translation] share_with_province); imports and
-- term edits by a station stay its own. Every entry keeps the station it came from and the
-- person, so that a suggestion can say where it came from ("tỉnh — xã X, người Y").
-- NULL / '' for entries older than this migration. SQLite's migration 19 (broadcast/store/
-- db.py) adds the same columns.

ALTER TABLE tm_segments ADD COLUMN from_station bigint REFERENCES stations(id);
ALTER TABLE tm_segments ADD COLUMN created_by text NOT NULL DEFAULT '';
ALTER TABLE terms ADD COLUMN from_station bigint REFERENCES stations(id);
ALTER TABLE terms ADD COLUMN created_by text NOT NULL DEFAULT '';
-- A draft segment filled from another station's pair keeps where it came from.
ALTER TABLE segments ADD COLUMN origin_from text NOT NULL DEFAULT '';

-- Exact lookups ask for (language, source) in every station's and the province's rows: the
-- unique index of migration 18 starts with the station, so it cannot serve them.
CREATE INDEX tm_segments_source ON tm_segments (language, source);
