-- The payload moves out of properties into a table of its own, as in the SQLite schema (whose
-- rows it made ~8 KB wide): one table map for both dialects. Here raw_json was TOASTed
-- already, so this costs an index entry per property and keeps lz4 (002).
CREATE TABLE property_payloads (
  address_id TEXT  NOT NULL PRIMARY KEY REFERENCES properties (address_id) ON DELETE CASCADE,
  raw_json   JSONB NOT NULL
);
DO $$
BEGIN
  ALTER TABLE property_payloads ALTER COLUMN raw_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  RAISE NOTICE 'lz4 is not available: raw_json keeps the default compression';
END
$$;
INSERT INTO property_payloads (address_id, raw_json) SELECT address_id, raw_json FROM properties;
ALTER TABLE properties DROP COLUMN raw_json;
