-- raw_json is TOASTed (payloads are ~10 KB); lz4 compresses it several times faster than the
-- default pglz, which is most of the cost of inserting a property. Servers built without lz4
-- (or older than PostgreSQL 14) keep the default compression.
DO $$
BEGIN
  ALTER TABLE properties ALTER COLUMN raw_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  RAISE NOTICE 'lz4 is not available: raw_json keeps the default compression';
END
$$;
