-- Indexes the tool never reads, whose upkeep was most of the cost of loading: registration_id
-- (a random UUID in every registration row, ~14 per property) and last_seen_at/fetched_at,
-- which every lookup rewrites (indexed, each touch of a row also writes every index).
-- Listed properties keep a partial index: they are the few rows selected by that flag.
DROP INDEX IF EXISTS idx_registrations_registration_id;
DROP INDEX IF EXISTS idx_properties_last_seen_at;
DROP INDEX IF EXISTS idx_properties_fetched_at;
DROP INDEX IF EXISTS idx_properties_is_on_market;
CREATE INDEX idx_properties_on_market ON properties (municipality_code) WHERE is_on_market;
