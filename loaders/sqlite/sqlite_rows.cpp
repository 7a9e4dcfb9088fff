// SQLite statements and binds generated from the table map (see sqlite_rows.hpp).
#include "loaders/sqlite/sqlite_rows.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "loaders/sql_text.hpp"

namespace etl::loaders_detail {

namespace {

// Binds one model value; a bool is stored as 0/1.
struct Binder {
  SQLite::Statement& s;
  int i;
  void operator()(std::monostate) const { s.bind(i); }
  void operator()(const std::string* v) const { s.bindNoCopy(i, *v); }
  void operator()(std::int64_t v) const { s.bind(i, static_cast<int64_t>(v)); }
  void operator()(double v) const { s.bind(i, v); }
  void operator()(bool v) const { s.bind(i, static_cast<int32_t>(v ? 1 : 0)); }
};

}  // namespace

std::string sqlite_row_sql(const Table& table) {
  std::vector<std::string> params;  // per column, the same numbering as bind_row's
  int n = 0;
  for (const Column& c : table.columns) params.push_back(c.source == Source::null ? "NULL" : fmt::format("?{}", ++n));
  // sql_text hands back the table's own Column objects: their position names the parameter.
  const auto param = [&](const Column& c) { return params[static_cast<std::size_t>(&c - table.columns.data())]; };
  if (table.write == Write::update) {
    return fmt::format("UPDATE {} SET {} WHERE {}", table.name, assignments(table, param), key_condition(table, param));
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({}){}", table.name, column_list(table), fmt::join(params, ", "),
                     conflict_clause(table));
}

void bind_row(SQLite::Statement& statement, const Table& table, const Row& row, const std::string& run_time) {
  int i = 0;
  for (const Column& c : table.columns) {
    if (c.source == Source::null) continue;
    ++i;
    if (c.source == Source::run_time) {
      statement.bindNoCopy(i, run_time);
    } else {
      std::visit(Binder{statement, i}, c.read(row));
    }
  }
}

}  // namespace etl::loaders_detail
