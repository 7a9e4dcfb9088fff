// SQLite's SQL pieces (see sqlite_sql.hpp).
#include "loaders/sqlite/sqlite_sql.hpp"

#include <fmt/format.h>

#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/utc_time.hpp"

namespace etl::loaders_detail {

namespace {

const char* column_type(Kind kind) {
  switch (kind) {
    case Kind::text: return "TEXT";
    case Kind::integer: return "INTEGER";
    case Kind::real: return "REAL";
    case Kind::boolean: return "INTEGER";  // 0/1 with a CHECK
    case Kind::json: return "TEXT";
    case Kind::time: return "TEXT";  // format_utc text
  }
  return "";
}

}  // namespace

const SqlSyntax& sqlite_syntax() {
  static const SqlSyntax syntax{
      [](int n) { return fmt::format("?{}", n); },
      [](int n) { return fmt::format("?{}", n); },
      [](std::string_view column) { return std::string(column); },
      [](std::string_view column) { return fmt::format("CAST(strftime('%s', {}) AS INTEGER)", column); },
      [](int n) { return fmt::format("SELECT value FROM json_each(?{})", n); },
      "",  // text compares bytewise already
      &column_type,
  };
  return syntax;
}

std::string format_utc(UnixTime t) {
  if (auto text = format_utc_time(t)) return *text;
  throw StoreError("timestamp out of range: " + std::to_string(t));
}

UnixTime parse_utc(std::string_view text) {
  if (const auto t = parse_utc_time(text)) return *t;
  throw StoreError("malformed stored timestamp '" + std::string(text) + "' (expected YYYY-MM-DDTHH:MM:SSZ)");
}

std::string json_string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += json_quote(values[i]);
  }
  out += ']';
  return out;
}

}  // namespace etl::loaders_detail
