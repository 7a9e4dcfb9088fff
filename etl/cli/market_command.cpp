// `etl market [--area NAME | --municipality NAME ...] [--format table|csv|json]`: the market
// per municipality and in total, as the database computes it (MarketReads::market): villas,
// listed now, median asking price, price per m² and days on market, new listings, price cuts
// and sales of the last 7 and 30 days, and the median cut. Reads only. The table is as wide
// as the terminal; csv and json are for scripts.
#include <fmt/core.h>

#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "etl/cli/area_filter.hpp"
#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/cli/table_text.hpp"
#include "etl/core/area_config.hpp"
#include "etl/core/csv_writer.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/printable_text.hpp"
#include "etl/core/text_columns.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "etl/report/market_json.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

struct MarketFlags {
  std::string db;
  AreaFlags where;  // --area, --municipality, --config
  TableFormat format = TableFormat::table;
};

// A row's name: the stored one, else the area configuration's, else its code.
std::string name_of(const MarketRow& r, const std::map<std::int64_t, std::string>& configured) {
  if (!r.municipality.empty()) return r.municipality;
  const auto it = configured.find(r.municipality_code);
  return it != configured.end() ? it->second : std::to_string(r.municipality_code);
}

bool is_total(const MarketRow& r) { return r.municipality_code == 0; }

enum Column : std::size_t { kName, kVillas, kListed, kPrice, kPerM2, kDays, kNew, kCuts, kSold, kCut, kColumns };
using TableRow = std::array<std::string, kColumns>;

std::string price_text(const std::optional<double>& v) {
  return v ? short_price(std::llround(*v)) : "-";
}

std::string window_text(std::int64_t last_7d, std::int64_t last_30d) { return fmt::format("{}/{}", last_7d, last_30d); }

TableRow table_row(const MarketRow& r, const std::string& name) {
  return {printable(name),
          std::to_string(r.properties),
          std::to_string(r.listed),
          price_text(r.median_price),
          price_text(r.median_price_per_m2),
          r.median_days_on_market ? fmt::format("{:.0f}", *r.median_days_on_market) : "-",
          window_text(r.new_listings_7d, r.new_listings_30d),
          window_text(r.price_cuts_7d, r.price_cuts_30d),
          window_text(r.sales_7d, r.sales_30d),
          r.median_cut_percent_30d ? fmt::format("{:+.1f}%", *r.median_cut_percent_30d) : "-"};
}

// Each column as wide as its widest cell; while the line is wider than `width` the name loses
// a column, down to 8. Numbers are never cut: past that the line is wider than `width`.
std::array<std::size_t, kColumns> column_widths(const std::vector<TableRow>& rows, std::size_t width) {
  std::array<std::size_t, kColumns> w{};
  for (const TableRow& r : rows)
    for (std::size_t c = 0; c < kColumns; ++c) w[c] = std::max(w[c], text_columns(r[c]));
  std::size_t total = kColumns - 1;
  for (const std::size_t c : w) total += c;
  constexpr std::size_t kShortestName = 8;
  while (total > width && w[kName] > kShortestName) {
    --w[kName];
    --total;
  }
  return w;
}

void print_table(const std::vector<MarketRow>& market, const std::map<std::int64_t, std::string>& configured) {
  std::vector<TableRow> rows{{"MUNICIPALITY", "VILLAS", "LISTED", "PRICE", "PER M²", "DAYS", "NEW", "CUTS", "SOLD", "CUT"}};
  for (const MarketRow& r : market) rows.push_back(table_row(r, is_total(r) ? "TOTAL" : name_of(r, configured)));
  const auto widths = column_widths(rows, table_width());
  for (const TableRow& r : rows) {
    std::string line = cell(r[kName], widths[kName]);
    for (std::size_t c = kName + 1; c < kColumns; ++c) {  // numbers right-aligned
      line.append(1 + widths[c] - text_columns(r[c]), ' ');
      line.append(r[c]);
    }
    fmt::print("{}\n", line);
  }
  fmt::print("medians; NEW/CUTS/SOLD: last 7/30 days; CUT: 30 days\n");
}

std::string exact_or_empty(const std::optional<double>& v) { return v ? exact_number(*v) : ""; }

void print_csv(const std::vector<MarketRow>& market, const std::map<std::int64_t, std::string>& configured) {
  fmt::print("municipality_code,municipality,villas,listed,median_price,median_price_per_m2,median_days_on_market,"
             "new_listings_7d,new_listings_30d,price_cuts_7d,price_cuts_30d,sales_7d,sales_30d,"
             "median_cut_percent_30d\r\n");
  for (const MarketRow& r : market) {
    const std::vector<std::string> fields{
        is_total(r) ? "" : std::to_string(r.municipality_code),
        spreadsheet_text(is_total(r) ? "total" : name_of(r, configured)),
        std::to_string(r.properties),
        std::to_string(r.listed),
        exact_or_empty(r.median_price),
        exact_or_empty(r.median_price_per_m2),
        exact_or_empty(r.median_days_on_market),
        std::to_string(r.new_listings_7d),
        std::to_string(r.new_listings_30d),
        std::to_string(r.price_cuts_7d),
        std::to_string(r.price_cuts_30d),
        std::to_string(r.sales_7d),
        std::to_string(r.sales_30d),
        exact_or_empty(r.median_cut_percent_30d)};
    std::string line;
    append_csv_record(line, fields);
    fmt::print("{}", line);
  }
}

void print_json(const std::vector<MarketRow>& market, const std::map<std::int64_t, std::string>& configured,
                UnixTime now) {
  JsonWriter w;
  w.begin_object().field("as_of", format_utc_time(now).value_or("?"));
  w.key("municipalities").begin_array();
  for (const MarketRow& r : market) {
    if (is_total(r)) continue;
    w.begin_object().field("code", r.municipality_code).field("name", name_of(r, configured));
    write_market_figures(w, r);
    w.end_object();
  }
  w.end_array().key("total").begin_object();
  write_market_figures(w, market.back());
  w.end_object().end_object();
  fmt::print("{}\n", w.str());
}

int run_market(const MarketFlags& f) {
  MarketFilter filter;
  filter.now = now_seconds();
  std::map<std::int64_t, std::string> configured;  // the names of the municipalities asked for
  for (const Municipality& m : selected_municipalities(f.where)) {
    configured.emplace(m.code, m.name);
    filter.municipality_codes.push_back(m.code);
  }
  require_database(f.db);
  const auto store = open_read_store(f.db);
  const std::vector<MarketRow> market = store->market(filter);
  if (market.back().properties == 0 && (filter.municipality_codes.empty() || store->property_counts().empty()))
    throw ConfigError(fmt::format("no properties stored in {} yet: import some first, e.g. `etl run --area copenhagen` "
                                  "(or `etl import-json FILE`)",
                                  redact_db_url(f.db)));
  switch (f.format) {
    case TableFormat::table:
      print_table(market, configured);
      break;
    case TableFormat::csv:
      print_csv(market, configured);
      break;
    case TableFormat::json:
      print_json(market, configured, filter.now);
      break;
  }
  return kExitOk;
}

}  // namespace

CommandAction add_market_command(CLI::App& app) {
  auto f = std::make_shared<MarketFlags>();
  CLI::App* sub = app.add_subcommand(
      "market", "The market per municipality and in total: villas, listed now, median asking price, price per m² and "
                "days on market, new listings, price cuts and sales of the last 7 and 30 days, the median cut");
  sub->footer(
      "Examples:\n"
      "  $ etl market --area copenhagen\n"
      "  $ etl market --municipality Gentofte --municipality Lyngby-Taarbæk --format csv > market.csv");
  add_db_option(*sub, f->db);
  add_area_options(*sub, f->where);
  add_enum_option(*sub, "--format", f->format, kTableFormatNames,
                  "table (as wide as the terminal or $COLUMNS, 80 without either; names are shortened to fit, never "
                  "numbers; prices in k/M), csv (RFC 4180 with a header, exact numbers) or json (one object: "
                  "municipalities and total)");
  return [f] { return run_market(*f); };
}

}  // namespace etl::cli
