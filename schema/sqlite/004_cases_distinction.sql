-- cases.distinction: cases[].distinction (a string: "real_estate" or "rental") of the payload.
-- Existing rows are backfilled from the stored payload (properties.raw_json), matching the
-- case by its caseID; a distinction that is not a JSON string stays NULL, as the parser leaves it.
ALTER TABLE cases ADD COLUMN distinction TEXT;

UPDATE cases SET distinction = (
  SELECT json_extract(c.value, '$.distinction')
  FROM properties p, json_each(p.raw_json, '$.cases') AS c
  WHERE p.address_id = cases.address_id
    AND CAST(json_extract(c.value, '$.caseID') AS TEXT) = cases.case_id
    AND json_type(c.value, '$.distinction') = 'text'
  LIMIT 1)
WHERE EXISTS (
  SELECT 1 FROM properties p WHERE p.address_id = cases.address_id AND json_type(p.raw_json, '$.cases') = 'array');
