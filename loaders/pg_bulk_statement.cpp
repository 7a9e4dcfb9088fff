#include "loaders/pg_bulk_statement.hpp"

#include <fmt/format.h>

#include <cmath>

#include "loaders/soci_compat.hpp"

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

std::string text_array(const std::vector<std::string>& values) {
  PgArray a;
  for (const auto& v : values) a.text(v);
  return a.str();
}

PgArray& Columns::col(const std::string& name, const std::string& type) {
  const auto it = index.find(name);
  if (it != index.end()) return arrays[it->second];
  index.emplace(name, names.size());
  names.push_back(name);
  types.push_back(type);
  arrays.emplace_back();
  return arrays.back();
}

namespace {

std::string column_list(const Columns& cols) {
  std::string names;
  for (const auto& n : cols.names) names += (names.empty() ? "" : ", ") + n;
  return names;
}

}  // namespace

std::string PgBulkStatement::param(std::string value) {
  params_.push_back(std::move(value));
  return ":p" + std::to_string(params_.size() - 1);
}

std::string PgBulkStatement::unnest(const Columns& cols, bool numbered) {
  std::string args;
  for (std::size_t i = 0; i < cols.names.size(); ++i) {
    args += (i ? ", CAST(" : "CAST(") + param(cols.arrays[i].str()) + " AS " + cols.types[i] + "[])";
  }
  const std::string names = column_list(cols);
  return "unnest(" + args + ")" + (numbered ? " WITH ORDINALITY AS t(" + names + ", n)" : " AS t(" + names + ")");
}

void PgBulkStatement::insert(const std::string& table, const Columns& cols, const std::string& tail) {
  if (cols.rows() == 0) return;
  add("INSERT INTO " + table + " (" + column_list(cols) + ") SELECT * FROM " + unnest(cols) +
      (tail.empty() ? "" : " ") + tail);
}

void PgBulkStatement::execute(soci::session& sql) {
  if (parts_.empty()) return;
  std::string query;
  for (std::size_t i = 0; i + 1 < parts_.size(); ++i) {
    query += (i ? ", w" : "WITH w") + std::to_string(i) + " AS (" + parts_[i] + ")";
  }
  query += (parts_.size() > 1 ? " " : "") + parts_.back();
  soci::statement st(sql);
  for (auto& p : params_) st.exchange(soci::use(p));
  st.alloc();
  // One round trip: a one-time query is sent with its parameters, no named prepared statement.
  st.prepare(query, soci::details::st_one_time_query);
  st.define_and_bind();
  st.execute(true);
  parts_.clear();
  params_.clear();
}

}  // namespace etl::loaders_detail
