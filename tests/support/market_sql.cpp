// The market by plain SQL (see market_sql.hpp).
#include "tests/support/market_sql.hpp"

#include <fmt/format.h>

#include "etl/core/utc_time.hpp"
#include "tests/support/db_dump.hpp"

namespace etl::test {

namespace {

constexpr UnixTime kDay = 86'400;

std::int64_t number(const std::string& db_url, const std::string& sql) {
  return std::stoll(query_rows(db_url, sql).at(0).at(0));
}

std::optional<double> median_of(const std::string& db_url, const std::string& sql) {
  std::vector<double> values;
  for (const auto& row : query_rows(db_url, sql)) values.push_back(std::stod(row.at(0)));
  return middle(values);
}

// Both dialects compare a time column with this text: SQLite as text, PostgreSQL cast to timestamptz.
std::string utc(UnixTime t) { return format_utc_time(t).value_or(""); }

}  // namespace

std::optional<double> middle(const std::vector<double>& sorted) {
  if (sorted.empty()) return std::nullopt;
  const std::size_t n = sorted.size();
  return (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
}

std::int64_t events_by_sql(const std::string& db_url, const std::string& kinds, const std::string& codes,
                           UnixTime from, UnixTime to) {
  const std::string window = fmt::format("observed_at >= '{}' AND observed_at <= '{}'", utc(from), utc(to));
  if (kinds == "cut")
    return number(db_url,
                  fmt::format("SELECT COUNT(*) FROM price_cuts WHERE municipality_code IN ({}) AND {}", codes, window));
  return number(db_url, fmt::format("SELECT COUNT(*) FROM property_events e JOIN properties p ON p.address_id = "
                                    "e.address_id WHERE e.kind IN ({}) AND p.municipality_code IN ({}) AND e.{}",
                                    kinds, codes, window));
}

std::string market_numbers(const MarketRow& r) {
  const auto num = [](const std::optional<double>& v) { return v ? fmt::format("{:.6f}", *v) : std::string("-"); };
  return fmt::format("{} {} | {} {} {} | {}/{} {}/{} {}/{} | {}", r.properties, r.listed, num(r.median_price),
                     num(r.median_price_per_m2), num(r.median_days_on_market), r.new_listings_7d, r.new_listings_30d,
                     r.price_cuts_7d, r.price_cuts_30d, r.sales_7d, r.sales_30d, num(r.median_cut_percent_30d));
}

MarketRow market_by_sql(const std::string& db_url, const std::string& codes, UnixTime now) {
  MarketRow r;
  r.properties = number(db_url, "SELECT COUNT(*) FROM properties WHERE removed_at IS NULL AND municipality_code IN (" +
                                    codes + ")");
  const std::string listings = " FROM current_listings WHERE municipality_code IN (" + codes + ") AND ";
  r.listed = number(db_url, "SELECT COUNT(*)" + listings + "1 = 1");
  r.median_price = median_of(db_url, "SELECT price_cash" + listings + "price_cash IS NOT NULL ORDER BY 1");
  r.median_price_per_m2 = median_of(db_url, "SELECT price_per_m2" + listings + "price_per_m2 IS NOT NULL ORDER BY 1");
  r.median_days_on_market =
      median_of(db_url, "SELECT days_on_market" + listings + "days_on_market IS NOT NULL ORDER BY 1");
  r.median_cut_percent_30d = median_of(
      db_url, fmt::format("SELECT percent FROM price_cuts WHERE municipality_code IN ({}) AND observed_at >= '{}' "
                          "AND observed_at <= '{}' ORDER BY 1",
                          codes, utc(now - 30 * kDay), utc(now)));
  const auto count = [&](const std::string& kinds, UnixTime days) {
    return events_by_sql(db_url, kinds, codes, now - days * kDay, now);
  };
  r.new_listings_7d = count("'listed', 'relisted'", 7);
  r.new_listings_30d = count("'listed', 'relisted'", 30);
  r.price_cuts_7d = count("cut", 7);
  r.price_cuts_30d = count("cut", 30);
  r.sales_7d = count("'sold'", 7);
  r.sales_30d = count("'sold'", 30);
  return r;
}

}  // namespace etl::test
