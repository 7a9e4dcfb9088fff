// PostgreSQL bulk writes generated from the table map (see pg_bulk_statement.hpp).
#include "loaders/pg_bulk_statement.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "loaders/soci_compat.hpp"
#include "loaders/sql_text.hpp"

namespace etl::loaders_detail {

void PgArray::null() {
  sep();
  s_ += "NULL";
}

void PgArray::text(const std::string& v) {
  sep();
  s_ += '"';
  for (const char c : v) {
    if (c == '"' || c == '\\') s_ += '\\';
    s_ += c;
  }
  s_ += '"';
}

void PgArray::integer(std::int64_t v) {
  sep();
  s_ += std::to_string(v);
}

void PgArray::real(double v) {
  sep();
  if (std::isnan(v)) {
    s_ += "NaN";
  } else if (std::isinf(v)) {
    s_ += v > 0 ? "Infinity" : "-Infinity";
  } else {
    s_ += fmt::format("{}", v);
  }
}

void PgArray::boolean(bool v) {
  sep();
  s_ += v ? "t" : "f";
}

namespace {

struct ArrayAdder {
  PgArray& a;
  void operator()(std::monostate) const { a.null(); }
  void operator()(const std::string* v) const { a.text(*v); }
  void operator()(std::int64_t v) const { a.integer(v); }
  void operator()(double v) const { a.real(v); }
  void operator()(bool v) const { a.boolean(v); }
};

bool in_array(const Column& c) { return c.source == Source::model && c.kind != Kind::json; }
bool is_json(const Column& c) { return c.source == Source::model && c.kind == Kind::json; }

// The parameters a row's JSON values take (a NULL one is written as SQL NULL).
std::size_t json_params(const Table& table, const Row& row) {
  std::size_t n = 0;
  for (const Column& c : table.columns) {
    if (!is_json(c)) continue;
    const Value v = c.read(row);
    n += std::holds_alternative<const std::string*>(v) ? 1 : 0;
  }
  return n;
}

}  // namespace

void PgArray::add(const Value& v) { std::visit(ArrayAdder{*this}, v); }

std::string text_array(const std::vector<std::string>& values) {
  PgArray a;
  for (const auto& v : values) a.text(v);
  return a.str();
}

std::string PgBulkStatement::param(std::string value) {
  params_.push_back(std::move(value));
  return fmt::format(":p{}", params_.size() - 1);
}

std::string PgBulkStatement::expression(const Column& c, UnixTime now) {
  switch (c.source) {
    case Source::run_time: return fmt::format("to_timestamp(CAST({} AS bigint))", param(std::to_string(now)));
    case Source::null: return "NULL";
    case Source::model: break;
  }
  return fmt::format("{}.{}", is_json(c) ? "j" : "t", c.name);
}

std::string PgBulkStatement::rows_from(const Table& table, const std::vector<const Row*>& rows) {
  std::string arrays, names, json_names;
  for (const Column& c : table.columns) {
    if (is_json(c)) json_names += fmt::format(", {}", c.name);
    if (!in_array(c)) continue;
    PgArray a;
    for (const Row* row : rows) a.add(c.read(*row));
    arrays += fmt::format("{}CAST({} AS {}[])", arrays.empty() ? "" : ", ", param(a.str()), sql_types(c.kind).postgres);
    names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
  }
  if (json_names.empty()) return fmt::format("unnest({}) AS t({})", arrays, names);
  // Each JSON value is a parameter of its own, row n of a VALUES list: inside a text[]
  // literal every quote of a payload would be escaped, and unescaping ~10 KB per row in
  // array_in was a tenth of the server's time.
  std::string values;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    values += fmt::format("{}({}", i ? ", " : "", i + 1);
    for (const Column& c : table.columns) {
      if (!is_json(c)) continue;
      const Value v = c.read(*rows[i]);
      const auto* doc = std::get_if<const std::string*>(&v);
      const std::string value = doc ? param(**doc) : "NULL";
      values += fmt::format(", CAST({} AS {})", value, sql_types(c.kind).postgres);
    }
    values += ')';
  }
  return fmt::format("unnest({}) WITH ORDINALITY AS t({}, n) JOIN (VALUES {}) AS j(n{}) USING (n)", arrays, names,
                     values, json_names);
}

void PgBulkStatement::write(const Table& table, const std::vector<Row>& all, UnixTime now) {
  std::vector<const Row*> rows;
  rows.reserve(all.size());
  for (const Row& row : all) rows.push_back(&row);
  // Besides its JSON values a part takes at most one parameter per column (an array or a run
  // time), so this bound keeps every statement under the limit without building it twice.
  const std::size_t fixed = table.columns.size();
  for (std::size_t begin = 0; begin < rows.size();) {
    std::size_t need = fixed, end = begin;
    while (end < rows.size() && need + json_params(table, *rows[end]) <= max_params_) {
      need += json_params(table, *rows[end++]);
    }
    if (end == begin) throw std::logic_error(fmt::format("pg bulk statement: one row of {} exceeds the bind limit", table.name));
    if (params_.size() + need > max_params_) seal();
    write_part(table, std::vector<const Row*>(rows.begin() + begin, rows.begin() + end), now);
    begin = end;
  }
}

void PgBulkStatement::write_part(const Table& table, const std::vector<const Row*>& rows, UnixTime now) {
  const auto key = [](const Column& c) { return fmt::format("t.{}", c.name); };
  // Parameters are made in the order they appear: the expressions, then the rows.
  if (table.write == Write::update) {
    const std::string set = assignments(table, [&](const Column& c) { return expression(c, now); });
    const std::string from = rows_from(table, rows);
    parts_.push_back(
        fmt::format("UPDATE {} SET {} FROM {} WHERE {}", table.name, set, from, key_condition(table, key)));
    return;
  }
  std::string select;
  for (const Column& c : table.columns) select += fmt::format("{}{}", select.empty() ? "" : ", ", expression(c, now));
  const std::string from = rows_from(table, rows);
  parts_.push_back(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}{}", table.name, column_list(table), select, from,
                               conflict_clause(table)));
}

void PgBulkStatement::seal() {
  if (parts_.empty()) return;
  std::string query;
  for (std::size_t i = 0; i + 1 < parts_.size(); ++i) {
    query += fmt::format("{}w{} AS ({})", i ? ", " : "WITH ", i, parts_[i]);
  }
  query += (parts_.size() > 1 ? " " : "") + parts_.back();
  sealed_.push_back(Statement{std::move(query), std::move(params_)});
  parts_.clear();
  params_.clear();
}

void PgBulkStatement::execute(soci::session& sql) {
  seal();
  for (auto& s : sealed_) {
    soci::statement st(sql);
    for (auto& p : s.params) st.exchange(soci::use(p));
    st.alloc();
    // One round trip: a one-time query is sent with its parameters, no named prepared statement.
    st.prepare(s.query, soci::details::st_one_time_query);
    st.define_and_bind();
    st.execute(true);
  }
  clear();
}

void PgBulkStatement::clear() {
  sealed_.clear();
  parts_.clear();
  params_.clear();
}

}  // namespace etl::loaders_detail
