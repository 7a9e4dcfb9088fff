// The SQLite store: the Store calls as one statement each, and the Dialect the merge
// (merge.hpp) writes through, with a cached prepared statement per table-map table.
#include "loaders/sqlite_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "etl/core/errors.hpp"
#include "loaders/dialect.hpp"
#include "loaders/merge.hpp"
#include "loaders/migrations.hpp"
#include "loaders/read_rows.hpp"
#include "loaders/sqlite_rows.hpp"
#include "loaders/sql_text.hpp"
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

// What lookup and peek return (read_rows.hpp: stored_state). removed_at itself, not
// "removed_at IS NOT NULL": SQLite 3.40 evaluates IS [NOT] NULL wrongly inside RETURNING on
// this table (always "not null").
constexpr const char* kStoredStateColumns = "address_id, fetched_at, is_on_market, removed_at, search_hash";

// A result row as read_rows.hpp decodes it.
struct SqliteCells {
  SQLite::Statement& s;
  std::string text(int i) const { return s.getColumn(i).getString(); }
  std::int64_t integer(int i) const { return s.getColumn(i).getInt64(); }
  bool null(int i) const { return s.getColumn(i).isNull(); }
  double real(int i) const { return s.getColumn(i).getDouble(); }
  UnixTime time(int i) const { return parse_utc(s.getColumn(i).getString()); }
};

void bind_arg(SQLite::Statement& s, int i, const std::string& v) { s.bind(i, v); }
void bind_arg(SQLite::Statement& s, int i, std::int64_t v) { s.bind(i, static_cast<int64_t>(v)); }

// Binds `args` as ?1, ?2, ... and decodes every result row.
template <class T, class... Args>
std::vector<T> select(SQLite::Statement& s, T (*decode)(const SqliteCells&), const Args&... args) {
  Use use(s);
  int i = 0;
  (bind_arg(s, ++i, args), ...);
  std::vector<T> out;
  while (s.executeStep()) out.push_back(decode(SqliteCells{s}));
  return out;
}

// Read-only, a WAL database also needs its -shm file, which a read-only folder cannot get:
// there it is opened immutable (no writer of ours can be at work in such a folder).
SQLite::Database open_database(const std::string& path, StoreAccess access) {
  if (access == StoreAccess::read_write)
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
  std::error_code ec;
  const auto folder = std::filesystem::absolute(path, ec).parent_path();
  if (::access(folder.c_str(), W_OK) == 0 || std::filesystem::exists(path + "-shm", ec))
    return SQLite::Database(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      uri += c;
    }
  }
  uri += "?immutable=1";
  return SQLite::Database(uri, SQLite::OPEN_READONLY | SQLite::OPEN_URI, kBusyTimeoutMs);
}

class SqliteStore final : public MergingStore {
 public:
  SqliteStore(const std::string& path, StoreAccess access, SchemaMigration* migrated)
      : path_(path), db_(open_database(path, access)) {
    if (access == StoreAccess::read_only) {
      const int version = db_.tableExists("schema_migrations")
                              ? db_.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt()
                              : 0;
      schema_hint_ = schema_hint(version, "sqlite", "sqlite:" + path_);
      return;  // nothing written, nothing prepared (the write path's statements need the latest schema)
    }
    for (const char* pragma : kSqliteWritePragmas) db_.exec(pragma);
    const SchemaMigration done = migrate();
    if (migrated) *migrated = done;
    prepare();
  }

  std::string dialect() const override { return name(); }

  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) override {
    if (ids.empty()) return {};
    return guarded("look up stored IDs", [&] {
      return select(*lookup_, &stored_state<SqliteCells>, format_utc(now), json_string_array(ids));
    });
  }

  std::vector<StoredState> peek(const std::vector<std::string>& ids) override {
    if (ids.empty()) return {};
    return guarded("look up stored IDs",
                   [&] { return select(*peek_, &stored_state<SqliteCells>, json_string_array(ids)); });
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
      return select(s, &municipality_count<SqliteCells>);
    });
  }

  std::vector<EventRow> events(const EventFilter& f) override {
    return guarded("list events", [&] {
      SQLite::Statement s(db_, events_sql(DbKind::sqlite));
      return select(s, &event_row<SqliteCells>, format_utc(f.since.value_or(0)), f.first_run.value_or(0),
                    json_string_array(event_kind_names(f.kinds)), std::int64_t{f.municipality_codes.empty()},
                    json_string_array(code_texts(f.municipality_codes)));
    });
  }

  std::array<std::int64_t, kEventKinds> event_counts(UnixTime since) override {
    return guarded("count events", [&] {
      SQLite::Statement s(db_, event_counts_sql(DbKind::sqlite));
      return by_kind(select(s, &event_count<SqliteCells>, format_utc(since)));
    });
  }

  void record_failure(const FailureRecord& f, UnixTime now) override {
    guarded("record a failure", [&] {
      write_failure(f, now);
      return 0;
    });
  }

  std::vector<PendingFailure> pending_failures(std::size_t limit) override {
    return guarded("list pending failures", [&] {
      SQLite::Statement s(db_,
                          "SELECT address_id, stage, reason, attempts, last_failed_at FROM etl_failures "
                          "WHERE resolved_at IS NULL ORDER BY last_failed_at, address_id LIMIT ?1");
      return select(s, &pending_failure<SqliteCells>, static_cast<std::int64_t>(limit));
    });
  }

  std::int64_t resolve_failures(const FailureFilter& filter, UnixTime now) override {
    return guarded("resolve failures", [&] {
      SQLite::Statement s(db_,
                          "UPDATE etl_failures SET resolved_at = ?1 WHERE resolved_at IS NULL "
                          "AND (?2 IS NULL OR stage = ?2) AND (?3 IS NULL OR last_failed_at < ?3)");
      s.bind(1, format_utc(now));
      if (filter.stage) s.bind(2, std::string(to_string(*filter.stage)));
      if (filter.failed_before) s.bind(3, format_utc(*filter.failed_before));
      return static_cast<std::int64_t>(s.exec());
    });
  }

  std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) override {
    return guarded("list IDs not seen since a time", [&] {
      SQLite::Statement s(db_, ids_not_seen_since_sql(DbKind::sqlite));
      return select(s, &first_text<SqliteCells>, scope.municipality_code, std::int64_t{scope.address_types.empty()},
                    json_string_array(scope.address_types), format_utc(since));
    });
  }

  std::vector<StoredCase> open_cases(const PropertyScope& scope) override {
    return guarded("list open cases", [&] {
      SQLite::Statement s(db_, open_cases_sql(DbKind::sqlite));
      return select(s, &stored_case<SqliteCells>, scope.municipality_code, std::int64_t{scope.address_types.empty()},
                    json_string_array(scope.address_types));
    });
  }

  std::int64_t begin_run(const RunInfo& info, UnixTime now) override {
    return guarded("record the start of a run", [&] {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      // A whole run's lock covers every run; a shard's, that shard's and whole runs'.
      SQLite::Statement abandon(db_, "UPDATE etl_runs SET status = 'abandoned' WHERE status = 'running' "
                                     "AND (?1 = '1/1' OR shard IN (?1, '1/1'))");
      abandon.bind(1, info.shard);
      abandon.exec();
      SQLite::Statement s(db_,
                          "INSERT INTO etl_runs (started_at, status, command, area, refresh, details_mode, shard) "
                          "VALUES (?1, 'running', ?2, ?3, ?4, ?5, ?6) RETURNING id");
      s.bind(1, format_utc(now));
      s.bind(2, redact_text(info.command));
      s.bind(3, info.area);
      s.bind(4, info.refresh);
      s.bind(5, info.details_mode);
      s.bind(6, info.shard);
      if (!s.executeStep()) throw StoreError("sqlite: INSERT INTO etl_runs returned no id");
      const auto id = static_cast<std::int64_t>(s.getColumn(0).getInt64());
      s.reset();
      tx.commit();
      return id;
    });
  }

  void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) override {
    const int changed = guarded("record the end of a run", [&] {
      SQLite::Statement s(db_, "UPDATE etl_runs SET finished_at = ?1, status = ?2, summary_json = ?3 WHERE id = ?4");
      s.bind(1, format_utc(now));
      s.bind(2, std::string(to_string(outcome.status)));
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
      return select(s, &run_row<SqliteCells>, static_cast<std::int64_t>(limit));
    });
  }


 protected:
  void guard(const char* what, const std::function<void()>& call) override {
    guarded(what, [&] {
      call();
      return 0;
    });
  }
 private:
  // Runs `fn` under the store's lock (one connection, any number of calling threads),
  // turning SQLite errors into a one-line StoreError.
  template <class Fn>
  auto guarded(const char* what, Fn&& fn) -> decltype(fn()) {
    const std::lock_guard lock(mutex_);
    try {
      return fn();
    } catch (const SQLite::Exception& e) {
      throw StoreError("sqlite " + path_ + ": cannot " + what + ": " + e.what() + schema_hint_);
    }
  }

  SchemaMigration migrate() override {
    db_.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
    SchemaMigration done;
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
      ++done.applied;
      spdlog::info("sqlite {}: applied migration {:03}_{}", path_, m.version, m.name);
    }
    done.version = db_.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt();
    return done;
  }

  // --- Dialect: what the merge writes through -------------------------------------------

  std::string name() const override { return "sqlite"; }

  void begin() override { db_.exec("BEGIN IMMEDIATE"); }  // IMMEDIATE: no upgrade deadlock between writers
  void commit() override { db_.exec("COMMIT"); }
  void rollback() noexcept override {
    try {
      db_.exec("ROLLBACK");
    } catch (const SQLite::Exception&) {  // SQLite may have rolled back already (e.g. disk full)
    }
  }

  std::vector<StoredVersion> stored_versions(const std::vector<std::string>& ids) override {
    return select(*stored_versions_, &stored_version<SqliteCells>, json_string_array(ids));
  }

  std::vector<StoredChild> stored_children(const std::vector<std::string>& ids) override {
    return select(*stored_children_, &stored_child<SqliteCells>, json_string_array(ids));
  }

  void delete_children(const std::vector<std::string>& ids) override {
    for (const auto& id : ids) {
      for (const auto& s : delete_children_) {
        Use use(*s);
        s->bind(1, id);
        s->exec();
      }
    }
  }

  void write_rows(const Table& table, const std::vector<Row>& rows, UnixTime now) override {
    auto& s = *rows_.at(&table);
    const std::string ts = format_utc(now);
    for (const Row& row : rows) {
      Use use(s);
      bind_row(s, table, row, ts);
      s.exec();
    }
  }

  void write_failure(const FailureRecord& f, UnixTime now) override {
    auto& s = *record_failure_;
    Use use(s);
    s.bind(1, f.address_id);
    s.bind(2, std::string(to_string(f.stage)));
    s.bind(3, clip(redact_text(f.reason)));
    s.bind(4, redact_text(f.source));
    s.bind(5, format_utc(now));
    s.exec();
  }

  std::optional<std::string> row_error(const std::exception& error) override {
    const auto* e = dynamic_cast<const SQLite::Exception*>(&error);
    if (e == nullptr || !is_row_error(*e)) return std::nullopt;
    return clip(e->what());
  }

  // The statements of the write path come from the table map; the others are prepared once here.
  void prepare() {
    auto make = [&](const std::string& sql) { return std::make_unique<SQLite::Statement>(db_, sql); };
    for (const Table* t : changed_tables()) rows_[t] = make(sqlite_row_sql(*t));
    for (const Table* t : {&touch_table(), &seen_table(), &resolve_failures_table()}) rows_[t] = make(sqlite_row_sql(*t));
    for (const Table* t : history_tables()) rows_[t] = make(sqlite_row_sql(*t));
    const auto children = child_tables();
    for (auto t = children.rbegin(); t != children.rend(); ++t) {
      delete_children_.push_back(make(fmt::format("DELETE FROM {} WHERE {} = ?1", (*t)->name, (*t)->columns[0].name)));
    }
    stored_versions_ = make(
        "SELECT address_id, payload_hash, removed_at, is_on_market FROM properties "
        "WHERE address_id IN (SELECT value FROM json_each(?1))");
    lookup_ = make(fmt::format("UPDATE properties SET last_seen_at = ?1 "
                               "WHERE address_id IN (SELECT value FROM json_each(?2)) RETURNING {}",
                               kStoredStateColumns));
    peek_ = make(fmt::format("SELECT {} FROM properties WHERE address_id IN (SELECT value FROM json_each(?1))",
                             kStoredStateColumns));
    stored_children_ = make(stored_children_sql("SELECT value AS id FROM json_each(?1)"));
    record_failure_ = make(
        "INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
        "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) "
        "ON CONFLICT (address_id) WHERE resolved_at IS NULL DO UPDATE SET stage = excluded.stage, "
        "reason = excluded.reason, source = excluded.source, attempts = attempts + 1, "
        "last_failed_at = excluded.last_failed_at");
  }

  std::mutex mutex_;  // guards db_ and the statements: a Store may be shared by threads
  std::string path_;
  SQLite::Database db_;
  std::string schema_hint_;  // read-only, at an older schema: what to run (schema_hint)
  std::unordered_map<const Table*, std::unique_ptr<SQLite::Statement>> rows_;  // write_rows, per table
  std::vector<std::unique_ptr<SQLite::Statement>> delete_children_;
  std::unique_ptr<SQLite::Statement> stored_versions_, stored_children_, lookup_, peek_, record_failure_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, StoreAccess access, SchemaMigration* migrated) {
  if (path != ":memory:" && access == StoreAccess::read_write) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) throw StoreError("sqlite " + path + ": cannot create folder '" + parent.string() + "': " + ec.message());
    }
  }
  try {
    return std::make_unique<SqliteStore>(path, access, migrated);
  } catch (const SQLite::Exception& e) {
    throw StoreError("sqlite " + path + ": cannot open database: " + e.what());
  }
}

}  // namespace etl::loaders_detail
