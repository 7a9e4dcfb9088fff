-- propetl schema, PostgreSQL dialect. Timestamps are TIMESTAMPTZ; raw_json is JSONB;
-- payload_hash is the uint64 hash stored as the signed 64-bit integer with the same bit
-- pattern. Column order matches schema/sqlite/001_initial.sql so dumps compare across dialects.

CREATE TABLE properties (
  address_id        TEXT             NOT NULL PRIMARY KEY CHECK (address_id <> ''),
  address_type      TEXT,
  road_name         TEXT,
  house_number      TEXT,
  floor             TEXT,
  door              TEXT,
  city_name         TEXT,
  zip_code          BIGINT,
  municipality_code BIGINT,
  latitude          DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
  longitude         DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
  living_area       BIGINT           CHECK (living_area >= 0),
  weighted_area     DOUBLE PRECISION CHECK (weighted_area >= 0),
  latest_valuation  BIGINT           CHECK (latest_valuation >= 0),
  property_number   BIGINT,
  energy_label      TEXT,
  is_on_market      BOOLEAN,
  is_public         BOOLEAN,
  case_price        BIGINT           CHECK (case_price >= 0),
  raw_json          JSONB            NOT NULL,
  payload_hash      BIGINT           NOT NULL,
  first_seen_at     TIMESTAMPTZ      NOT NULL,
  last_seen_at      TIMESTAMPTZ      NOT NULL,
  fetched_at        TIMESTAMPTZ      NOT NULL,
  removed_at        TIMESTAMPTZ
);

CREATE INDEX idx_properties_municipality_code ON properties (municipality_code);
CREATE INDEX idx_properties_zip_code ON properties (zip_code);
CREATE INDEX idx_properties_is_on_market ON properties (is_on_market);
CREATE INDEX idx_properties_last_seen_at ON properties (last_seen_at);
CREATE INDEX idx_properties_fetched_at ON properties (fetched_at);

CREATE TABLE buildings (
  address_id             TEXT   NOT NULL REFERENCES properties (address_id) ON DELETE CASCADE,
  building_key           TEXT   NOT NULL CHECK (building_key <> ''),
  building_name          TEXT,
  year_built             BIGINT,
  year_renovated         BIGINT,
  housing_area           BIGINT,
  total_area             BIGINT,
  basement_area          BIGINT,
  number_of_rooms        BIGINT,
  number_of_floors       BIGINT,
  number_of_bathrooms    BIGINT,
  number_of_toilets      BIGINT,
  heating_installation   TEXT,
  external_wall_material TEXT,
  roofing_material       TEXT,
  PRIMARY KEY (address_id, building_key)
);

-- A registration ID is not unique across addresses: the key is (address, registration).
CREATE TABLE registrations (
  address_id        TEXT   NOT NULL REFERENCES properties (address_id) ON DELETE CASCADE,
  registration_id   TEXT   NOT NULL CHECK (registration_id <> ''),
  amount            BIGINT,
  date              TEXT,
  type              TEXT,
  living_area       BIGINT,
  area              BIGINT,
  per_area_price    BIGINT,
  municipality_code BIGINT,
  property_number   BIGINT,
  PRIMARY KEY (address_id, registration_id)
);

CREATE INDEX idx_registrations_registration_id ON registrations (registration_id);

CREATE TABLE cases (
  address_id              TEXT             NOT NULL REFERENCES properties (address_id) ON DELETE CASCADE,
  case_id                 TEXT             NOT NULL CHECK (case_id <> ''),
  status                  TEXT,
  price_cash              BIGINT,
  per_area_price          BIGINT,
  monthly_expense         BIGINT,
  days_on_market          BIGINT,
  housing_area            BIGINT,
  lot_area                BIGINT,
  price_change_percentage DOUBLE PRECISION,
  realtor_name            TEXT,
  case_url                TEXT,
  PRIMARY KEY (address_id, case_id)
);

-- Cascades from properties through cases.
CREATE TABLE price_changes (
  address_id TEXT             NOT NULL,
  case_id    TEXT             NOT NULL,
  date       TEXT             NOT NULL CHECK (date <> ''),
  price      BIGINT,
  percentage DOUBLE PRECISION,
  PRIMARY KEY (address_id, case_id, date),
  FOREIGN KEY (address_id, case_id) REFERENCES cases (address_id, case_id) ON DELETE CASCADE
);

CREATE TABLE municipalities (
  code                   BIGINT           NOT NULL PRIMARY KEY,
  name                   TEXT             NOT NULL,
  slug                   TEXT,
  church_tax_percentage  DOUBLE PRECISION,
  council_tax_percentage DOUBLE PRECISION,
  population             BIGINT
);

CREATE TABLE provinces (
  code        TEXT   NOT NULL PRIMARY KEY,
  name        TEXT   NOT NULL,
  region_code BIGINT
);

CREATE TABLE roads (
  road_id           TEXT   NOT NULL PRIMARY KEY,
  name              TEXT   NOT NULL,
  road_code         BIGINT,
  municipality_code BIGINT
);

CREATE TABLE zip_codes (
  zip_code BIGINT NOT NULL PRIMARY KEY,
  name     TEXT   NOT NULL
);

CREATE TABLE cities (
  slug TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE etl_runs (
  id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  status       TEXT        NOT NULL,
  command      TEXT        NOT NULL DEFAULT '',
  area         TEXT        NOT NULL DEFAULT '',
  refresh      TEXT        NOT NULL DEFAULT '',
  details_mode TEXT        NOT NULL DEFAULT '',
  summary_json TEXT        NOT NULL DEFAULT ''
);

-- One pending (unresolved) row per address; a repeated failure increments `attempts`.
CREATE TABLE etl_failures (
  id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address_id      TEXT        NOT NULL,
  stage           TEXT        NOT NULL,
  reason          TEXT        NOT NULL,
  source          TEXT        NOT NULL DEFAULT '',
  attempts        BIGINT      NOT NULL DEFAULT 1,
  first_failed_at TIMESTAMPTZ NOT NULL,
  last_failed_at  TIMESTAMPTZ NOT NULL,
  resolved_at     TIMESTAMPTZ
);

CREATE UNIQUE INDEX idx_etl_failures_pending ON etl_failures (address_id) WHERE resolved_at IS NULL;
CREATE INDEX idx_etl_failures_last_failed_at ON etl_failures (last_failed_at);
