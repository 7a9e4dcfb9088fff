// What one `etl report` page shows: the four MarketReads results of a filter and a period,
// as plain values, so the page can be written (and tested) without a database.
#pragma once

#include <string>
#include <vector>

#include "loaders/market_reads.hpp"

namespace etl {

struct MarketReport {
  std::string area;        // what the filter covers, as the page names it ("copenhagen")
  UnixTime generated_at = 0;
  UnixTime since = 0;      // the period's start: weeks and price cuts from here on
  std::vector<MarketRow> market;            // per municipality, then the total row
  std::vector<WeeklyActivity> weeks;        // oldest first
  std::vector<ListingPoint> listings;       // every open listing
  std::vector<PriceCutRow> largest_cuts;    // largest first
};

}  // namespace etl
