-- current_listings gets the municipality's name (issue 36), so a listing reads without a join.
-- The existing columns keep their order and the new one comes last, so readers by position
-- stay right; LEFT JOIN: a listing whose municipality is not stored keeps its row (NULL name).
DROP VIEW IF EXISTS current_listings;
CREATE VIEW current_listings AS
SELECT c.address_id, c.case_id, p.road_name, p.house_number, p.zip_code, p.city_name, p.municipality_code,
       c.price_cash, COALESCE(p.living_area, c.housing_area) AS living_area,
       CAST(c.price_cash AS REAL) / NULLIF(COALESCE(p.living_area, c.housing_area), 0) AS price_per_m2,
       c.days_on_market, m.name AS municipality
FROM cases c JOIN properties p ON p.address_id = c.address_id
LEFT JOIN municipalities m ON m.code = p.municipality_code
WHERE c.ended_at IS NULL AND COALESCE(c.status, 'open') = 'open' AND COALESCE(c.distinction, 'real_estate') = 'real_estate'
  AND p.removed_at IS NULL;
