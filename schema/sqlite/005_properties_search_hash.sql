-- properties.search_hash: the hash of the search item the property was last discovered as
-- (the uint64 stored as the signed 64-bit integer with the same bit pattern, like
-- payload_hash), so an incremental run can see which stored properties' search items
-- changed. Not in the payload: existing rows stay NULL until a run sets it.
ALTER TABLE properties ADD COLUMN search_hash INTEGER;
