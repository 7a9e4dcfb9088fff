// The market as plain SQL computes it, for the tests of MarketReads and `etl market`: each
// number by its own simple query over current_listings, price_cuts and property_events, the
// medians by sorting the values and taking the middle in C++ (no window function).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loaders/market_reads.hpp"

namespace etl::test {

// The middle value, or the mean of the two middle ones, of sorted numbers; nullopt for none.
std::optional<double> middle(const std::vector<double>& sorted);

// A MarketRow's numbers (not code or name) for the municipalities `codes` ("101, 147") of
// the database at `db_url`, the 7- and 30-day windows ending at `now` (both ends included).
MarketRow market_by_sql(const std::string& db_url, const std::string& codes, UnixTime now);

// Events of `kinds` ("'listed', 'relisted'"; "cut": rows of price_cuts) of the municipalities
// `codes`, observed from `from` to `to` (both included).
std::int64_t events_by_sql(const std::string& db_url, const std::string& kinds, const std::string& codes,
                           UnixTime from, UnixTime to);

// A MarketRow's numbers (not code or name) as one line, medians to 6 decimals, "-" for none:
// "properties listed | medians of price, per m², days | new, cuts, sales 7d/30d | median cut".
std::string market_numbers(const MarketRow& r);

}  // namespace etl::test
