-- raw_json as json, not jsonb: the payload kept exactly as the API sent it (as SQLite keeps
-- it), still queried with -> and ->> (cast to jsonb for its operators and indexes). Parsing
-- each payload into jsonb was the largest single cost of a write: 20,000 payloads of ~6 KB
-- insert in ~2.0 s as jsonb, ~0.75 s as json (validated, not converted).
ALTER TABLE property_payloads ALTER COLUMN raw_json TYPE json USING CAST(raw_json AS json);
-- A new type resets the column's compression: lz4 again (002, 010).
DO $$
BEGIN
  ALTER TABLE property_payloads ALTER COLUMN raw_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  RAISE NOTICE 'lz4 is not available: raw_json keeps the default compression';
END
$$;
