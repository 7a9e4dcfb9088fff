// What `etl export` reads: the exportable tables and views (one catalogue, export_tables.cpp,
// whose table columns come from the table map), and a streamed read of one of them written
// once over the dialects (sql_store.cpp): each row is handed over as the database gives it,
// so memory stays flat for any size.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace etl {

// A column's value as exported: the same in every dialect (a boolean is true/false, a time
// Unix seconds), whatever each stores.
enum class ExportKind { text, integer, real, boolean, time };

struct ExportColumn {
  std::string_view name;
  ExportKind kind;
};

struct ExportTable {
  std::string_view name;
  std::string_view description;   // for --help and the README
  std::vector<ExportColumn> columns;
  std::size_t keys = 1;            // rows are ordered by the first `keys` columns (text bytewise)
  std::string_view time_column;    // what --since filters; empty: the table has none
};

// properties, current_listings, property_events, price_cuts, cases, registrations, buildings.
std::span<const ExportTable> export_tables();
// The table named `name`, or nullptr.
const ExportTable* find_export_table(std::string_view name);

// Which rows: an unset or empty field selects every row.
struct ExportFilter {
  std::vector<std::int64_t> municipality_codes;  // of the row's property (properties.municipality_code)
  std::optional<std::int64_t> since;             // time_column at or after (Unix seconds)
};

struct ExportTime {
  std::int64_t seconds = 0;
};
// NULL, text, integer, real, boolean, time: by the column's ExportKind.
using ExportValue = std::variant<std::monostate, std::string, std::int64_t, double, bool, ExportTime>;

class ExportReads {
 public:
  virtual ~ExportReads() = default;
  // Every row of `table` the filter selects, in key order, each as its columns' values given
  // to `row` while the read goes on; returns how many. A filter by time on a table without a
  // time column is a StoreError. Never retried: rows already given cannot be taken back.
  virtual std::int64_t export_rows(const ExportTable& table, const ExportFilter& filter,
                                   const std::function<void(const std::vector<ExportValue>&)>& row) = 0;
};

}  // namespace etl
