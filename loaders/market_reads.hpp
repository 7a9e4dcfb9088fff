// The market as numbers, computed by the database: what `etl market` lists and `etl report`
// draws. Written once over the dialects (loaders/sql_store.cpp); medians are exact (the
// middle value, or the mean of the two middle values), from the rows of `current_listings`
// and `property_events`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loaders/unix_time.hpp"

namespace etl {

// Which part of the stored market a read covers.
struct MarketFilter {
  std::vector<std::int64_t> municipality_codes;  // empty: every municipality stored
  UnixTime now = 0;  // "the last 7 and 30 days" end here; weekly_activity's last week holds it
};

// One municipality's market, or the total over the filter's (municipality_code 0, last).
struct MarketRow {
  std::int64_t municipality_code = 0;
  std::string municipality;  // its name; empty if unknown; "total" for the total row
  std::int64_t properties = 0;  // stored, not removed
  std::int64_t listed = 0;      // rows of current_listings
  std::optional<double> median_price;          // current_listings.price_cash
  std::optional<double> median_price_per_m2;   // current_listings.price_per_m2
  std::optional<double> median_days_on_market; // current_listings.days_on_market
  // Events observed in the last 7 and 30 days: at or after now - 7 (30) x 86,400 s and at or
  // before `now`. New listings are `listed` and `relisted`, cuts are rows of the price_cuts
  // view, sales are `sold`; an event counts for the municipality its property is in.
  std::int64_t new_listings_7d = 0;
  std::int64_t new_listings_30d = 0;
  std::int64_t price_cuts_7d = 0;
  std::int64_t price_cuts_30d = 0;
  std::int64_t sales_7d = 0;
  std::int64_t sales_30d = 0;
  std::optional<double> median_cut_percent_30d;  // price_cuts.percent (negative), last 30 days
};

// One week of events (the report's time series).
struct WeeklyActivity {
  UnixTime week_start = 0;  // Monday 00:00 UTC
  std::int64_t new_listings = 0;
  std::int64_t price_cuts = 0;
  std::int64_t sales = 0;
};

// An open listing: a row of current_listings with where it is.
struct ListingPoint {
  std::string address_id;
  std::string address;  // road name and house number
  std::optional<std::int64_t> zip_code;
  std::string city;
  std::string municipality;
  std::optional<std::int64_t> price;
  std::optional<double> living_area;
  std::optional<double> price_per_m2;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string case_url;  // empty if unknown
};

// An observed price cut (a row of price_cuts) with its address and listing link.
struct PriceCutRow {
  std::string address_id;
  std::string address;
  std::string city;
  std::string municipality;
  std::int64_t old_price = 0;
  std::int64_t new_price = 0;
  double percent = 0;  // negative
  UnixTime observed_at = 0;
  std::string case_url;  // empty if unknown
};

// The reads behind `etl market` and `etl report`; read-only.
class MarketReads {
 public:
  virtual ~MarketReads() = default;
  // One row per municipality, ordered by name (bytewise), then code, then the total row (the
  // sums, and the medians over every value of the rows). The municipalities are the filter's
  // codes, each with a row even when nothing is stored there (name from the municipalities
  // table: empty if unknown); with no codes, every municipality with a stored property.
  // Properties with no municipality code are in no row.
  virtual std::vector<MarketRow> market(const MarketFilter& filter) = 0;
  // Every week from the one holding `since` to the one holding filter.now, weeks without
  // events included, oldest first; counts the events observed from the first week's Monday
  // to filter.now.
  virtual std::vector<WeeklyActivity> weekly_activity(const MarketFilter& filter, UnixTime since) = 0;
  // Every open listing of the filter, ordered by address_id, then case_id (bytewise).
  virtual std::vector<ListingPoint> listings(const MarketFilter& filter) = 0;
  // The `limit` largest cuts in kroner (old_price - new_price) observed at or after `since`,
  // largest first (then oldest first).
  virtual std::vector<PriceCutRow> largest_price_cuts(const MarketFilter& filter, UnixTime since,
                                                      std::size_t limit) = 0;
};

}  // namespace etl
