-- buildings and registrations become WITHOUT ROWID tables: keyed by (address_id, ...), a
-- rowid table stored each row twice, in the rowid B-tree and in its primary-key index, and
-- every insert wrote both. Clustered on the key, a property's rows are also adjacent. Same
-- columns in the same order; rebuilt by copy (SQLite cannot change a table's storage).
CREATE TABLE buildings_new (
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
) STRICT, WITHOUT ROWID;
INSERT INTO buildings_new SELECT * FROM buildings;
DROP TABLE buildings;
ALTER TABLE buildings_new RENAME TO buildings;

-- A registration ID is not unique across addresses: the key is (address, registration).
CREATE TABLE registrations_new (
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
) STRICT, WITHOUT ROWID;
INSERT INTO registrations_new SELECT * FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
