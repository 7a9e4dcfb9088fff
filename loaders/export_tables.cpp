// The catalogue of `etl export` (see export_reads.hpp). A table's columns are the table map's
// (table_map.cpp names every stored column once); a view's are listed here, as its migration
// selects them (export_test checks both against the migrated schemas). Not exported: the
// payload (property_payloads.raw_json, ~8 KB of the API's JSON a property; every field people
// read from it is a column already).
#include "loaders/export_reads.hpp"

#include <algorithm>

#include "loaders/table_map.hpp"

namespace etl {

namespace {

using loaders_detail::Kind;
using loaders_detail::Table;

ExportKind export_kind(Kind kind) {
  switch (kind) {
    case Kind::integer: return ExportKind::integer;
    case Kind::real: return ExportKind::real;
    case Kind::boolean: return ExportKind::boolean;
    case Kind::time: return ExportKind::time;
    case Kind::text:
    case Kind::json: break;
  }
  return ExportKind::text;
}

// The map's columns of `table`, after `first` (a column the map does not write: an id).
ExportTable from_map(const Table& table, std::string_view description, std::string_view time_column,
                     std::vector<ExportColumn> first = {}) {
  ExportTable out{table.name, description, std::move(first), std::max<std::size_t>(table.keys, 1), time_column};
  for (const auto& c : table.columns) out.columns.push_back({c.name, export_kind(c.kind)});
  return out;
}

const Table& map_table(std::string_view name) {
  const auto tables = loaders_detail::changed_tables();
  return **std::find_if(tables.begin(), tables.end(), [&](const Table* t) { return t->name == name; });
}

constexpr auto kText = ExportKind::text;
constexpr auto kInteger = ExportKind::integer;
constexpr auto kReal = ExportKind::real;
constexpr auto kTime = ExportKind::time;

std::vector<ExportTable> make_tables() {
  return {
      from_map(map_table("properties"), "every stored property, removed ones too (removed_at)", "first_seen_at"),
      ExportTable{"current_listings",
                  "the open real-estate listings of live properties (the view)",
                  {{"address_id", kText},
                   {"case_id", kText},
                   {"road_name", kText},
                   {"house_number", kText},
                   {"zip_code", kInteger},
                   {"city_name", kText},
                   {"municipality_code", kInteger},
                   {"price_cash", kInteger},
                   {"living_area", kInteger},
                   {"price_per_m2", kReal},
                   {"days_on_market", kInteger},
                   {"municipality", kText}},
                  2,
                  ""},
      from_map(loaders_detail::events_table(), "what the runs observed: new, listed, price_changed, sold, ...",
               "observed_at", {{"id", kInteger}}),
      ExportTable{"price_cuts",
                  "the observed price cuts (the view)",
                  {{"event_id", kInteger},
                   {"address_id", kText},
                   {"case_id", kText},
                   {"road_name", kText},
                   {"house_number", kText},
                   {"zip_code", kInteger},
                   {"municipality_code", kInteger},
                   {"old_price", kInteger},
                   {"new_price", kInteger},
                   {"percent", kReal},
                   {"observed_at", kTime},
                   {"run_id", kInteger}},
                  1,
                  "observed_at"},
      from_map(map_table("cases"), "every listing case, ended ones too (ended_at)", ""),
      from_map(map_table("registrations"), "the registered sales", ""),
      from_map(map_table("buildings"), "the buildings of each property", ""),
  };
}

}  // namespace

std::span<const ExportTable> export_tables() {
  static const std::vector<ExportTable> tables = make_tables();
  return tables;
}

const ExportTable* find_export_table(std::string_view name) {
  for (const ExportTable& t : export_tables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace etl
