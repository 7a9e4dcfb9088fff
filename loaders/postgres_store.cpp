#include "loaders/postgres_store.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include "etl/core/errors.hpp"
#include "loaders/migrations.hpp"
#include "loaders/pg_bulk_statement.hpp"
#include "loaders/soci_compat.hpp"
#include "loaders/fold.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// Thrown inside a batch when the error is the connection's, not a row's.
struct ConnectionLost {
  std::string message;
};

// What lookup and peek return, read by read_stored_states.
constexpr const char* kStoredStateColumns =
    "address_id, CAST(EXTRACT(EPOCH FROM fetched_at) AS bigint), CAST(COALESCE(is_on_market, false) AS integer), "
    "CAST(removed_at IS NOT NULL AS integer), search_hash";

std::vector<StoredState> read_stored_states(soci::rowset<soci::row>& rows) {
  std::vector<StoredState> out;
  for (const soci::row& r : rows) {
    StoredState s;
    s.address_id = r.get<std::string>(0);
    if (r.get_indicator(1) != soci::i_null) s.fetched_at = r.get<long long>(1);
    s.is_on_market = r.get<int>(2) != 0;
    s.removed = r.get<int>(3) != 0;
    if (r.get_indicator(4) != soci::i_null) s.search_hash = hash_from_db(r.get<long long>(4));
    out.push_back(std::move(s));
  }
  return out;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const std::string& url) : url_(url), redacted_(redact_db_url(url)) {
    connect();
    migrate();
  }

  std::string dialect() const override { return "postgresql"; }

  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) override {
    return run("look up stored IDs", [&] {
      if (ids.empty()) return std::vector<StoredState>{};
      const std::string list = text_array(ids);
      long long ts = now;
      soci::rowset<soci::row> rows =
          (sql_.prepare << fmt::format("UPDATE properties SET last_seen_at = to_timestamp(:now) "
                                       "WHERE address_id = ANY(CAST(:ids AS text[])) RETURNING {}",
                                       kStoredStateColumns),
           soci::use(ts), soci::use(list));
      return read_stored_states(rows);
    });
  }

  std::vector<StoredState> peek(const std::vector<std::string>& ids) override {
    return run("look up stored IDs", [&] {
      if (ids.empty()) return std::vector<StoredState>{};
      const std::string list = text_array(ids);
      soci::rowset<soci::row> rows =
          (sql_.prepare << fmt::format("SELECT {} FROM properties WHERE address_id = ANY(CAST(:ids AS text[]))",
                                       kStoredStateColumns),
           soci::use(list));
      return read_stored_states(rows);
    });
  }

  std::vector<StoredCase> open_cases(std::int64_t municipality_code) override {
    return run("list open cases", [&] {
      long long code = municipality_code;
      soci::rowset<soci::row> rows = (sql_.prepare << open_cases_sql(DbKind::postgresql), soci::use(code));
      std::vector<StoredCase> out;
      for (const soci::row& r : rows) {
        StoredCase c{r.get<std::string>(0), r.get<std::string>(1), std::nullopt, r.get<std::string>(3)};
        if (r.get_indicator(2) != soci::i_null) c.price_cash = r.get<long long>(2);
        out.push_back(std::move(c));
      }
      return out;
    });
  }

  std::vector<MunicipalityCount> property_counts() override {
    return run("count properties", [&] {
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT p.municipality_code, COALESCE(m.name, ''), "
                           "CAST(COUNT(*) FILTER (WHERE p.removed_at IS NULL) AS bigint), "
                           "CAST(COUNT(*) FILTER (WHERE p.removed_at IS NULL AND COALESCE(p.is_on_market, false)) "
                           "AS bigint), CAST(COUNT(*) FILTER (WHERE p.removed_at IS NOT NULL) AS bigint) "
                           "FROM properties p LEFT JOIN municipalities m ON m.code = p.municipality_code "
                           "WHERE p.municipality_code IS NOT NULL GROUP BY p.municipality_code, m.name "
                           "ORDER BY p.municipality_code");
      std::vector<MunicipalityCount> out;
      for (const soci::row& r : rows) {
        out.push_back(MunicipalityCount{r.get<long long>(0), r.get<std::string>(1), r.get<long long>(2),
                                        r.get<long long>(3), r.get<long long>(4)});
      }
      return out;
    });
  }

  UpsertResult upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) override {
    const auto folded = fold_batch(records);
    return run("write a batch", [&] {
      try {
        UpsertResult result;
        soci::transaction tx(sql_);
        write(folded, now, result);
        tx.commit();
        return result;
      } catch (const soci::soci_error& e) {
        if (connection_bad()) throw;
        spdlog::warn("postgresql: batch of {} failed ({}); retrying row by row", folded.size(), one_line(e.what()));
      }
      UpsertResult result;
      for (const PropertyRecord* r : folded) {
        std::string reason;
        try {
          UpsertResult one;
          soci::transaction tx(sql_);
          write({r}, now, one);
          tx.commit();
          result.written += one.written;
          result.unchanged += one.unchanged;
          continue;
        } catch (const soci::soci_error& e) {
          if (connection_bad()) throw;
          reason = clip(one_line(e.what()));
        }
        record_failure_now(FailureRecord{r->address_id, "load", reason, ""}, now);
        result.failures.push_back(UpsertFailure{r->address_id, reason});
      }
      return result;
    });
  }

  void mark_removed(const std::vector<std::string>& ids, UnixTime now) override {
    if (ids.empty()) return;
    run("mark properties removed", [&] {
      const std::string list = text_array(ids);
      long long ts = now;
      soci::transaction tx(sql_);
      sql_ << "UPDATE properties SET removed_at = to_timestamp(:now) WHERE removed_at IS NULL "
              "AND address_id = ANY(CAST(:ids AS text[]))",
          soci::use(ts), soci::use(list);
      sql_ << "UPDATE etl_failures SET resolved_at = to_timestamp(:now) WHERE resolved_at IS NULL "
              "AND address_id = ANY(CAST(:ids AS text[]))",
          soci::use(ts), soci::use(list);
      tx.commit();
      return 0;
    });
  }

  void record_failure(const FailureRecord& f, UnixTime now) override {
    run("record a failure", [&] {
      record_failure_now(f, now);
      return 0;
    });
  }

  std::vector<PendingFailure> pending_failures(std::size_t limit) override {
    return run("list pending failures", [&] {
      long long lim = static_cast<long long>(limit);
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT address_id, stage, reason, attempts, "
                           "CAST(EXTRACT(EPOCH FROM last_failed_at) AS bigint) FROM etl_failures "
                           "WHERE resolved_at IS NULL ORDER BY last_failed_at, address_id LIMIT :lim",
           soci::use(lim));
      std::vector<PendingFailure> out;
      for (const soci::row& r : rows) {
        out.push_back(PendingFailure{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                                     r.get<long long>(3), r.get<long long>(4)});
      }
      return out;
    });
  }

  std::vector<std::string> ids_not_seen_since(std::int64_t municipality_code, UnixTime since) override {
    return run("list IDs not seen since a time", [&] {
      long long code = municipality_code, ts = since;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT address_id FROM properties WHERE municipality_code = :code "
                           "AND removed_at IS NULL AND last_seen_at < to_timestamp(:since) ORDER BY address_id",
           soci::use(code), soci::use(ts));
      std::vector<std::string> out;
      for (const soci::row& r : rows) out.push_back(r.get<std::string>(0));
      return out;
    });
  }

  std::int64_t begin_run(const RunInfo& info, UnixTime now) override {
    return run("record the start of a run", [&] {
      long long ts = now, id = 0;
      const std::string command = redact_text(info.command, url_);
      sql_ << "INSERT INTO etl_runs (started_at, status, command, area, refresh, details_mode) "
              "VALUES (to_timestamp(:now), 'running', :command, :area, :refresh, :details) RETURNING id",
          soci::use(ts), soci::use(command), soci::use(info.area), soci::use(info.refresh),
          soci::use(info.details_mode), soci::into(id);
      return static_cast<std::int64_t>(id);
    });
  }

  void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) override {
    const long long changed = run("record the end of a run", [&] {
      long long ts = now, id = run_id;
      const std::string summary = redact_text(outcome.summary_json, url_);
      soci::statement st = (sql_.prepare << "UPDATE etl_runs SET finished_at = to_timestamp(:now), status = :status, "
                                            "summary_json = :summary WHERE id = :id",
                            soci::use(ts), soci::use(outcome.status), soci::use(summary), soci::use(id));
      st.execute(true);
      return st.get_affected_rows();
    });
    if (changed == 0) throw StoreError("postgresql: no run with id " + std::to_string(run_id) + " in etl_runs");
  }

  std::vector<RunRow> recent_runs(std::size_t limit) override {
    return run("list recent runs", [&] {
      long long lim = static_cast<long long>(limit);
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, CAST(EXTRACT(EPOCH FROM started_at) AS bigint), "
                           "CAST(EXTRACT(EPOCH FROM finished_at) AS bigint), status, command, summary_json "
                           "FROM etl_runs ORDER BY id DESC LIMIT :lim",
           soci::use(lim));
      std::vector<RunRow> out;
      for (const soci::row& r : rows) {
        RunRow row;
        row.id = r.get<long long>(0);
        row.started_at = r.get<long long>(1);
        if (r.get_indicator(2) != soci::i_null) row.finished_at = r.get<long long>(2);
        row.status = r.get<std::string>(3);
        row.command = r.get<std::string>(4);
        row.summary_json = r.get<std::string>(5);
        out.push_back(std::move(row));
      }
      return out;
    });
  }

 private:
  // SOCI appends the whole statement and every bound value ("while executing ... with
  // :c0=..."): drop that (it can be megabytes of payload) and keep PostgreSQL's message.
  static std::string one_line(std::string s) {
    if (const auto pos = s.find(" while executing \""); pos != std::string::npos) s.erase(pos);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    for (auto& c : s) {
      if (c == '\n') c = ' ';
    }
    return s;
  }

  PGconn* native() {
    auto* be = static_cast<soci::postgresql_session_backend*>(sql_.get_backend());
    return be ? be->conn_ : nullptr;
  }

  bool connection_bad() {
    PGconn* c = native();
    return c == nullptr || PQstatus(c) != CONNECTION_OK;
  }

  std::string conninfo() const {
    // A connect timeout and an application name unless the URL sets them.
    std::string ci = pg_conninfo(url_);
    if (ci.find("connect_timeout=") == std::string::npos) ci += " connect_timeout=10";
    if (ci.find("application_name=") == std::string::npos) ci += " application_name=propetl";
    return ci;
  }

  void connect() {
    try {
      if (sql_.get_backend() == nullptr) {
        sql_.open(*soci::factory_postgresql(), conninfo());
      } else {
        sql_.reconnect();
      }
      sql_ << "SET client_min_messages = warning";
    } catch (const soci::soci_error& e) {
      throw StoreError("postgresql " + redacted_ + ": cannot connect: " + redact_text(one_line(e.what()), url_));
    }
  }

  // Runs `fn`; a lost connection is re-established once and `fn` retried (every call is
  // idempotent or its own transaction, so a retry cannot double a row). Errors become a
  // one-line StoreError with any password removed.
  template <class Fn>
  auto run(const char* what, Fn&& fn) -> decltype(fn()) {
    const std::lock_guard lock(mutex_);  // one session, any number of calling threads
    for (int attempt = 0;; ++attempt) {
      std::string message;
      try {
        if (connection_bad()) connect();
        return fn();
      } catch (const soci::soci_error& e) {
        message = clip(one_line(e.what()));
      }
      if (!connection_bad() || attempt >= 1) {
        throw StoreError("postgresql " + redacted_ + ": cannot " + what + ": " + redact_text(message, url_));
      }
      spdlog::warn("postgresql {}: connection lost ({}); reconnecting", redacted_, redact_text(message, url_));
    }
  }

  void exec_script(const std::string& script, const std::string& label) {
    PGresult* res = PQexec(native(), script.c_str());
    const auto status = PQresultStatus(res);
    const std::string error = res ? PQresultErrorMessage(res) : "no result";
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw StoreError("postgresql " + redacted_ + ": migration " + label + " failed: " + one_line(error));
    }
  }

  void migrate() {
    // Concurrent migrators are serialised by a transaction-scoped advisory lock.
    const long long lock_key = 0x70726f7065746cLL;  // "propetl"
    auto applied = [&] {
      std::set<long long> versions;
      soci::rowset<soci::row> rows = (sql_.prepare << "SELECT CAST(version AS bigint) FROM schema_migrations");
      for (const soci::row& r : rows) versions.insert(r.get<long long>(0));
      return versions;
    };
    try {
      {
        soci::transaction tx(sql_);
        sql_ << "SELECT pg_advisory_xact_lock(:k)", soci::use(lock_key);
        sql_ << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)";
        tx.commit();
      }
      const auto done = applied();
      for (const auto& m : migrations_for("postgres")) {
        if (done.count(m.version)) continue;
        soci::transaction tx(sql_);
        sql_ << "SELECT pg_advisory_xact_lock(:k)", soci::use(lock_key);
        if (applied().count(m.version)) continue;  // another process got there first
        const std::string label = fmt::format("{:03}_{}", m.version, m.name);
        exec_script(std::string(m.sql), label);
        long long version = m.version;
        sql_ << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, now())",
            soci::use(version), soci::use(m.name);
        tx.commit();
        spdlog::info("postgresql {}: applied migration {}", redacted_, label);
      }
    } catch (const soci::soci_error& e) {
      throw StoreError("postgresql " + redacted_ + ": cannot migrate: " + redact_text(one_line(e.what()), url_));
    }
  }

  void record_failure_now(const FailureRecord& f, UnixTime now) {
    long long ts = now;
    const std::string reason = clip(redact_text(f.reason, url_)), source = redact_text(f.source, url_);
    sql_ << "INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
            "VALUES (:id, :stage, :reason, :source, 1, to_timestamp(:t1), to_timestamp(:t2)) "
            "ON CONFLICT (address_id) WHERE resolved_at IS NULL DO UPDATE SET stage = EXCLUDED.stage, "
            "reason = EXCLUDED.reason, source = EXCLUDED.source, attempts = etl_failures.attempts + 1, "
            "last_failed_at = EXCLUDED.last_failed_at",
        soci::use(f.address_id), soci::use(f.stage), soci::use(reason), soci::use(source), soci::use(ts),
        soci::use(ts);
  }

  // The whole merge of `records` (already folded): a lookup of what is stored, the DELETE of
  // replaced children when there are any, then every write as one statement.
  void write(const std::vector<const PropertyRecord*>& records, UnixTime now, UpsertResult& result) {
    std::vector<std::string> ids;
    for (const auto* r : records) ids.push_back(r->address_id);
    const std::string id_list = text_array(ids);

    // 1. What is stored: an unchanged payload (same hash, not removed) is only touched.
    std::unordered_map<std::string, std::pair<long long, bool>> stored;
    {
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT address_id, payload_hash, CAST(removed_at IS NOT NULL AS integer) "
                           "FROM properties WHERE address_id = ANY(CAST(:ids AS text[]))",
           soci::use(id_list));
      for (const soci::row& r : rows) stored[r.get<std::string>(0)] = {r.get<long long>(1), r.get<int>(2) != 0};
    }
    std::vector<const PropertyRecord*> changed, unchanged;
    std::vector<std::string> replaced_ids;
    for (const auto* r : records) {
      const auto it = stored.find(r->address_id);
      if (it != stored.end() && it->second.first == hash_to_db(r->payload_hash) && !it->second.second) {
        unchanged.push_back(r);
      } else {
        changed.push_back(r);
        if (it != stored.end()) replaced_ids.push_back(r->address_id);
      }
    }

    // 2. Only addresses stored before this batch have children to replace. The semi-join keeps
    // the DELETE on the primary key even before the tables have statistics (= ANY would plan
    // a sequential scan of every child row for each batch of a first import).
    if (!replaced_ids.empty()) {
      const std::string list = text_array(replaced_ids);
      for (const char* table : {"price_changes", "cases", "registrations", "buildings"}) {
        sql_ << "DELETE FROM " + std::string(table) + " WHERE address_id IN (SELECT unnest(CAST(:ids AS text[])))",
            soci::use(list);
      }
    }

    // 3. Every write. The children's foreign keys are checked at the end of the statement,
    // when their parents inserted by an earlier part are there.
    PgBulkStatement w;
    if (!unchanged.empty()) {
      Columns c;
      for (const auto* r : unchanged) {
        c.col("address_id", "text").text(r->address_id);
        c.col("search_hash", "bigint").add(hash_to_db(r->search_hash));
      }
      const std::string t1 = w.param(now), t2 = w.param(now);
      w.add(fmt::format("UPDATE properties SET last_seen_at = to_timestamp(CAST({} AS bigint)), "
                        "fetched_at = to_timestamp(CAST({} AS bigint)), "
                        "search_hash = COALESCE(t.search_hash, properties.search_hash) FROM {} "
                        "WHERE properties.address_id = t.address_id",
                        t1, t2, w.unnest(c)));
    }
    if (!changed.empty()) {
      write_dimensions(changed, w);
      write_properties(changed, now, w);
      write_children(changed, w);
    }
    // Successful rows settle that ID's pending failures.
    const std::string t = w.param(now), list = w.param(id_list);
    w.add("UPDATE etl_failures SET resolved_at = to_timestamp(CAST(" + t + " AS bigint)) WHERE resolved_at IS NULL "
          "AND address_id = ANY(CAST(" + list + " AS text[]))");
    w.execute(sql_);
    result.written += static_cast<std::int64_t>(changed.size());
    result.unchanged += static_cast<std::int64_t>(unchanged.size());
  }

  void write_properties(const std::vector<const PropertyRecord*>& records, long long now, PgBulkStatement& w) {
    Columns c;
    for (const auto* r : records) {
      c.col("address_id", "text").text(r->address_id);
      c.col("address_type", "text").add(r->address_type);
      c.col("road_name", "text").add(r->road_name);
      c.col("house_number", "text").add(r->house_number);
      c.col("floor", "text").add(r->floor);
      c.col("door", "text").add(r->door);
      c.col("city_name", "text").add(r->city_name);
      c.col("zip_code", "bigint").add(r->zip_code);
      c.col("municipality_code", "bigint").add(r->municipality_code);
      c.col("latitude", "double precision").add(r->latitude);
      c.col("longitude", "double precision").add(r->longitude);
      c.col("living_area", "bigint").add(r->living_area);
      c.col("weighted_area", "double precision").add(r->weighted_area);
      c.col("latest_valuation", "bigint").add(r->latest_valuation);
      c.col("property_number", "bigint").add(r->property_number);
      c.col("energy_label", "text").add(r->energy_label);
      c.col("is_on_market", "boolean").add(r->is_on_market);
      c.col("is_public", "boolean").add(r->is_public);
      c.col("case_price", "bigint").add(r->case_price);
      c.col("payload_hash", "bigint").integer(hash_to_db(r->payload_hash));
      c.col("search_hash", "bigint").add(hash_to_db(r->search_hash));
      c.col("fetched_at", "bigint").integer(now);
    }
    // fetched_at carries the run time per row; first_seen_at/last_seen_at are derived from it.
    // A record without a search_hash keeps the stored one.
    std::string updates;
    for (const auto& n : c.names) {
      if (n == "search_hash") {
        updates += fmt::format("{0} = COALESCE(EXCLUDED.{0}, properties.{0}), ", n);
      } else if (n != "address_id") {
        updates += fmt::format("{0} = EXCLUDED.{0}, ", n);
      }
    }
    const std::string rows = w.unnest(c, true);
    // Each payload is a parameter of its own, row n of a VALUES list: inside a text[] literal
    // every quote of the JSON would be escaped, and unescaping ~10 KB per row in array_in
    // was a tenth of the server's time.
    std::string docs;
    for (std::size_t i = 0; i < records.size(); ++i) {
      docs += fmt::format("{}({}, CAST({} AS jsonb))", i ? ", " : "", i + 1, w.param(records[i]->raw_json));
    }
    w.add("INSERT INTO properties (address_id, address_type, road_name, house_number, floor, door, city_name, "
          "zip_code, municipality_code, latitude, longitude, living_area, weighted_area, latest_valuation, "
          "property_number, energy_label, is_on_market, is_public, case_price, payload_hash, search_hash, fetched_at, "
          "raw_json, first_seen_at, last_seen_at, removed_at) "
          "SELECT t.address_id, t.address_type, t.road_name, t.house_number, t.floor, t.door, t.city_name, "
          "t.zip_code, t.municipality_code, t.latitude, t.longitude, t.living_area, t.weighted_area, "
          "t.latest_valuation, t.property_number, t.energy_label, t.is_on_market, t.is_public, t.case_price, "
          "t.payload_hash, t.search_hash, to_timestamp(t.fetched_at), j.doc, to_timestamp(t.fetched_at), "
          "to_timestamp(t.fetched_at), "
          "NULL FROM " +
          rows + " JOIN (VALUES " + docs + ") AS j(n, doc) USING (n) ON CONFLICT (address_id) DO UPDATE SET " +
          updates + "raw_json = EXCLUDED.raw_json, last_seen_at = EXCLUDED.last_seen_at, removed_at = NULL");
  }

  void write_dimensions(const std::vector<const PropertyRecord*>& records, PgBulkStatement& w) {
    // ON CONFLICT DO UPDATE may not touch a row twice in one statement: fold keys first (last wins).
    std::map<std::int64_t, const MunicipalityDim*> municipalities;
    std::map<std::string, const ProvinceDim*> provinces;
    std::map<std::string, const RoadDim*> roads;
    std::map<std::int64_t, const ZipDim*> zips;
    std::map<std::string, const CityDim*> cities;
    for (const auto* r : records) {
      if (r->municipality) municipalities[r->municipality->code] = &*r->municipality;
      if (r->province) provinces[r->province->code] = &*r->province;
      if (r->road) roads[r->road->road_id] = &*r->road;
      if (r->zip) zips[r->zip->zip_code] = &*r->zip;
      if (r->city) cities[r->city->slug] = &*r->city;
    }
    {
      Columns c;
      for (const auto& [code, m] : municipalities) {
        c.col("code", "bigint").integer(code);
        c.col("name", "text").text(m->name);
        c.col("slug", "text").add(m->slug);
        c.col("church_tax_percentage", "double precision").add(m->church_tax_percentage);
        c.col("council_tax_percentage", "double precision").add(m->council_tax_percentage);
        c.col("population", "bigint").add(m->population);
      }
      w.insert("municipalities", c,
               "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
               "slug = COALESCE(EXCLUDED.slug, municipalities.slug), "
               "church_tax_percentage = COALESCE(EXCLUDED.church_tax_percentage, "
               "municipalities.church_tax_percentage), "
               "council_tax_percentage = COALESCE(EXCLUDED.council_tax_percentage, "
               "municipalities.council_tax_percentage), "
               "population = COALESCE(EXCLUDED.population, municipalities.population)");
    }
    {
      Columns c;
      for (const auto& [code, p] : provinces) {
        c.col("code", "text").text(code);
        c.col("name", "text").text(p->name);
        c.col("region_code", "bigint").add(p->region_code);
      }
      w.insert("provinces", c,
               "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
               "region_code = COALESCE(EXCLUDED.region_code, provinces.region_code)");
    }
    {
      Columns c;
      for (const auto& [id, road] : roads) {
        c.col("road_id", "text").text(id);
        c.col("name", "text").text(road->name);
        c.col("road_code", "bigint").add(road->road_code);
        c.col("municipality_code", "bigint").add(road->municipality_code);
      }
      w.insert("roads", c,
               "ON CONFLICT (road_id) DO UPDATE SET name = EXCLUDED.name, "
               "road_code = COALESCE(EXCLUDED.road_code, roads.road_code), "
               "municipality_code = COALESCE(EXCLUDED.municipality_code, roads.municipality_code)");
    }
    {
      Columns c;
      for (const auto& [zip, z] : zips) {
        c.col("zip_code", "bigint").integer(zip);
        c.col("name", "text").text(z->name);
      }
      w.insert("zip_codes", c, "ON CONFLICT (zip_code) DO UPDATE SET name = EXCLUDED.name");
    }
    {
      Columns c;
      for (const auto& [slug, city] : cities) {
        c.col("slug", "text").text(slug);
        c.col("name", "text").text(city->name);
      }
      w.insert("cities", c, "ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name");
    }
  }

  void write_children(const std::vector<const PropertyRecord*>& records, PgBulkStatement& w) {
    Columns b, g, k, p;
    for (const auto* r : records) {
      const auto children = fold_children(*r);
      for (const Building* x : children.buildings) {
        b.col("address_id", "text").text(r->address_id);
        b.col("building_key", "text").text(x->building_key);
        b.col("building_name", "text").add(x->building_name);
        b.col("year_built", "bigint").add(x->year_built);
        b.col("year_renovated", "bigint").add(x->year_renovated);
        b.col("housing_area", "bigint").add(x->housing_area);
        b.col("total_area", "bigint").add(x->total_area);
        b.col("basement_area", "bigint").add(x->basement_area);
        b.col("number_of_rooms", "bigint").add(x->number_of_rooms);
        b.col("number_of_floors", "bigint").add(x->number_of_floors);
        b.col("number_of_bathrooms", "bigint").add(x->number_of_bathrooms);
        b.col("number_of_toilets", "bigint").add(x->number_of_toilets);
        b.col("heating_installation", "text").add(x->heating_installation);
        b.col("external_wall_material", "text").add(x->external_wall_material);
        b.col("roofing_material", "text").add(x->roofing_material);
      }
      for (const Registration* x : children.registrations) {
        g.col("address_id", "text").text(r->address_id);
        g.col("registration_id", "text").text(x->registration_id);
        g.col("amount", "bigint").add(x->amount);
        g.col("date", "text").add(x->date);
        g.col("type", "text").add(x->type);
        g.col("living_area", "bigint").add(x->living_area);
        g.col("area", "bigint").add(x->area);
        g.col("per_area_price", "bigint").add(x->per_area_price);
        g.col("municipality_code", "bigint").add(x->municipality_code);
        g.col("property_number", "bigint").add(x->property_number);
      }
      for (const FoldedCase& fc : children.cases) {
        const ListingCase& x = *fc.listing;
        k.col("address_id", "text").text(r->address_id);
        k.col("case_id", "text").text(x.case_id);
        k.col("status", "text").add(x.status);
        k.col("price_cash", "bigint").add(x.price_cash);
        k.col("per_area_price", "bigint").add(x.per_area_price);
        k.col("monthly_expense", "bigint").add(x.monthly_expense);
        k.col("days_on_market", "bigint").add(x.days_on_market);
        k.col("housing_area", "bigint").add(x.housing_area);
        k.col("lot_area", "bigint").add(x.lot_area);
        k.col("price_change_percentage", "double precision").add(x.price_change_percentage);
        k.col("realtor_name", "text").add(x.realtor_name);
        k.col("case_url", "text").add(x.case_url);
        k.col("realtor_phone", "text").add(x.realtor_phone);
        k.col("distinction", "text").add(x.distinction);
        for (const PriceChange* pc : fc.price_changes) {
          p.col("address_id", "text").text(r->address_id);
          p.col("case_id", "text").text(x.case_id);
          p.col("date", "text").text(pc->date);
          p.col("price", "bigint").add(pc->price);
          p.col("percentage", "double precision").add(pc->percentage);
        }
      }
    }
    w.insert("buildings", b, "");
    w.insert("registrations", g, "");
    w.insert("cases", k, "");
    w.insert("price_changes", p, "");
  }

  std::mutex mutex_;  // guards sql_: a Store may be shared by threads
  std::string url_;
  std::string redacted_;
  soci::session sql_;
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& url) { return std::make_unique<PostgresStore>(url); }

std::string pg_conninfo(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw StoreError("postgresql " + redact_db_url(url) + ": invalid connection URL: " +
                     redact_text(message, url));
  }
  std::string out;
  for (const PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    if (!out.empty()) out += ' ';
    out += o->keyword;
    out += "='";
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') out += '\\';
      out += *c;
    }
    out += '\'';
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace etl::loaders_detail
