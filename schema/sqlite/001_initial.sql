-- propetl schema, SQLite dialect. Timestamps are ISO-8601 UTC text 'YYYY-MM-DDTHH:MM:SSZ'
-- (fixed width, so text order is time order); booleans are 0/1; payload_hash is the
-- uint64 hash stored as the signed 64-bit integer with the same bit pattern.
-- Column order matches schema/postgres/001_initial.sql so dumps compare across dialects.

CREATE TABLE properties (
  address_id        TEXT    NOT NULL PRIMARY KEY CHECK (address_id <> ''),
  address_type      TEXT,
  road_name         TEXT,
  house_number      TEXT,
  floor             TEXT,
  door              TEXT,
  city_name         TEXT,
  zip_code          INTEGER,
  municipality_code INTEGER,
  latitude          REAL    CHECK (latitude BETWEEN -90 AND 90),
  longitude         REAL    CHECK (longitude BETWEEN -180 AND 180),
  living_area       INTEGER CHECK (living_area >= 0),
  weighted_area     REAL    CHECK (weighted_area >= 0),
  latest_valuation  INTEGER CHECK (latest_valuation >= 0),
  property_number   INTEGER,
  energy_label      TEXT,
  is_on_market      INTEGER CHECK (is_on_market IN (0, 1)),
  is_public         INTEGER CHECK (is_public IN (0, 1)),
  case_price        INTEGER CHECK (case_price >= 0),
  raw_json          TEXT    NOT NULL,
  payload_hash      INTEGER NOT NULL,
  first_seen_at     TEXT    NOT NULL,
  last_seen_at      TEXT    NOT NULL,
  fetched_at        TEXT    NOT NULL,
  removed_at        TEXT
) STRICT;

CREATE INDEX idx_properties_municipality_code ON properties (municipality_code);
CREATE INDEX idx_properties_zip_code ON properties (zip_code);
CREATE INDEX idx_properties_is_on_market ON properties (is_on_market);
CREATE INDEX idx_properties_last_seen_at ON properties (last_seen_at);
CREATE INDEX idx_properties_fetched_at ON properties (fetched_at);

CREATE TABLE buildings (
  address_id             TEXT    NOT NULL REFERENCES properties (address_id) ON DELETE CASCADE,
  building_key           TEXT    NOT NULL CHECK (building_key <> ''),
  building_name          TEXT,
  year_built             INTEGER,
  year_renovated         INTEGER,
  housing_area           INTEGER,
  total_area             INTEGER,
  basement_area          INTEGER,
  number_of_rooms        INTEGER,
  number_of_floors       INTEGER,
  number_of_bathrooms    INTEGER,
  number_of_toilets      INTEGER,
  heating_installation   TEXT,
  external_wall_material TEXT,
  roofing_material       TEXT,
  PRIMARY KEY (address_id, building_key)
) STRICT;

-- A registration ID is not unique across addresses: the key is (address, registration).
CREATE TABLE registrations (
  address_id        TEXT    NOT NULL REFERENCES properties (address_id) ON DELETE CASCADE,
  registration_id   TEXT    NOT NULL CHECK (registration_id <> ''),
  amount            INTEGER,
  date              TEXT,
  type              TEXT,
  living_area       INTEGER,
  area              INTEGER,
  per_area_price    INTEGER,
  municipality_code INTEGER,
  property_number   INTEGER,
  PRIMARY KEY (address_id, registration_id)
) STRICT;

CREATE INDEX idx_registrations_registration_id ON registrations (registration_id);

CREATE TABLE cases (
  address_id              TEXT    NOT NULL REFERENCES properties (address_id) ON DELETE CASCADE,
  case_id                 TEXT    NOT NULL CHECK (case_id <> ''),
  status                  TEXT,
  price_cash              INTEGER,
  per_area_price          INTEGER,
  monthly_expense         INTEGER,
  days_on_market          INTEGER,
  housing_area            INTEGER,
  lot_area                INTEGER,
  price_change_percentage REAL,
  realtor_name            TEXT,
  case_url                TEXT,
  PRIMARY KEY (address_id, case_id)
) STRICT;

-- Cascades from properties through cases.
CREATE TABLE price_changes (
  address_id TEXT    NOT NULL,
  case_id    TEXT    NOT NULL,
  date       TEXT    NOT NULL CHECK (date <> ''),
  price      INTEGER,
  percentage REAL,
  PRIMARY KEY (address_id, case_id, date),
  FOREIGN KEY (address_id, case_id) REFERENCES cases (address_id, case_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE municipalities (
  code                   INTEGER NOT NULL PRIMARY KEY,
  name                   TEXT    NOT NULL,
  slug                   TEXT,
  church_tax_percentage  REAL,
  council_tax_percentage REAL,
  population             INTEGER
) STRICT;

CREATE TABLE provinces (
  code        TEXT    NOT NULL PRIMARY KEY,
  name        TEXT    NOT NULL,
  region_code INTEGER
) STRICT;

CREATE TABLE roads (
  road_id           TEXT    NOT NULL PRIMARY KEY,
  name              TEXT    NOT NULL,
  road_code         INTEGER,
  municipality_code INTEGER
) STRICT;

CREATE TABLE zip_codes (
  zip_code INTEGER NOT NULL PRIMARY KEY,
  name     TEXT    NOT NULL
) STRICT;

CREATE TABLE cities (
  slug TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE etl_runs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at   TEXT    NOT NULL,
  finished_at  TEXT,
  status       TEXT    NOT NULL,
  command      TEXT    NOT NULL DEFAULT '',
  area         TEXT    NOT NULL DEFAULT '',
  refresh      TEXT    NOT NULL DEFAULT '',
  details_mode TEXT    NOT NULL DEFAULT '',
  summary_json TEXT    NOT NULL DEFAULT ''
) STRICT;

-- One pending (unresolved) row per address; a repeated failure increments `attempts`.
CREATE TABLE etl_failures (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  address_id      TEXT    NOT NULL,
  stage           TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  source          TEXT    NOT NULL DEFAULT '',
  attempts        INTEGER NOT NULL DEFAULT 1,
  first_failed_at TEXT    NOT NULL,
  last_failed_at  TEXT    NOT NULL,
  resolved_at     TEXT
) STRICT;

CREATE UNIQUE INDEX idx_etl_failures_pending ON etl_failures (address_id) WHERE resolved_at IS NULL;
CREATE INDEX idx_etl_failures_last_failed_at ON etl_failures (last_failed_at);
