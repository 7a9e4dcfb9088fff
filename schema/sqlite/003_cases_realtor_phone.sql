-- cases.realtor_phone: cases[].realtor.contactInformation.phone (a string) of the payload.
-- Existing rows are backfilled from the stored payload (properties.raw_json), matching the
-- case by its caseID; a phone that is not a JSON string stays NULL, as the parser leaves it.
ALTER TABLE cases ADD COLUMN realtor_phone TEXT;

UPDATE cases SET realtor_phone = (
  SELECT json_extract(c.value, '$.realtor.contactInformation.phone')
  FROM properties p, json_each(p.raw_json, '$.cases') AS c
  WHERE p.address_id = cases.address_id
    AND CAST(json_extract(c.value, '$.caseID') AS TEXT) = cases.case_id
    AND json_type(c.value, '$.realtor.contactInformation.phone') = 'text'
  LIMIT 1)
WHERE EXISTS (
  SELECT 1 FROM properties p WHERE p.address_id = cases.address_id AND json_type(p.raw_json, '$.cases') = 'array');
