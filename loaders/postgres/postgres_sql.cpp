// PostgreSQL's SQL pieces (see postgres_sql.hpp).
#include "loaders/postgres/postgres_sql.hpp"

#include <fmt/format.h>

namespace etl::loaders_detail {

const char* postgres_column_type(Kind kind) {
  switch (kind) {
    case Kind::text: return "text";
    case Kind::integer: return "bigint";
    case Kind::real: return "double precision";
    case Kind::boolean: return "boolean";
    case Kind::json: return "json";
    case Kind::time: return "timestamp with time zone";
  }
  return "";
}

const SqlSyntax& postgres_syntax() {
  static const SqlSyntax syntax{
      [](int n) { return fmt::format("${}", n); },
      [](int n) { return fmt::format("to_timestamp(${})", n); },
      [](std::string_view column) { return fmt::format("CAST(EXTRACT(EPOCH FROM {}) AS bigint)", column); },
      [](std::string_view column) { return fmt::format("CAST(EXTRACT(EPOCH FROM {}) AS bigint)", column); },
      [](int n) { return fmt::format("SELECT unnest(CAST(${} AS text[]))", n); },
      " COLLATE \"C\"",  // else the database's collation would order the text
      &postgres_column_type,
  };
  return syntax;
}

std::string text_array(const std::vector<std::string>& values) {
  std::string s = "{";
  for (const auto& v : values) {
    if (s.size() > 1) s += ',';
    s += '"';
    for (const char c : v) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  return s + "}";
}

}  // namespace etl::loaders_detail
