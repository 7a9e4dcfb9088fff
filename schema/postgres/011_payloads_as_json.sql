-- raw_json as json, not jsonb: the payload kept exactly as the API sent it (as SQLite keeps
-- it), still queried with -> and ->> (cast to jsonb for its operators and indexes). Parsing
-- each payload into jsonb was the largest single cost of a write: 20,000 payloads of ~6 KB
-- insert in ~2.0 s as jsonb, ~0.75 s as json (validated, not converted).
-- A new type resets a column's compression: the one it had (lz4 where 010 could set it) is
-- set again.
DO $$
DECLARE
  kept "char" := (SELECT attcompression FROM pg_attribute
                  WHERE attrelid = CAST('property_payloads' AS regclass) AND attname = 'raw_json');
BEGIN
  ALTER TABLE property_payloads ALTER COLUMN raw_json TYPE json USING CAST(raw_json AS json);
  IF kept = 'l' THEN
    ALTER TABLE property_payloads ALTER COLUMN raw_json SET COMPRESSION lz4;
  END IF;
END
$$;
