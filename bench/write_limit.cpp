// write_limit: what one thread can write into SQLite on this disk, the yardstick of the load
// scenarios (bench/README.md, `limit`). It copies the rows of a database `etl` wrote into a
// fresh database with the same schema (the store's own migrations) and the same connection
// settings (kSqliteWritePragmas): property by property with its child rows and events, one transaction
// per --batch-size properties, plain INSERTs through prepared statements, nothing read back.
// Only the writing is timed; it prints one JSON object.
//
//     write_limit SOURCE.db DEST.db [--batch-size 50]
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "loaders/migrations.hpp"
#include "loaders/sqlite/sqlite_store.hpp"

namespace {

using etl::loaders_detail::kSqliteWritePragmas;
using etl::loaders_detail::migrations_for;

// The tables written per property, parent first, each with the column holding the address ID
// (the events' first is their own id); the others (dimensions) are copied whole first.
const std::vector<std::pair<std::string, int>> kPropertyTables = {
    {"properties", 0}, {"property_payloads", 0}, {"buildings", 0},      {"registrations", 0},
    {"cases", 0},      {"price_changes", 0},     {"property_events", 1}};
const std::vector<std::string> kDimensionTables = {"provinces", "municipalities", "roads", "zip_codes", "cities"};

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) fail("open " + path);
  }
  ~Db() { sqlite3_close_v2(db); }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
  }
  void exec(const std::string& sql) const {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql.substr(0, 80));
  }
};

struct Statement {
  sqlite3_stmt* st = nullptr;
  Statement(const Db& d, const std::string& sql) {
    if (sqlite3_prepare_v3(d.db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) d.fail(sql);
  }
  ~Statement() { sqlite3_finalize(st); }
};

struct ValueFree {
  void operator()(sqlite3_value* v) const { sqlite3_value_free(v); }
};
using Row = std::vector<std::unique_ptr<sqlite3_value, ValueFree>>;

struct Table {
  std::string name;
  int columns = 0;
  std::map<std::string, std::vector<Row>> rows;  // by address_id (dimensions: one key, "")
  std::vector<std::string> order;                 // the keys as the source stored them
};

// `address_column`: the rows by that column's value; -1: all under one key, "".
Table read_table(const Db& src, const std::string& name, int address_column) {
  Table t{name, 0, {}, {}};
  Statement st(src, "SELECT * FROM " + name);  // a table scan: rowid order, as etl inserted them
  t.columns = sqlite3_column_count(st.st);
  while (sqlite3_step(st.st) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < t.columns; ++i) row.emplace_back(sqlite3_value_dup(sqlite3_column_value(st.st, i)));
    const std::string key =
        address_column < 0 ? "" : reinterpret_cast<const char*>(sqlite3_column_text(st.st, address_column));
    auto& rows = t.rows[key];
    if (rows.empty()) t.order.push_back(key);
    rows.push_back(std::move(row));
  }
  return t;
}

std::string insert_sql(const Table& t) {
  std::string marks;
  for (int i = 0; i < t.columns; ++i) marks += i ? ",?" : "?";
  return fmt::format("INSERT INTO {} VALUES ({})", t.name, marks);
}

void insert(const Db& d, Statement& st, const Row& row) {
  for (std::size_t i = 0; i < row.size(); ++i) sqlite3_bind_value(st.st, static_cast<int>(i) + 1, row[i].get());
  if (sqlite3_step(st.st) != SQLITE_DONE) d.fail("insert");
  sqlite3_reset(st.st);
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 3 && !(argc == 5 && std::string(argv[3]) == "--batch-size")) {
    std::fprintf(stderr, "usage: write_limit SOURCE.db DEST.db [--batch-size 50]\n");
    return 2;
  }
  const std::size_t batch = argc == 5 ? std::stoul(argv[4]) : 50;
  const std::string dest_path = argv[2];
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dest_path + suffix);

  const Db src(argv[1], SQLITE_OPEN_READONLY);
  std::vector<Table> dimensions, tables;
  for (const auto& name : kDimensionTables) dimensions.push_back(read_table(src, name, -1));
  for (const auto& [name, column] : kPropertyTables) tables.push_back(read_table(src, name, column));

  const Db dest(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  for (const char* pragma : kSqliteWritePragmas) dest.exec(pragma);
  for (const auto& m : migrations_for("sqlite")) dest.exec(std::string(m.sql));

  std::vector<std::unique_ptr<Statement>> inserts;
  for (const Table& t : tables) inserts.push_back(std::make_unique<Statement>(dest, insert_sql(t)));
  std::size_t rows = 0;
  const auto start = std::chrono::steady_clock::now();
  dest.exec("BEGIN");
  for (const Table& t : dimensions) {
    if (t.rows.empty()) continue;
    Statement st(dest, insert_sql(t));
    for (const Row& row : t.rows.at("")) insert(dest, st, row), ++rows;
  }
  dest.exec("COMMIT");
  std::size_t in_batch = 0, properties = 0;
  for (const std::string& id : tables[0].order) {  // etl's insertion order, not sorted
    if (in_batch == 0) dest.exec("BEGIN");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      const auto it = tables[i].rows.find(id);
      if (it == tables[i].rows.end()) continue;
      for (const Row& row : it->second) insert(dest, *inserts[i], row), ++rows;
    }
    ++properties;
    if (++in_batch == batch) dest.exec("COMMIT"), in_batch = 0;
  }
  if (in_batch) dest.exec("COMMIT");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"properties\":%zu,\"rows\":%zu,\"seconds\":%.3f,\"properties_per_s\":%.1f}\n", properties, rows,
              seconds, properties / seconds);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "write_limit: %s\n", e.what());
  return 1;
}
