// The PostgreSQL store: the Store calls as one statement each (a lost connection retried
// once), and the Dialect the merge (merge.hpp) writes through: a transaction's writes
// collected in one PgBulkStatement, sent at commit.
#include "loaders/postgres_store.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <optional>
#include <set>

#include "etl/core/errors.hpp"
#include "loaders/dialect.hpp"
#include "loaders/merge.hpp"
#include "loaders/migrations.hpp"
#include "loaders/pg_bulk_statement.hpp"
#include "loaders/read_rows.hpp"
#include "loaders/soci_compat.hpp"
#include "loaders/sql_text.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// What lookup and peek return (read_rows.hpp: stored_state).
constexpr const char* kStoredStateColumns =
    "address_id, CAST(EXTRACT(EPOCH FROM fetched_at) AS bigint), CAST(is_on_market AS integer), "
    "CAST(EXTRACT(EPOCH FROM removed_at) AS bigint), search_hash";

// A result row as read_rows.hpp decodes it; times are selected as EXTRACT(EPOCH ...).
struct PgCells {
  const soci::row& r;
  std::string text(std::size_t i) const { return r.get<std::string>(i); }
  std::int64_t integer(std::size_t i) const {
    return r.get_properties(i).get_data_type() == soci::dt_integer ? r.get<int>(i) : r.get<long long>(i);
  }
  bool null(std::size_t i) const { return r.get_indicator(i) == soci::i_null; }
  double real(std::size_t i) const { return r.get<double>(i); }
  UnixTime time(std::size_t i) const { return integer(i); }
};

class PostgresStore final : public MergingStore {
 public:
  PostgresStore(const std::string& url, StoreAccess access, SchemaMigration* migrated)
      : url_(url), redacted_(redact_db_url(url)) {
    connect();
    if (access == StoreAccess::read_write) {
      const SchemaMigration done = migrate();
      if (migrated) *migrated = done;
      return;
    }
    int version = 0;
    try {
      int tables = 0;
      sql_ << "SELECT CAST(COUNT(to_regclass('schema_migrations')) AS integer)", soci::into(tables);
      if (tables > 0) sql_ << "SELECT CAST(COALESCE(MAX(version), 0) AS integer) FROM schema_migrations", soci::into(version);
    } catch (const soci::soci_error& e) {
      throw StoreError("postgresql " + redacted_ + ": cannot read the schema version: " +
                       redact_text(one_line(e.what()), url_));
    }
    schema_hint_ = schema_hint(version, "postgres", url_);
  }

  std::string dialect() const override { return name(); }

  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) override {
    if (ids.empty()) return {};
    return run("look up stored IDs", [&] {
      return select(fmt::format("UPDATE properties SET last_seen_at = to_timestamp(:now) "
                                "WHERE address_id = ANY(CAST(:ids AS text[])) RETURNING {}",
                                kStoredStateColumns),
                    &stored_state<PgCells>, static_cast<long long>(now), text_array(ids));
    });
  }

  std::vector<StoredState> peek(const std::vector<std::string>& ids) override {
    if (ids.empty()) return {};
    return run("look up stored IDs", [&] {
      return select(fmt::format("SELECT {} FROM properties WHERE address_id = ANY(CAST(:ids AS text[]))",
                                kStoredStateColumns),
                    &stored_state<PgCells>, text_array(ids));
    });
  }

  std::vector<StoredCase> open_cases(const PropertyScope& scope) override {
    return run("list open cases", [&] {
      return select(open_cases_sql(DbKind::postgresql), &stored_case<PgCells>,
                    static_cast<long long>(scope.municipality_code), int{scope.address_types.empty()},
                    text_array(scope.address_types));
    });
  }

  std::vector<MunicipalityCount> property_counts() override {
    return run("count properties", [&] {
      return select("SELECT p.municipality_code, COALESCE(m.name, ''), "
                    "CAST(COUNT(*) FILTER (WHERE p.removed_at IS NULL) AS bigint), "
                    "CAST(COUNT(*) FILTER (WHERE p.removed_at IS NULL AND COALESCE(p.is_on_market, false)) "
                    "AS bigint), CAST(COUNT(*) FILTER (WHERE p.removed_at IS NOT NULL) AS bigint) "
                    "FROM properties p LEFT JOIN municipalities m ON m.code = p.municipality_code "
                    "WHERE p.municipality_code IS NOT NULL GROUP BY p.municipality_code, m.name "
                    "ORDER BY p.municipality_code",
                    &municipality_count<PgCells>);
    });
  }

  std::vector<EventRow> events(const EventFilter& f) override {
    return run("list events", [&] {
      return select(events_sql(DbKind::postgresql), &event_row<PgCells>, static_cast<long long>(f.since.value_or(0)),
                    static_cast<long long>(f.first_run.value_or(0)), text_array(event_kind_names(f.kinds)),
                    int{f.municipality_codes.empty()}, text_array(code_texts(f.municipality_codes)));
    });
  }

  std::array<std::int64_t, kEventKinds> event_counts(UnixTime since) override {
    return run("count events", [&] {
      return by_kind(select(event_counts_sql(DbKind::postgresql), &event_count<PgCells>, static_cast<long long>(since)));
    });
  }

  void record_failure(const FailureRecord& f, UnixTime now) override {
    run("record a failure", [&] {
      write_failure(f, now);
      return 0;
    });
  }

  std::vector<PendingFailure> pending_failures(std::size_t limit) override {
    return run("list pending failures", [&] {
      return select("SELECT address_id, stage, reason, attempts, "
                    "CAST(EXTRACT(EPOCH FROM last_failed_at) AS bigint) FROM etl_failures "
                    "WHERE resolved_at IS NULL ORDER BY last_failed_at, address_id LIMIT :lim",
                    &pending_failure<PgCells>, static_cast<long long>(limit));
    });
  }

  std::int64_t resolve_failures(const FailureFilter& filter, UnixTime now) override {
    return run("resolve failures", [&] {
      long long ts = now, before = filter.failed_before.value_or(0);
      std::string stage = filter.stage ? std::string(to_string(*filter.stage)) : "";
      soci::indicator stage_set = filter.stage ? soci::i_ok : soci::i_null,
                      before_set = filter.failed_before ? soci::i_ok : soci::i_null;
      soci::statement st =
          (sql_.prepare << "UPDATE etl_failures SET resolved_at = to_timestamp(:now) WHERE resolved_at IS NULL "
                           "AND (CAST(:stage AS text) IS NULL OR stage = :stage2) "
                           "AND (CAST(:before AS bigint) IS NULL OR last_failed_at < to_timestamp(:before2))",
           soci::use(ts), soci::use(stage, stage_set), soci::use(stage, stage_set), soci::use(before, before_set),
           soci::use(before, before_set));
      st.execute(true);
      return static_cast<std::int64_t>(st.get_affected_rows());
    });
  }

  std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) override {
    return run("list IDs not seen since a time", [&] {
      return select(ids_not_seen_since_sql(DbKind::postgresql), &first_text<PgCells>,
                    static_cast<long long>(scope.municipality_code), int{scope.address_types.empty()},
                    text_array(scope.address_types), static_cast<long long>(since));
    });
  }

  std::int64_t begin_run(const RunInfo& info, UnixTime now) override {
    return run("record the start of a run", [&] {
      long long ts = now, id = 0;
      const std::string command = redact_text(info.command, url_);
      soci::transaction tx(sql_);
      // A whole run's lock covers every run; a shard's, that shard's and whole runs'.
      sql_ << "UPDATE etl_runs SET status = 'abandoned' WHERE status = 'running' "
              "AND (CAST(:whole AS text) = '1/1' OR shard IN (:shard, '1/1'))",
          soci::use(info.shard), soci::use(info.shard);
      sql_ << "INSERT INTO etl_runs (started_at, status, command, area, refresh, details_mode, shard) "
              "VALUES (to_timestamp(:now), 'running', :command, :area, :refresh, :details, :shard) RETURNING id",
          soci::use(ts), soci::use(command), soci::use(info.area), soci::use(info.refresh),
          soci::use(info.details_mode), soci::use(info.shard), soci::into(id);
      tx.commit();
      return static_cast<std::int64_t>(id);
    });
  }

  void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) override {
    const long long changed = run("record the end of a run", [&] {
      long long ts = now, id = run_id;
      const std::string summary = redact_text(outcome.summary_json, url_), status(to_string(outcome.status));
      soci::statement st = (sql_.prepare << "UPDATE etl_runs SET finished_at = to_timestamp(:now), status = :status, "
                                            "summary_json = :summary WHERE id = :id",
                            soci::use(ts), soci::use(status), soci::use(summary), soci::use(id));
      st.execute(true);
      return st.get_affected_rows();
    });
    if (changed == 0) throw StoreError("postgresql: no run with id " + std::to_string(run_id) + " in etl_runs");
  }

  std::vector<RunRow> recent_runs(std::size_t limit) override {
    return run("list recent runs", [&] {
      return select("SELECT id, CAST(EXTRACT(EPOCH FROM started_at) AS bigint), "
                    "CAST(EXTRACT(EPOCH FROM finished_at) AS bigint), status, command, summary_json "
                    "FROM etl_runs ORDER BY id DESC LIMIT :lim",
                    &run_row<PgCells>, static_cast<long long>(limit));
    });
  }


 protected:
  void guard(const char* what, const std::function<void()>& call) override {
    run(what, [&] {
      call();
      return 0;
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
      bulk_.forget_prepared();
      sql_ << "SET client_min_messages = warning";
    } catch (const soci::soci_error& e) {
      throw StoreError("postgresql " + redacted_ + ": cannot connect: " + redact_text(one_line(e.what()), url_));
    }
  }

  // Runs `sql` with `args` bound in order and decodes every result row.
  template <class T, class... Args>
  std::vector<T> select(const std::string& sql, T (*decode)(const PgCells&), const Args&... args) {
    soci::rowset<soci::row> rows = ((sql_.prepare << sql), ..., soci::use(args));
    std::vector<T> out;
    for (const soci::row& r : rows) out.push_back(decode(PgCells{r}));
    return out;
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
        throw StoreError("postgresql " + redacted_ + ": cannot " + what + ": " + redact_text(message, url_) +
                         schema_hint_);
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

  SchemaMigration migrate() override {
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
      const auto before = applied();
      SchemaMigration done;
      for (const auto& m : migrations_for("postgres")) {
        if (before.count(m.version)) continue;
        soci::transaction tx(sql_);
        sql_ << "SELECT pg_advisory_xact_lock(:k)", soci::use(lock_key);
        if (applied().count(m.version)) continue;  // another process got there first
        const std::string label = fmt::format("{:03}_{}", m.version, m.name);
        exec_script(std::string(m.sql), label);
        long long version = m.version;
        sql_ << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, now())",
            soci::use(version), soci::use(m.name);
        tx.commit();
        ++done.applied;
        spdlog::info("postgresql {}: applied migration {}", redacted_, label);
      }
      const auto after = applied();
      done.version = after.empty() ? 0 : static_cast<int>(*after.rbegin());
      return done;
    } catch (const soci::soci_error& e) {
      throw StoreError("postgresql " + redacted_ + ": cannot migrate: " + redact_text(one_line(e.what()), url_));
    }
  }

  // --- Dialect: what the merge writes through -------------------------------------------

  std::string name() const override { return "postgresql"; }

  void begin() override {
    bulk_.clear();
    sql_.begin();
  }
  void commit() override {
    bulk_.execute(native());  // the transaction's writes, one round trip
    sql_.commit();
  }
  void rollback() noexcept override {
    bulk_.clear();
    try {
      sql_.rollback();
    } catch (const soci::soci_error&) {  // the connection may be gone; the server rolls back
    }
  }

  std::vector<StoredVersion> stored_versions(const std::vector<std::string>& ids) override {
    return select("SELECT address_id, payload_hash, CAST(EXTRACT(EPOCH FROM removed_at) AS bigint), "
                  "CAST(is_on_market AS integer) FROM properties WHERE address_id = ANY(CAST(:ids AS text[]))",
                  &stored_version<PgCells>, text_array(ids));
  }

  std::vector<StoredChild> stored_children(const std::vector<std::string>& ids) override {
    return select(stored_children_sql("SELECT unnest(CAST(:ids AS text[])) AS id"), &stored_child<PgCells>,
                  text_array(ids));
  }

  // The semi-join keeps the DELETE on the primary key even before the tables have statistics
  // (= ANY would plan a sequential scan of every child row for each batch of a first import).
  void delete_children(const std::vector<std::string>& ids) override {
    const std::string list = text_array(ids);
    const auto children = child_tables();
    for (auto t = children.rbegin(); t != children.rend(); ++t) {
      sql_ << fmt::format("DELETE FROM {} WHERE {} IN (SELECT unnest(CAST(:ids AS text[])))", (*t)->name,
                          (*t)->columns[0].name),
          soci::use(list);
    }
  }

  void write_rows(const Table& table, const std::vector<Row>& rows, UnixTime now) override {
    bulk_.write(table, rows, now);
  }

  void write_failure(const FailureRecord& f, UnixTime now) override {
    long long ts = now;
    const std::string reason = clip(redact_text(f.reason, url_)), source = redact_text(f.source, url_),
                      stage(to_string(f.stage));
    sql_ << "INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
            "VALUES (:id, :stage, :reason, :source, 1, to_timestamp(:t1), to_timestamp(:t2)) "
            "ON CONFLICT (address_id) WHERE resolved_at IS NULL DO UPDATE SET stage = EXCLUDED.stage, "
            "reason = EXCLUDED.reason, source = EXCLUDED.source, attempts = etl_failures.attempts + 1, "
            "last_failed_at = EXCLUDED.last_failed_at",
        soci::use(f.address_id), soci::use(stage), soci::use(reason), soci::use(source), soci::use(ts),
        soci::use(ts);
  }

  // Any error of a statement while the connection is fine is the rows'.
  std::optional<std::string> row_error(const std::exception& error) override {
    if (dynamic_cast<const soci::soci_error*>(&error) == nullptr || connection_bad()) return std::nullopt;
    return clip(one_line(error.what()));
  }

  std::mutex mutex_;  // guards sql_: a Store may be shared by threads
  std::string url_;
  std::string redacted_;
  std::string schema_hint_;  // read-only, at an older schema: what to run (schema_hint)
  soci::session sql_;
  PgBulkStatement bulk_;  // the current transaction's writes
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& url, StoreAccess access, SchemaMigration* migrated) {
  return std::make_unique<PostgresStore>(url, access, migrated);
}

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
