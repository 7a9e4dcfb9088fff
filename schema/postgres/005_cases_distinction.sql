-- cases.distinction: cases[].distinction (a string: "real_estate" or "rental") of the payload.
-- Existing rows are backfilled from the stored payload (properties.raw_json), matching the
-- case by its caseID; a distinction that is not a JSON string stays NULL, as the parser leaves it.
ALTER TABLE cases ADD COLUMN distinction TEXT;

UPDATE cases SET distinction = c.value ->> 'distinction'
FROM properties p
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(p.raw_json -> 'cases') = 'array' THEN p.raw_json -> 'cases' ELSE '[]'::jsonb END) AS c(value)
WHERE p.address_id = cases.address_id
  AND jsonb_typeof(c.value) = 'object'
  AND c.value ->> 'caseID' = cases.case_id
  AND jsonb_typeof(c.value -> 'distinction') = 'string';
