-- The payload moves out of properties into a table of its own. In properties it was ~8 KB
-- in the middle of the row: every column after it (last_seen_at, fetched_at, removed_at,
-- search_hash) lived on the row's overflow pages, so the lookup that bumps last_seen_at of
-- each discovered ID read the whole payload and wrote an overflow page per property. Without
-- it a properties row is a few hundred bytes, a page holds a dozen, and bumping a
-- municipality's IDs writes a page per dozen properties.
CREATE TABLE property_payloads (
  address_id TEXT NOT NULL PRIMARY KEY REFERENCES properties (address_id) ON DELETE CASCADE,
  raw_json   TEXT NOT NULL
) STRICT;
INSERT INTO property_payloads (address_id, raw_json) SELECT address_id, raw_json FROM properties ORDER BY rowid;
ALTER TABLE properties DROP COLUMN raw_json;
