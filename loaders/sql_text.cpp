// SQL text generated from the table map, shared by the dialects (see sql_text.hpp).
#include "loaders/sql_text.hpp"

#include <fmt/format.h>

namespace etl::loaders_detail {

std::string column_list(const Table& table, std::string_view prefix) {
  std::string out;
  for (const Column& c : table.columns) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += c.name;
  }
  return out;
}

std::string assignments(const Table& table, const std::function<std::string(const Column&)>& value) {
  std::string out;
  for (std::size_t i = table.keys; i < table.columns.size(); ++i) {
    const Column& c = table.columns[i];
    if (c.on_conflict == OnConflict::keep) continue;
    if (!out.empty()) out += ", ";
    out += c.name;
    out += " = ";
    if (c.on_conflict == OnConflict::coalesce) {
      out += "COALESCE(";
      out += value(c);
      out += ", ";
      out += table.name;
      out += '.';
      out += c.name;
      out += ')';
    } else {
      out += value(c);
    }
  }
  return out;
}

std::string conflict_clause(const Table& table) {
  if (table.write != Write::upsert) return "";
  std::string out = " ON CONFLICT (";
  for (std::size_t i = 0; i < table.keys; ++i) {
    if (i) out += ", ";
    out += table.columns[i].name;
  }
  out += ") DO UPDATE SET ";
  out += assignments(table, [](const Column& c) { return std::string("EXCLUDED.") + c.name; });
  return out;
}

std::string key_condition(const Table& table, const std::function<std::string(const Column&)>& key) {
  std::string out;
  for (std::size_t i = 0; i < table.keys; ++i) {
    if (i) out += " AND ";
    out += table.name;
    out += '.';
    out += table.columns[i].name;
    out += " = ";
    out += key(table.columns[i]);
  }
  if (table.only_where) {
    out += " AND ";
    out += table.name;
    out += '.';
    out += table.only_where;
  }
  return out;
}

}  // namespace etl::loaders_detail
