#include "etl/report/market_json.hpp"

#include <optional>

namespace etl {
namespace {

void exact_or_null(JsonWriter& w, const char* key, const std::optional<double>& v) {
  w.key(key);
  if (v) {
    w.exact(*v);
  } else {
    w.null();
  }
}

}  // namespace

void write_market_figures(JsonWriter& w, const MarketRow& r) {
  w.field("villas", r.properties).field("listed", r.listed);
  exact_or_null(w, "median_price", r.median_price);
  exact_or_null(w, "median_price_per_m2", r.median_price_per_m2);
  exact_or_null(w, "median_days_on_market", r.median_days_on_market);
  w.field("new_listings_7d", r.new_listings_7d).field("new_listings_30d", r.new_listings_30d);
  w.field("price_cuts_7d", r.price_cuts_7d).field("price_cuts_30d", r.price_cuts_30d);
  w.field("sales_7d", r.sales_7d).field("sales_30d", r.sales_30d);
  exact_or_null(w, "median_cut_percent_30d", r.median_cut_percent_30d);
}

}  // namespace etl
