#include "tests/support/db_dump.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <set>
#include <ctime>
#include <cctype>
#include <stdexcept>
#include <variant>
#include <vector>

#include "etl/core/json_writer.hpp"
#include "loaders/postgres/postgres_store.hpp"
#include "loaders/postgres/soci_compat.hpp"

namespace etl::test {

namespace {

const std::vector<std::string> kDataTables = {"properties", "property_payloads", "buildings",      "registrations",
                                              "cases",      "price_changes",     "municipalities", "provinces",
                                              "roads",      "zip_codes",         "cities"};

bool excluded_column(const std::string& name) {
  return name == "first_seen_at" || name == "last_seen_at" || name == "fetched_at";
}

// A typed cell: null < integer < real < text when sorting.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Column {
  std::string name;
  bool json = false;
};

struct Table {
  std::vector<Column> columns;    // as rendered (removed_at already renamed to removed)
  std::vector<std::size_t> pk;    // indexes into columns
  std::vector<std::vector<Cell>> rows;
};

void canonical(simdjson::dom::element e, std::string& out) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      const simdjson::dom::object o = e.get_object().value_unsafe();
      for (auto field : o) fields.emplace_back(field.key, field.value);
      std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      for (std::size_t i = 0; i < fields.size(); ++i) {
        // JSONB keeps the last of duplicate keys; do the same.
        if (i + 1 < fields.size() && fields[i + 1].first == fields[i].first) continue;
        if (out.back() != '{') out += ',';
        out += json_quote(fields[i].first);
        out += ':';
        canonical(fields[i].second, out);
      }
      out += '}';
      break;
    }
    case element_type::ARRAY: {
      out += '[';
      bool first = true;
      const simdjson::dom::array a = e.get_array().value_unsafe();
      for (auto v : a) {
        if (!first) out += ',';
        first = false;
        canonical(v, out);
      }
      out += ']';
      break;
    }
    case element_type::STRING:
      out += json_quote(e.get_string().value_unsafe());
      break;
    case element_type::INT64:
      out += std::to_string(e.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      out += std::to_string(e.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE: {
      const double d = e.get_double().value_unsafe();
      // 5.0 and 5 are the same JSON number; JSONB may print either.
      if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9e15 && d < 9e15) {
        out += std::to_string(static_cast<std::int64_t>(d));
      } else {
        out += fmt::format("{}", d);
      }
      break;
    }
    case element_type::BOOL:
      out += e.get_bool().value_unsafe() ? "true" : "false";
      break;
    case element_type::NULL_VALUE:
      out += "null";
      break;
  }
}

std::string render(const Cell& c, bool json) {
  if (std::holds_alternative<std::monostate>(c)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) return fmt::format("{}", *d);
  const auto& s = std::get<std::string>(c);
  if (json) return canonical_json(s);
  std::string out;
  out += json_quote(s);
  return out;
}

std::string render_tables(const std::vector<std::pair<std::string, Table>>& tables) {
  std::string out;
  for (const auto& [name, t] : tables) {
    out += "== " + name + " (" + std::to_string(t.rows.size()) + " rows)\n";
    for (const auto& row : t.rows) {
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i) out += " | ";
        out += t.columns[i].name + "=" + render(row[i], t.columns[i].json);
      }
      out += '\n';
    }
  }
  return out;
}

void sort_rows(Table& t) {
  std::sort(t.rows.begin(), t.rows.end(), [&](const std::vector<Cell>& a, const std::vector<Cell>& b) {
    for (const auto i : t.pk) {
      if (a[i] != b[i]) return a[i] < b[i];
    }
    return a < b;
  });
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool is_sqlite(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }

std::string sqlite_path(const std::string& url) {
  std::string path = url.substr(7);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  return path;
}

// --- SQLite ---------------------------------------------------------------------------

Table sqlite_table(SQLite::Database& db, const std::string& name) {
  Table t;
  std::vector<std::pair<int, std::size_t>> pk;
  std::string select;
  SQLite::Statement info(db, "SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid");
  info.bind(1, name);
  while (info.executeStep()) {
    const std::string col = info.getColumn(0).getString();
    if (excluded_column(col)) continue;
    if (!select.empty()) select += ", ";
    if (col == "removed_at") {
      select += "removed_at IS NOT NULL";
      t.columns.push_back({"removed", false});
    } else {
      select += "\"" + col + "\"";
      t.columns.push_back({col, col == "raw_json"});
    }
    if (const int k = info.getColumn(1).getInt(); k > 0) pk.emplace_back(k, t.columns.size() - 1);
  }
  if (t.columns.empty()) throw std::runtime_error("canonical_dump: no table " + name + " in the SQLite database");
  std::sort(pk.begin(), pk.end());
  for (const auto& p : pk) t.pk.push_back(p.second);
  SQLite::Statement q(db, "SELECT " + select + " FROM \"" + name + "\"");
  while (q.executeStep()) {
    std::vector<Cell> row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      const auto col = q.getColumn(i);
      switch (col.getType()) {
        case SQLITE_INTEGER: row.emplace_back(static_cast<std::int64_t>(col.getInt64())); break;
        case SQLITE_FLOAT: row.emplace_back(col.getDouble()); break;
        case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
        default: row.emplace_back(col.getString()); break;
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// --- PostgreSQL -----------------------------------------------------------------------

Table pg_table(soci::session& sql, const std::string& name) {
  Table t;
  std::string select;
  {
    soci::rowset<soci::row> cols =
        (sql.prepare << "SELECT CAST(column_name AS text), CAST(data_type AS text) FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position",
         soci::use(name));
    for (const auto& r : cols) {
      const auto col = r.get<std::string>(0);
      const auto type = r.get<std::string>(1);
      if (excluded_column(col)) continue;
      if (!select.empty()) select += ", ";
      const std::string q = "\"" + col + "\"";
      bool json = false;
      std::string out_name = col;
      if (col == "removed_at") {
        select += "CAST(CAST(removed_at IS NOT NULL AS integer) AS bigint)";
        out_name = "removed";
      } else if (type == "boolean") {
        select += "CAST(CAST(" + q + " AS integer) AS bigint)";
      } else if (type == "smallint" || type == "integer" || type == "bigint") {
        select += "CAST(" + q + " AS bigint)";
      } else if (type == "double precision" || type == "real" || type == "numeric") {
        select += "CAST(" + q + " AS double precision)";
      } else if (type == "timestamp with time zone") {
        select += "to_char(" + q + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
      } else if (type == "json" || type == "jsonb") {
        select += "CAST(" + q + " AS text)";
        json = true;
      } else {
        select += "CAST(" + q + " AS text)";
      }
      t.columns.push_back({out_name, json || col == "raw_json"});
    }
  }
  if (t.columns.empty()) throw std::runtime_error("canonical_dump: no table " + name + " in the PostgreSQL database");
  {
    soci::rowset<soci::row> keys =
        (sql.prepare << "SELECT CAST(a.attname AS text) FROM pg_index i "
                        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                        "WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary "
                        "ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)",
         soci::use(name));
    for (const auto& r : keys) {
      const auto col = r.get<std::string>(0);
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i].name == col) t.pk.push_back(i);
      }
    }
  }
  soci::rowset<soci::row> rows = (sql.prepare << "SELECT " + select + " FROM \"" + name + "\"");
  for (const auto& r : rows) {
    std::vector<Cell> row;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (r.get_indicator(i) == soci::i_null) {
        row.emplace_back(std::monostate{});
        continue;
      }
      switch (r.get_properties(i).get_data_type()) {
        case soci::dt_long_long: row.emplace_back(static_cast<std::int64_t>(r.get<long long>(i))); break;
        case soci::dt_integer: row.emplace_back(static_cast<std::int64_t>(r.get<int>(i))); break;
        case soci::dt_double: row.emplace_back(r.get<double>(i)); break;
        case soci::dt_string: row.emplace_back(r.get<std::string>(i)); break;
        default: throw std::runtime_error("canonical_dump: unexpected column type in " + name);
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

std::string canonical_json(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (const auto err = parser.parse(json).get(doc)) {
    throw std::runtime_error(std::string("canonical_json: invalid JSON: ") + simdjson::error_message(err));
  }
  std::string out;
  canonical(doc, out);
  return out;
}

namespace {

std::vector<std::pair<std::string, Table>> load_tables(const std::string& db_url, const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, Table>> tables;
  if (is_sqlite(db_url)) {
    SQLite::Database db(sqlite_path(db_url), SQLite::OPEN_READONLY);
    for (const auto& name : names) tables.emplace_back(name, sqlite_table(db, name));
  } else {
    soci::session sql(*soci::factory_postgresql(), loaders_detail::pg_conninfo(db_url));
    for (const auto& name : names) tables.emplace_back(name, pg_table(sql, name));
  }
  return tables;
}

std::size_t column_index(const Table& t, const std::string& name) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].name == name) return i;
  }
  throw std::runtime_error("live_dump: no column " + name);
}

}  // namespace

std::string canonical_dump(const std::string& db_url) { return canonical_dump(db_url, kDataTables); }

std::string canonical_dump(const std::string& db_url, const std::vector<std::string>& tables_to_dump) {
  auto tables = load_tables(db_url, tables_to_dump);
  for (auto& [name, t] : tables) sort_rows(t);
  return render_tables(tables);
}

std::string live_dump(const std::string& db_url) {
  auto tables =
      load_tables(db_url, {"properties", "property_payloads", "buildings", "registrations", "cases", "price_changes"});
  std::set<std::string> removed;
  {
    Table& properties = tables.front().second;
    const std::size_t id = column_index(properties, "address_id");
    const std::size_t flag = column_index(properties, "removed");
    for (const auto& row : properties.rows) {
      if (std::get<std::int64_t>(row[flag]) != 0) removed.insert(std::get<std::string>(row[id]));
    }
  }
  for (auto& [name, t] : tables) {
    const std::size_t id = column_index(t, "address_id");
    std::erase_if(t.rows, [&](const std::vector<Cell>& row) { return removed.contains(std::get<std::string>(row[id])); });
    if (name == "cases") {  // an ended case is history a clean import does not have
      const std::size_t ended = column_index(t, "ended_at");
      std::erase_if(t.rows, [&](const std::vector<Cell>& row) { return !std::holds_alternative<std::monostate>(row[ended]); });
    }
    sort_rows(t);
  }
  return render_tables(tables);
}

void exec_sql(const std::string& db_url, const std::vector<std::string>& statements) {
  if (is_sqlite(db_url)) {
    SQLite::Database db(sqlite_path(db_url), SQLite::OPEN_READWRITE);
    for (const auto& s : statements) db.exec(s);
    return;
  }
  soci::session sql(*soci::factory_postgresql(), loaders_detail::pg_conninfo(db_url));
  for (const auto& s : statements) sql << s;
}

std::vector<std::vector<std::string>> query_rows(const std::string& db_url, const std::string& sql_text) {
  std::vector<std::vector<std::string>> out;
  if (is_sqlite(db_url)) {
    SQLite::Database db(sqlite_path(db_url), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, sql_text);
    while (q.executeStep()) {
      std::vector<std::string> row;
      for (int i = 0; i < q.getColumnCount(); ++i) {
        const auto col = q.getColumn(i);
        switch (col.getType()) {
          case SQLITE_INTEGER: row.push_back(std::to_string(col.getInt64())); break;
          case SQLITE_FLOAT: row.push_back(fmt::format("{}", col.getDouble())); break;
          case SQLITE_NULL: row.push_back("NULL"); break;
          default: row.push_back(col.getString()); break;
        }
      }
      out.push_back(std::move(row));
    }
    return out;
  }
  soci::session sql(*soci::factory_postgresql(), loaders_detail::pg_conninfo(db_url));
  sql << "SET TIME ZONE 'UTC'";
  soci::rowset<soci::row> rows = (sql.prepare << sql_text);
  for (const auto& r : rows) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (r.get_indicator(i) == soci::i_null) {
        row.push_back("NULL");
        continue;
      }
      switch (r.get_properties(i).get_data_type()) {
        case soci::dt_long_long: row.push_back(std::to_string(r.get<long long>(i))); break;
        case soci::dt_integer: row.push_back(std::to_string(r.get<int>(i))); break;
        case soci::dt_double: row.push_back(fmt::format("{}", r.get<double>(i))); break;
        case soci::dt_string: row.push_back(r.get<std::string>(i)); break;
        case soci::dt_date: {  // timestamptz, read in UTC (see SET TIME ZONE): SQLite's text form
          const std::tm tm = r.get<std::tm>(i);
          char buf[32];
          std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
          row.push_back(buf);
          break;
        }
        default: throw std::runtime_error("query_rows: unsupported column type in: " + sql_text);
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::int64_t count_rows(const std::string& db_url, const std::string& table) {
  if (!is_identifier(table)) throw std::invalid_argument("count_rows: not a table name: " + table);
  if (is_sqlite(db_url)) {
    SQLite::Database db(sqlite_path(db_url), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT COUNT(*) FROM \"" + table + "\"").getInt64();
  }
  soci::session sql(*soci::factory_postgresql(), loaders_detail::pg_conninfo(db_url));
  long long n = 0;
  sql << "SELECT COUNT(*) FROM \"" + table + "\"", soci::into(n);
  return n;
}

}  // namespace etl::test
