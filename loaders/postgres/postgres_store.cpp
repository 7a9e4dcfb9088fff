// The PostgreSQL store: the Dialect the shared store (sql_store.hpp) runs its statements
// (through libpq, a lost connection retried once) and the merge through: a transaction's
// writes collected in one PgBulkStatement, sent at commit.
#include "loaders/postgres/postgres_store.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <variant>

#include "etl/core/errors.hpp"
#include "loaders/migrations.hpp"
#include "loaders/postgres/pg_bulk_statement.hpp"
#include "loaders/postgres/postgres_sql.hpp"
#include "loaders/postgres/soci_compat.hpp"
#include "loaders/sql_store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// A result row of PQexecParams (text format) as ResultRow reads it; times are selected as
// Unix seconds (SqlSyntax::time_column).
class PgRow final : public ResultRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}
  std::string text(int i) const override { return PQgetvalue(result_, row_, i); }
  std::int64_t integer(int i) const override { return std::strtoll(PQgetvalue(result_, row_, i), nullptr, 10); }
  bool null(int i) const override { return PQgetisnull(result_, row_, i) != 0; }
  double real(int i) const override { return std::strtod(PQgetvalue(result_, row_, i), nullptr); }
  UnixTime time(int i) const override { return integer(i); }

 private:
  const PGresult* result_;
  int row_;
};

// A Param as text, as PostgreSQL casts it to the type its place in the statement wants.
struct ParamText {
  std::optional<std::string> operator()(std::monostate) const { return std::nullopt; }
  std::optional<std::string> operator()(std::int64_t v) const { return std::to_string(v); }
  std::optional<std::string> operator()(const std::string& v) const { return v; }
  std::optional<std::string> operator()(const Time& t) const { return std::to_string(t.seconds); }
  std::optional<std::string> operator()(const TextList& l) const { return text_array(l.values); }
};

// A statement's parameters as libpq takes them: text, or a null pointer for NULL.
struct ParamTexts {
  explicit ParamTexts(const std::vector<Param>& params) {
    for (const Param& p : params) texts.push_back(std::visit(ParamText{}, p));
    for (const auto& t : texts) values.push_back(t ? t->c_str() : nullptr);
  }
  int count() const { return static_cast<int>(values.size()); }
  std::vector<std::optional<std::string>> texts;
  std::vector<const char*> values;
};

// Reads what is left of a query sent with PQsendQueryParams, so the connection is ready for
// the next statement; when a reader's exception leaves it early, the query is cancelled first
// (no reading the rest of a large result).
class DrainQuery {
 public:
  explicit DrainQuery(PGconn* conn) : conn_(conn), exceptions_(std::uncaught_exceptions()) {}
  ~DrainQuery() {
    if (std::uncaught_exceptions() > exceptions_) {
      if (PGcancel* cancel = PQgetCancel(conn_)) {
        char why[256];
        PQcancel(cancel, why, sizeof why);
        PQfreeCancel(cancel);
      }
    }
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
  }
  DrainQuery(const DrainQuery&) = delete;
  DrainQuery& operator=(const DrainQuery&) = delete;

 private:
  PGconn* conn_;
  int exceptions_;
};

class PostgresStore final : public SqlStore {
 public:
  PostgresStore(const std::string& url, StoreAccess access, SchemaMigration* migrated)
      : SqlStore(url), url_(url), redacted_(redact_db_url(url)) {
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

 private:
  void guard(const char* what, const std::function<void()>& call) override {
    run(what, [&] {
      call();
      return 0;
    });
  }

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

  // --- Dialect: what the shared store runs through ---------------------------------------

  std::string name() const override { return "postgresql"; }
  const SqlSyntax& syntax() const override { return postgres_syntax(); }

  // Errors are thrown as SOCI's, as the session's own are: run() and row_error() read them alike.
  std::int64_t execute(const std::string& sql, const std::vector<Param>& params,
                       const std::function<void(const ResultRow&)>& row) override {
    const ParamTexts p(params);
    const std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexecParams(native(), sql.c_str(), p.count(), nullptr, p.values.data(), nullptr, nullptr, 0), &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw soci::soci_error(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(native()));
    for (int i = 0; row && i < PQntuples(result.get()); ++i) row(PgRow(result.get(), i));
    return std::atoll(PQcmdTuples(result.get()));
  }

  // libpq's single-row mode: each row its own small result, as the server sends it.
  void stream(const std::string& sql, const std::vector<Param>& params,
              const std::function<void(const ResultRow&)>& row) override {
    PGconn* conn = native();
    const ParamTexts p(params);
    if (PQsendQueryParams(conn, sql.c_str(), p.count(), nullptr, p.values.data(), nullptr, nullptr, 0) == 0)
      throw soci::soci_error(PQerrorMessage(conn));
    const DrainQuery drain(conn);
    if (PQsetSingleRowMode(conn) == 0) throw soci::soci_error("cannot read the rows one at a time");
    std::string error;
    while (PGresult* next = PQgetResult(conn)) {
      const std::unique_ptr<PGresult, decltype(&PQclear)> result(next, &PQclear);
      const auto status = PQresultStatus(next);
      if (status == PGRES_SINGLE_TUPLE) {
        row(PgRow(next, 0));
      } else if (status != PGRES_TUPLES_OK) {
        error = PQresultErrorMessage(next);
      }
    }
    if (!error.empty()) throw soci::soci_error(error);
  }

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
