// What the HTTP layer asks of the data behind the API: the generated dataset, or the payloads
// recorded in a folder (--payload-dir).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace replica {

// The API's sortBy values. The replica orders by the ones it has facts for (see README.md);
// the others fall back to the address order.
enum class SortBy {
  none,  // no sortBy: an order that changes from one request to the next
  address, living_area, lot_area, monthly_expense, num_rooms, per_area_price, price, price_change, road,
  sold_date, sold_price, time_on_market, zip_code, distance,
};

struct SearchQuery {
  bool matches_nothing = false;            // what the real API does with a comma list of names or zips
  std::vector<std::string> municipalities;  // empty: any; repeated parameters combine
  std::vector<std::string> address_types;   // empty: any
  std::vector<int> zip_codes;               // empty: any
  std::optional<std::int64_t> price_min, price_max;  // latestValuation (cases: priceCash), inclusive
  std::optional<std::int64_t> area_min, area_max;    // livingArea, inclusive
  SortBy sort_by = SortBy::none;
  bool ascending = true;
  std::uint64_t shuffle_key = 0;  // orders an unsorted answer: differs for each request of a target
  int page = 1;                   // 1-based
  int per_page = 50;
};

struct SearchPage {
  std::uint64_t total_hits = 0;
  std::vector<std::string> items;  // serialised address (or case) objects
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual SearchPage search(const SearchQuery& query) const = 0;
  // The address object; nullopt for an unknown or removed ID.
  virtual std::optional<std::string> address(std::string_view address_id) const = 0;
  // Open cases (real-estate and rental listings), each with its property nested.
  virtual SearchPage search_cases(const SearchQuery& query) const = 0;
  // The case object; nullopt for an unknown or no longer open case.
  virtual std::optional<std::string> case_by_id(std::string_view case_id) const = 0;
  // addressTypes values accepted besides the API's known list (recorded payloads may carry others).
  virtual std::vector<std::string> extra_address_types() const { return {}; }
};

}  // namespace replica
