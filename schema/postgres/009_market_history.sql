-- Market history (issue 17). cases.ended_at: a case the API no longer lists is kept, ended,
-- with its last price and days on market. property_events: one row per change the merge
-- observed (loaders/market_history.hpp has the rules), written in the transaction of the
-- change. The observed price history of a listing is its price_changed events.
ALTER TABLE cases ADD COLUMN ended_at TIMESTAMPTZ;

CREATE TABLE property_events (
  id          BIGSERIAL        PRIMARY KEY,
  address_id  TEXT             NOT NULL CHECK (address_id <> ''),
  kind        TEXT             NOT NULL CHECK (kind IN ('new', 'listed', 'price_changed', 'delisted', 'sold',
                                                       'removed', 'returned', 'relisted')),
  case_id     TEXT,
  old_price   BIGINT,
  new_price   BIGINT,
  percent     DOUBLE PRECISION,
  sale_amount BIGINT,
  sale_date   TEXT,
  run_id      BIGINT,
  observed_at TIMESTAMPTZ      NOT NULL
);

-- `etl changes`: by time, and by kind over time.
CREATE INDEX idx_property_events_observed_at ON property_events (observed_at);
CREATE INDEX idx_property_events_kind ON property_events (kind, observed_at);

-- Open real-estate listings of live properties (a rental's price is a deposit).
CREATE VIEW current_listings AS
SELECT c.address_id, c.case_id, p.road_name, p.house_number, p.zip_code, p.city_name, p.municipality_code,
       c.price_cash, COALESCE(p.living_area, c.housing_area) AS living_area,
       CAST(c.price_cash AS DOUBLE PRECISION) / NULLIF(COALESCE(p.living_area, c.housing_area), 0) AS price_per_m2,
       c.days_on_market
FROM cases c JOIN properties p ON p.address_id = c.address_id
WHERE c.ended_at IS NULL AND COALESCE(c.status, 'open') = 'open' AND COALESCE(c.distinction, 'real_estate') = 'real_estate'
  AND p.removed_at IS NULL;

-- Observed price cuts: the price_changed events whose new price is lower, percent < 0.
CREATE VIEW price_cuts AS
SELECT e.id AS event_id, e.address_id, e.case_id, p.road_name, p.house_number, p.zip_code, p.municipality_code,
       e.old_price, e.new_price, e.percent, e.observed_at, e.run_id
FROM property_events e JOIN properties p ON p.address_id = e.address_id
WHERE e.kind = 'price_changed' AND e.new_price < e.old_price;
