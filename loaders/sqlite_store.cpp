#include "loaders/sqlite_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>

#include "etl/core/errors.hpp"
#include "loaders/migrations.hpp"
#include "loaders/fold.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// Resets a cached statement before and after one use, so an earlier error or an
// unfinished SELECT never leaks into the next call (nor holds a read snapshot).
class Use {
 public:
  explicit Use(SQLite::Statement& s) : s_(s) {
    s_.tryReset();
    s_.clearBindings();
  }
  ~Use() { s_.tryReset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

 private:
  SQLite::Statement& s_;
};

void bind(SQLite::Statement& s, int i, const std::optional<std::string>& v) {
  if (v) s.bind(i, *v); else s.bind(i);
}
void bind(SQLite::Statement& s, int i, const std::optional<std::int64_t>& v) {
  if (v) s.bind(i, static_cast<int64_t>(*v)); else s.bind(i);
}
void bind(SQLite::Statement& s, int i, const std::optional<double>& v) {
  if (v) s.bind(i, *v); else s.bind(i);
}
void bind(SQLite::Statement& s, int i, const std::optional<bool>& v) {
  if (v) s.bind(i, static_cast<int32_t>(*v ? 1 : 0)); else s.bind(i);
}

constexpr const char* kUpsertProperty = R"sql(
INSERT INTO properties (address_id, address_type, road_name, house_number, floor, door, city_name,
  zip_code, municipality_code, latitude, longitude, living_area, weighted_area, latest_valuation,
  property_number, energy_label, is_on_market, is_public, case_price, raw_json, payload_hash,
  first_seen_at, last_seen_at, fetched_at, removed_at, search_hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
  ?22, ?22, ?22, NULL, ?23)
ON CONFLICT (address_id) DO UPDATE SET
  address_type = excluded.address_type, road_name = excluded.road_name,
  house_number = excluded.house_number, floor = excluded.floor, door = excluded.door,
  city_name = excluded.city_name, zip_code = excluded.zip_code,
  municipality_code = excluded.municipality_code, latitude = excluded.latitude,
  longitude = excluded.longitude, living_area = excluded.living_area,
  weighted_area = excluded.weighted_area, latest_valuation = excluded.latest_valuation,
  property_number = excluded.property_number, energy_label = excluded.energy_label,
  is_on_market = excluded.is_on_market, is_public = excluded.is_public,
  case_price = excluded.case_price, raw_json = excluded.raw_json,
  payload_hash = excluded.payload_hash, last_seen_at = excluded.last_seen_at,
  fetched_at = excluded.fetched_at, removed_at = NULL,
  search_hash = COALESCE(excluded.search_hash, search_hash)
)sql";

// Errors caused by the data of one row (a poison row), as opposed to the database being
// unusable (busy, read-only, full, I/O), which must fail the whole call instead.
bool is_row_error(const SQLite::Exception& e) {
  switch (e.getErrorCode() & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return true;
    default:
      return false;
  }
}

// What lookup and peek return. removed_at itself, not "removed_at IS NOT NULL": SQLite 3.40
// evaluates IS [NOT] NULL wrongly inside RETURNING on this table (always "not null").
constexpr const char* kStoredStateColumns = "address_id, fetched_at, is_on_market, removed_at, search_hash";

// Rows of kStoredStateColumns.
std::vector<StoredState> read_stored_states(SQLite::Statement& s) {
  std::vector<StoredState> out;
  while (s.executeStep()) {
    StoredState st;
    st.address_id = s.getColumn(0).getString();
    if (!s.getColumn(1).isNull()) st.fetched_at = parse_utc(s.getColumn(1).getString());
    st.is_on_market = !s.getColumn(2).isNull() && s.getColumn(2).getInt() != 0;
    st.removed = !s.getColumn(3).isNull();
    if (!s.getColumn(4).isNull()) st.search_hash = hash_from_db(s.getColumn(4).getInt64());
    out.push_back(std::move(st));
  }
  return out;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path)
      : path_(path),
        db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs) {
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA foreign_keys = ON");
    // With the default 2 MB page cache, re-reading pages dominated import time. A larger
    // cache instead of mmap: a mapped file would count in RSS and grow with the database.
    db_.exec("PRAGMA cache_size = -65536");
    db_.exec("PRAGMA temp_store = MEMORY");
    migrate();
    prepare();
  }

  std::string dialect() const override { return "sqlite"; }

  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) override {
    return guarded("look up stored IDs", [&] {
      if (ids.empty()) return std::vector<StoredState>{};
      auto& s = *lookup_;
      Use use(s);
      s.bind(1, format_utc(now));
      s.bind(2, json_string_array(ids));
      return read_stored_states(s);
    });
  }

  std::vector<StoredState> peek(const std::vector<std::string>& ids) override {
    return guarded("look up stored IDs", [&] {
      if (ids.empty()) return std::vector<StoredState>{};
      auto& s = *peek_;
      Use use(s);
      s.bind(1, json_string_array(ids));
      return read_stored_states(s);
    });
  }

  std::vector<MunicipalityCount> property_counts() override {
    return guarded("count properties", [&] {
      SQLite::Statement s(db_,
                          "SELECT p.municipality_code, COALESCE(m.name, ''), "
                          "SUM(p.removed_at IS NULL), SUM(p.removed_at IS NULL AND COALESCE(p.is_on_market, 0) = 1), "
                          "SUM(p.removed_at IS NOT NULL) FROM properties p "
                          "LEFT JOIN municipalities m ON m.code = p.municipality_code "
                          "WHERE p.municipality_code IS NOT NULL GROUP BY p.municipality_code, m.name "
                          "ORDER BY p.municipality_code");
      std::vector<MunicipalityCount> out;
      while (s.executeStep()) {
        out.push_back(MunicipalityCount{s.getColumn(0).getInt64(), s.getColumn(1).getString(),
                                        s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
                                        s.getColumn(4).getInt64()});
      }
      return out;
    });
  }

  UpsertResult upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) override {
    const std::lock_guard lock(mutex_);
    const auto folded = fold_batch(records);
    const std::string ts = format_utc(now);
    try {
      UpsertResult result;
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      for (const PropertyRecord* r : folded) write_record(*r, ts, result);
      tx.commit();
      return result;
    } catch (const SQLite::Exception& e) {
      if (!is_row_error(e)) throw StoreError("sqlite " + path_ + ": cannot write a batch: " + e.what());
      spdlog::warn("sqlite: batch of {} failed ({}); retrying row by row", folded.size(), e.what());
    }
    UpsertResult result;
    for (const PropertyRecord* r : folded) {
      std::string reason;
      try {
        UpsertResult one;
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        write_record(*r, ts, one);
        tx.commit();
        result.written += one.written;
        result.unchanged += one.unchanged;
        continue;
      } catch (const SQLite::Exception& e) {
        if (!is_row_error(e)) throw StoreError("sqlite " + path_ + ": cannot write a batch: " + e.what());
        reason = clip(e.what());
      }
      guarded_unlocked("record a failure", [&] { return write_failure(FailureRecord{r->address_id, "load", reason, ""}, now); });
      result.failures.push_back(UpsertFailure{r->address_id, reason});
    }
    return result;
  }

  void mark_removed(const std::vector<std::string>& ids, UnixTime now) override {
    if (ids.empty()) return;
    guarded("mark properties removed", [&] {
      const std::string ts = format_utc(now), list = json_string_array(ids);
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      for (SQLite::Statement* s : {mark_removed_.get(), resolve_failures_many_.get()}) {
        Use use(*s);
        s->bind(1, ts);
        s->bind(2, list);
        s->exec();
      }
      tx.commit();
      return 0;
    });
  }

  void record_failure(const FailureRecord& f, UnixTime now) override {
    guarded("record a failure", [&] { return write_failure(f, now); });
  }

  std::vector<PendingFailure> pending_failures(std::size_t limit) override {
    return guarded("list pending failures", [&] {
      SQLite::Statement s(db_,
                          "SELECT address_id, stage, reason, attempts, last_failed_at FROM etl_failures "
                          "WHERE resolved_at IS NULL ORDER BY last_failed_at, address_id LIMIT ?1");
      s.bind(1, static_cast<int64_t>(limit));
      std::vector<PendingFailure> out;
      while (s.executeStep()) {
        out.push_back(PendingFailure{s.getColumn(0).getString(), s.getColumn(1).getString(),
                                     s.getColumn(2).getString(), s.getColumn(3).getInt64(),
                                     parse_utc(s.getColumn(4).getString())});
      }
      return out;
    });
  }

  std::vector<std::string> ids_not_seen_since(std::int64_t municipality_code, UnixTime since) override {
    return guarded("list IDs not seen since a time", [&] {
      SQLite::Statement s(db_,
                          "SELECT address_id FROM properties WHERE municipality_code = ?1 AND removed_at IS NULL "
                          "AND last_seen_at < ?2 ORDER BY address_id");
      s.bind(1, static_cast<int64_t>(municipality_code));
      s.bind(2, format_utc(since));
      std::vector<std::string> out;
      while (s.executeStep()) out.push_back(s.getColumn(0).getString());
      return out;
    });
  }

  std::vector<StoredCase> open_cases(std::int64_t municipality_code) override {
    return guarded("list open cases", [&] {
      SQLite::Statement s(db_, open_cases_sql(DbKind::sqlite));
      s.bind(1, static_cast<int64_t>(municipality_code));
      std::vector<StoredCase> out;
      while (s.executeStep()) {
        StoredCase c{s.getColumn(0).getString(), s.getColumn(1).getString(), std::nullopt, s.getColumn(3).getString()};
        if (!s.getColumn(2).isNull()) c.price_cash = s.getColumn(2).getInt64();
        out.push_back(std::move(c));
      }
      return out;
    });
  }

  std::int64_t begin_run(const RunInfo& info, UnixTime now) override {
    return guarded("record the start of a run", [&] {
      SQLite::Statement s(db_,
                          "INSERT INTO etl_runs (started_at, status, command, area, refresh, details_mode) "
                          "VALUES (?1, 'running', ?2, ?3, ?4, ?5) RETURNING id");
      s.bind(1, format_utc(now));
      s.bind(2, redact_text(info.command));
      s.bind(3, info.area);
      s.bind(4, info.refresh);
      s.bind(5, info.details_mode);
      if (!s.executeStep()) throw StoreError("sqlite: INSERT INTO etl_runs returned no id");
      return static_cast<std::int64_t>(s.getColumn(0).getInt64());
    });
  }

  void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) override {
    const int changed = guarded("record the end of a run", [&] {
      SQLite::Statement s(db_, "UPDATE etl_runs SET finished_at = ?1, status = ?2, summary_json = ?3 WHERE id = ?4");
      s.bind(1, format_utc(now));
      s.bind(2, outcome.status);
      s.bind(3, redact_text(outcome.summary_json));
      s.bind(4, static_cast<int64_t>(run_id));
      return s.exec();
    });
    if (changed == 0) throw StoreError("sqlite: no run with id " + std::to_string(run_id) + " in etl_runs");
  }

  std::vector<RunRow> recent_runs(std::size_t limit) override {
    return guarded("list recent runs", [&] {
      SQLite::Statement s(db_,
                          "SELECT id, started_at, finished_at, status, command, summary_json FROM etl_runs "
                          "ORDER BY id DESC LIMIT ?1");
      s.bind(1, static_cast<int64_t>(limit));
      std::vector<RunRow> out;
      while (s.executeStep()) {
        RunRow r;
        r.id = s.getColumn(0).getInt64();
        r.started_at = parse_utc(s.getColumn(1).getString());
        if (!s.getColumn(2).isNull()) r.finished_at = parse_utc(s.getColumn(2).getString());
        r.status = s.getColumn(3).getString();
        r.command = s.getColumn(4).getString();
        r.summary_json = s.getColumn(5).getString();
        out.push_back(std::move(r));
      }
      return out;
    });
  }

 private:
  // Runs `fn` under the store's lock (one connection, any number of calling threads),
  // turning SQLite errors into a one-line StoreError.
  template <class Fn>
  auto guarded(const char* what, Fn&& fn) -> decltype(fn()) {
    const std::lock_guard lock(mutex_);
    return guarded_unlocked(what, std::forward<Fn>(fn));
  }

  template <class Fn>
  auto guarded_unlocked(const char* what, Fn&& fn) -> decltype(fn()) {
    try {
      return fn();
    } catch (const SQLite::Exception& e) {
      throw StoreError("sqlite " + path_ + ": cannot " + what + ": " + e.what());
    }
  }

  void migrate() {
    db_.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
    for (const auto& m : migrations_for("sqlite")) {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);  // also serialises migrators
      SQLite::Statement check(db_, "SELECT 1 FROM schema_migrations WHERE version = ?1");
      check.bind(1, m.version);
      if (check.executeStep()) continue;
      try {
        db_.exec(std::string(m.sql));
      } catch (const SQLite::Exception& e) {
        throw StoreError("sqlite " + path_ + ": migration " + std::to_string(m.version) + "_" + m.name +
                         " failed: " + e.what());
      }
      SQLite::Statement rec(db_, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      rec.bind(1, m.version);
      rec.bind(2, m.name);
      rec.bind(3, format_utc(static_cast<UnixTime>(std::time(nullptr))));
      rec.exec();
      tx.commit();
      spdlog::info("sqlite {}: applied migration {:03}_{}", path_, m.version, m.name);
    }
  }

  void prepare() {
    auto make = [&](const std::string& sql) { return std::make_unique<SQLite::Statement>(db_, sql); };
    lookup_ = make(fmt::format("UPDATE properties SET last_seen_at = ?1 "
                               "WHERE address_id IN (SELECT value FROM json_each(?2)) RETURNING {}",
                               kStoredStateColumns));
    peek_ = make(fmt::format("SELECT {} FROM properties WHERE address_id IN (SELECT value FROM json_each(?1))",
                             kStoredStateColumns));
    state_ = make("SELECT payload_hash, removed_at FROM properties WHERE address_id = ?1");
    touch_ = make(
        "UPDATE properties SET last_seen_at = ?2, fetched_at = ?2, search_hash = COALESCE(?3, search_hash) "
        "WHERE address_id = ?1");
    upsert_property_ = make(kUpsertProperty);
    delete_price_changes_ = make("DELETE FROM price_changes WHERE address_id = ?1");
    delete_cases_ = make("DELETE FROM cases WHERE address_id = ?1");
    delete_registrations_ = make("DELETE FROM registrations WHERE address_id = ?1");
    delete_buildings_ = make("DELETE FROM buildings WHERE address_id = ?1");
    insert_building_ = make(
        "INSERT INTO buildings (address_id, building_key, building_name, year_built, year_renovated, "
        "housing_area, total_area, basement_area, number_of_rooms, number_of_floors, number_of_bathrooms, "
        "number_of_toilets, heating_installation, external_wall_material, roofing_material) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    insert_registration_ = make(
        "INSERT INTO registrations (address_id, registration_id, amount, date, type, living_area, area, "
        "per_area_price, municipality_code, property_number) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    insert_case_ = make(
        "INSERT INTO cases (address_id, case_id, status, price_cash, per_area_price, monthly_expense, "
        "days_on_market, housing_area, lot_area, price_change_percentage, realtor_name, case_url, realtor_phone, "
        "distinction) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    insert_price_change_ = make(
        "INSERT INTO price_changes (address_id, case_id, date, price, percentage) VALUES (?1, ?2, ?3, ?4, ?5)");
    upsert_municipality_ = make(
        "INSERT INTO municipalities (code, name, slug, church_tax_percentage, council_tax_percentage, population) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
        "slug = COALESCE(excluded.slug, slug), "
        "church_tax_percentage = COALESCE(excluded.church_tax_percentage, church_tax_percentage), "
        "council_tax_percentage = COALESCE(excluded.council_tax_percentage, council_tax_percentage), "
        "population = COALESCE(excluded.population, population)");
    upsert_province_ = make(
        "INSERT INTO provinces (code, name, region_code) VALUES (?1, ?2, ?3) ON CONFLICT (code) DO UPDATE SET "
        "name = excluded.name, region_code = COALESCE(excluded.region_code, region_code)");
    upsert_road_ = make(
        "INSERT INTO roads (road_id, name, road_code, municipality_code) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (road_id) DO UPDATE SET name = excluded.name, "
        "road_code = COALESCE(excluded.road_code, road_code), "
        "municipality_code = COALESCE(excluded.municipality_code, municipality_code)");
    upsert_zip_ = make(
        "INSERT INTO zip_codes (zip_code, name) VALUES (?1, ?2) ON CONFLICT (zip_code) DO UPDATE SET "
        "name = excluded.name");
    upsert_city_ = make(
        "INSERT INTO cities (slug, name) VALUES (?1, ?2) ON CONFLICT (slug) DO UPDATE SET name = excluded.name");
    resolve_failures_ = make(
        "UPDATE etl_failures SET resolved_at = ?2 WHERE address_id = ?1 AND resolved_at IS NULL");
    resolve_failures_many_ = make(
        "UPDATE etl_failures SET resolved_at = ?1 WHERE resolved_at IS NULL "
        "AND address_id IN (SELECT value FROM json_each(?2))");
    mark_removed_ = make(
        "UPDATE properties SET removed_at = ?1 WHERE removed_at IS NULL "
        "AND address_id IN (SELECT value FROM json_each(?2))");
    record_failure_ = make(
        "INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
        "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) "
        "ON CONFLICT (address_id) WHERE resolved_at IS NULL DO UPDATE SET stage = excluded.stage, "
        "reason = excluded.reason, source = excluded.source, attempts = attempts + 1, "
        "last_failed_at = excluded.last_failed_at");
  }

  int write_failure(const FailureRecord& f, UnixTime now) {
    auto& s = *record_failure_;
    Use use(s);
    s.bind(1, f.address_id);
    s.bind(2, f.stage);
    s.bind(3, clip(redact_text(f.reason)));
    s.bind(4, redact_text(f.source));
    s.bind(5, format_utc(now));
    s.exec();
    return 0;
  }

  void delete_children(const std::string& id) {
    for (SQLite::Statement* s : {delete_price_changes_.get(), delete_cases_.get(), delete_registrations_.get(),
                                 delete_buildings_.get()}) {
      Use use(*s);
      s->bind(1, id);
      s->exec();
    }
  }

  void write_dimensions(const PropertyRecord& r) {
    if (r.municipality) {
      const auto& m = *r.municipality;
      auto& s = *upsert_municipality_;
      Use use(s);
      s.bind(1, static_cast<int64_t>(m.code));
      s.bind(2, m.name);
      bind(s, 3, m.slug);
      bind(s, 4, m.church_tax_percentage);
      bind(s, 5, m.council_tax_percentage);
      bind(s, 6, m.population);
      s.exec();
    }
    if (r.province) {
      auto& s = *upsert_province_;
      Use use(s);
      s.bind(1, r.province->code);
      s.bind(2, r.province->name);
      bind(s, 3, r.province->region_code);
      s.exec();
    }
    if (r.road) {
      auto& s = *upsert_road_;
      Use use(s);
      s.bind(1, r.road->road_id);
      s.bind(2, r.road->name);
      bind(s, 3, r.road->road_code);
      bind(s, 4, r.road->municipality_code);
      s.exec();
    }
    if (r.zip) {
      auto& s = *upsert_zip_;
      Use use(s);
      s.bind(1, static_cast<int64_t>(r.zip->zip_code));
      s.bind(2, r.zip->name);
      s.exec();
    }
    if (r.city) {
      auto& s = *upsert_city_;
      Use use(s);
      s.bind(1, r.city->slug);
      s.bind(2, r.city->name);
      s.exec();
    }
  }

  void write_record(const PropertyRecord& r, const std::string& ts, UpsertResult& result) {
    const std::optional<std::int64_t> search_hash = hash_to_db(r.search_hash);  // NULL keeps the stored one
    bool unchanged = false;
    {
      auto& s = *state_;
      Use use(s);
      s.bind(1, r.address_id);
      if (s.executeStep()) {
        unchanged = s.getColumn(0).getInt64() == hash_to_db(r.payload_hash) && s.getColumn(1).isNull();
      }
    }
    if (unchanged) {
      auto& s = *touch_;
      Use use(s);
      s.bind(1, r.address_id);
      s.bind(2, ts);
      bind(s, 3, search_hash);
      s.exec();
      ++result.unchanged;
    } else {
      write_dimensions(r);
      {
        auto& s = *upsert_property_;
        Use use(s);
        s.bind(1, r.address_id);
        bind(s, 2, r.address_type);
        bind(s, 3, r.road_name);
        bind(s, 4, r.house_number);
        bind(s, 5, r.floor);
        bind(s, 6, r.door);
        bind(s, 7, r.city_name);
        bind(s, 8, r.zip_code);
        bind(s, 9, r.municipality_code);
        bind(s, 10, r.latitude);
        bind(s, 11, r.longitude);
        bind(s, 12, r.living_area);
        bind(s, 13, r.weighted_area);
        bind(s, 14, r.latest_valuation);
        bind(s, 15, r.property_number);
        bind(s, 16, r.energy_label);
        bind(s, 17, r.is_on_market);
        bind(s, 18, r.is_public);
        bind(s, 19, r.case_price);
        s.bind(20, r.raw_json);
        s.bind(21, static_cast<int64_t>(hash_to_db(r.payload_hash)));
        s.bind(22, ts);
        bind(s, 23, search_hash);
        s.exec();
      }
      delete_children(r.address_id);
      const auto children = fold_children(r);
      for (const Building* b : children.buildings) {
        auto& s = *insert_building_;
        Use use(s);
        s.bind(1, r.address_id);
        s.bind(2, b->building_key);
        bind(s, 3, b->building_name);
        bind(s, 4, b->year_built);
        bind(s, 5, b->year_renovated);
        bind(s, 6, b->housing_area);
        bind(s, 7, b->total_area);
        bind(s, 8, b->basement_area);
        bind(s, 9, b->number_of_rooms);
        bind(s, 10, b->number_of_floors);
        bind(s, 11, b->number_of_bathrooms);
        bind(s, 12, b->number_of_toilets);
        bind(s, 13, b->heating_installation);
        bind(s, 14, b->external_wall_material);
        bind(s, 15, b->roofing_material);
        s.exec();
      }
      for (const Registration* g : children.registrations) {
        auto& s = *insert_registration_;
        Use use(s);
        s.bind(1, r.address_id);
        s.bind(2, g->registration_id);
        bind(s, 3, g->amount);
        bind(s, 4, g->date);
        bind(s, 5, g->type);
        bind(s, 6, g->living_area);
        bind(s, 7, g->area);
        bind(s, 8, g->per_area_price);
        bind(s, 9, g->municipality_code);
        bind(s, 10, g->property_number);
        s.exec();
      }
      for (const FoldedCase& fc : children.cases) {
        const ListingCase& c = *fc.listing;
        {
          auto& s = *insert_case_;
          Use use(s);
          s.bind(1, r.address_id);
          s.bind(2, c.case_id);
          bind(s, 3, c.status);
          bind(s, 4, c.price_cash);
          bind(s, 5, c.per_area_price);
          bind(s, 6, c.monthly_expense);
          bind(s, 7, c.days_on_market);
          bind(s, 8, c.housing_area);
          bind(s, 9, c.lot_area);
          bind(s, 10, c.price_change_percentage);
          bind(s, 11, c.realtor_name);
          bind(s, 12, c.case_url);
          bind(s, 13, c.realtor_phone);
          bind(s, 14, c.distinction);
          s.exec();
        }
        for (const PriceChange* p : fc.price_changes) {
          auto& s = *insert_price_change_;
          Use use(s);
          s.bind(1, r.address_id);
          s.bind(2, c.case_id);
          s.bind(3, p->date);
          bind(s, 4, p->price);
          bind(s, 5, p->percentage);
          s.exec();
        }
      }
      ++result.written;
    }
    auto& s = *resolve_failures_;
    Use use(s);
    s.bind(1, r.address_id);
    s.bind(2, ts);
    s.exec();
  }

  std::mutex mutex_;  // guards db_ and the statements: a Store may be shared by threads
  std::string path_;
  SQLite::Database db_;
  std::unique_ptr<SQLite::Statement> lookup_, peek_, state_, touch_, upsert_property_, delete_price_changes_, delete_cases_,
      delete_registrations_, delete_buildings_, insert_building_, insert_registration_, insert_case_,
      insert_price_change_, upsert_municipality_, upsert_province_, upsert_road_, upsert_zip_, upsert_city_,
      resolve_failures_, resolve_failures_many_, mark_removed_, record_failure_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  if (path != ":memory:") {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) throw StoreError("sqlite " + path + ": cannot create folder '" + parent.string() + "': " + ec.message());
    }
  }
  try {
    return std::make_unique<SqliteStore>(path);
  } catch (const SQLite::Exception& e) {
    throw StoreError("sqlite " + path + ": cannot open database: " + e.what());
  }
}

}  // namespace etl::loaders_detail
