// The SQLite store: the Dialect the shared store (sql_store.hpp) runs its statements and the
// merge through, each statement prepared once and cached.
#include "loaders/sqlite/sqlite_store.hpp"

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
#include "loaders/migrations.hpp"
#include "loaders/sql_store.hpp"
#include "loaders/sqlite/sqlite_rows.hpp"
#include "loaders/sqlite/sqlite_sql.hpp"
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

// A result row as ResultRow reads it; times are stored as format_utc text.
class SqliteRow final : public ResultRow {
 public:
  explicit SqliteRow(SQLite::Statement& s) : s_(s) {}
  std::string text(int i) const override { return s_.getColumn(i).getString(); }
  std::int64_t integer(int i) const override { return s_.getColumn(i).getInt64(); }
  bool null(int i) const override { return s_.getColumn(i).isNull(); }
  double real(int i) const override { return s_.getColumn(i).getDouble(); }
  UnixTime time(int i) const override { return parse_utc(s_.getColumn(i).getString()); }

 private:
  SQLite::Statement& s_;
};

// Binds a Param as SQLite stores it.
struct ParamBinder {
  SQLite::Statement& s;
  int i;
  void operator()(std::monostate) const { s.bind(i); }
  void operator()(std::int64_t v) const { s.bind(i, static_cast<int64_t>(v)); }
  void operator()(const std::string& v) const { s.bind(i, v); }
  void operator()(const Time& t) const { s.bind(i, format_utc(t.seconds)); }
  void operator()(const TextList& l) const { s.bind(i, json_string_array(l.values)); }
};

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

class SqliteStore final : public SqlStore {
 public:
  SqliteStore(const std::string& path, StoreAccess access, SchemaMigration* migrated)
      : SqlStore("sqlite:" + path), path_(path), db_(open_database(path, access)) {
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

 private:
  // Under the store's lock (one connection, any number of calling threads), SQLite errors
  // turned into a one-line StoreError.
  void guard(const char* what, const std::function<void()>& call) override {
    const std::lock_guard lock(mutex_);
    try {
      call();
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

  // --- Dialect: what the shared store runs through ---------------------------------------

  std::string name() const override { return "sqlite"; }
  const SqlSyntax& syntax() const override { return sqlite_syntax(); }

  std::int64_t execute(const std::string& sql, const std::vector<Param>& params,
                       const std::function<void(const ResultRow&)>& row) override {
    auto& cached = statements_[sql];
    if (!cached) cached = std::make_unique<SQLite::Statement>(db_, sql);
    SQLite::Statement& s = *cached;
    Use use(s);
    for (std::size_t i = 0; i < params.size(); ++i) std::visit(ParamBinder{s, static_cast<int>(i + 1)}, params[i]);
    const SqliteRow r(s);
    while (s.executeStep()) {
      if (row) row(r);
    }
    return db_.getChanges();  // of a write; a SELECT's is not read
  }

  // Stepping the statement hands over each row as SQLite reads it.
  void stream(const std::string& sql, const std::vector<Param>& params,
              const std::function<void(const ResultRow&)>& row) override {
    execute(sql, params, row);
  }

  void begin() override { db_.exec("BEGIN IMMEDIATE"); }  // IMMEDIATE: no upgrade deadlock between writers
  void commit() override { db_.exec("COMMIT"); }
  void rollback() noexcept override {
    try {
      db_.exec("ROLLBACK");
    } catch (const SQLite::Exception&) {  // SQLite may have rolled back already (e.g. disk full)
    }
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

  std::optional<std::string> row_error(const std::exception& error) override {
    const auto* e = dynamic_cast<const SQLite::Exception*>(&error);
    if (e == nullptr || !is_row_error(*e)) return std::nullopt;
    return clip(e->what());
  }

  // The statements of the write path, from the table map.
  void prepare() {
    auto make = [&](const std::string& sql) { return std::make_unique<SQLite::Statement>(db_, sql); };
    for (const Table* t : changed_tables()) rows_[t] = make(sqlite_row_sql(*t));
    for (const Table* t : {&touch_table(), &seen_table(), &resolve_failures_table()}) rows_[t] = make(sqlite_row_sql(*t));
    for (const Table* t : history_tables()) rows_[t] = make(sqlite_row_sql(*t));
    const auto children = child_tables();
    for (auto t = children.rbegin(); t != children.rend(); ++t) {
      delete_children_.push_back(make(fmt::format("DELETE FROM {} WHERE {} = ?1", (*t)->name, (*t)->columns[0].name)));
    }
  }

  std::mutex mutex_;  // guards db_ and the statements: a Store may be shared by threads
  std::string path_;
  SQLite::Database db_;
  std::string schema_hint_;  // read-only, at an older schema: what to run (schema_hint)
  std::unordered_map<const Table*, std::unique_ptr<SQLite::Statement>> rows_;  // write_rows, per table
  std::vector<std::unique_ptr<SQLite::Statement>> delete_children_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;  // execute's, by SQL text
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
