#include "etl/report/report_json.hpp"

#include "etl/core/json_writer.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/report/market_json.hpp"

namespace etl {
namespace {

// Numbers exactly: the page's tooltips and the tests read back what the database said.
void number_field(JsonWriter& w, const char* key, double v) { w.key(key).exact(v); }
void number_field(JsonWriter& w, const char* key, std::int64_t v) { w.field(key, v); }

template <class T>
void optional_field(JsonWriter& w, const char* key, const std::optional<T>& v) {
  if (v) {
    number_field(w, key, *v);
  } else {
    w.key(key).null();
  }
}

std::string time_text(UnixTime t) { return format_utc_time(t).value_or(""); }

void write_market(JsonWriter& w, const MarketRow& r) {
  w.begin_object().field("municipality_code", r.municipality_code).field("municipality", r.municipality);
  write_market_figures(w, r);
  w.end_object();
}

void write_listing(JsonWriter& w, const ListingPoint& l) {
  w.begin_object().field("address_id", l.address_id).field("address", l.address);
  optional_field(w, "zip_code", l.zip_code);
  w.field("city", l.city).field("municipality", l.municipality);
  optional_field(w, "price", l.price);
  optional_field(w, "living_area", l.living_area);
  optional_field(w, "price_per_m2", l.price_per_m2);
  optional_field(w, "latitude", l.latitude);
  optional_field(w, "longitude", l.longitude);
  w.field("case_url", l.case_url).end_object();
}

void write_cut(JsonWriter& w, const PriceCutRow& c) {
  w.begin_object().field("address_id", c.address_id).field("address", c.address).field("city", c.city);
  w.field("municipality", c.municipality).field("old_price", c.old_price).field("new_price", c.new_price);
  number_field(w, "percent", c.percent);
  w.field("observed_at", time_text(c.observed_at)).field("case_url", c.case_url);
  w.end_object();
}

}  // namespace

std::string report_json(const MarketReport& report) {
  JsonWriter w;
  w.begin_object().field("area", report.area).field("generated_at", time_text(report.generated_at));
  w.field("since", time_text(report.since));
  w.key("market").begin_array();
  for (const MarketRow& r : report.market) write_market(w, r);
  w.end_array().key("weeks").begin_array();
  for (const WeeklyActivity& a : report.weeks) {
    w.begin_object().field("week_start", time_text(a.week_start)).field("new_listings", a.new_listings);
    w.field("price_cuts", a.price_cuts).field("sales", a.sales).end_object();
  }
  w.end_array().key("listings").begin_array();
  for (const ListingPoint& l : report.listings) write_listing(w, l);
  w.end_array().key("largest_cuts").begin_array();
  for (const PriceCutRow& c : report.largest_cuts) write_cut(w, c);
  w.end_array().end_object();
  return w.str();
}

}  // namespace etl
