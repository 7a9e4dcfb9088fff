// What the HTTP layer asks of the data behind the API: the generated dataset, or the payloads
// recorded in a folder (--payload-dir).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace replica {

struct SearchQuery {
  bool matches_nothing = false;  // what the real API does with a comma list of municipalities
  std::optional<std::string> municipality;  // one name, as the API spells it
  std::vector<std::string> address_types;   // empty: any
  std::vector<int> zip_codes;               // empty: any
  std::optional<std::int64_t> price_min, price_max;  // on latestValuation, inclusive
  std::optional<std::int64_t> area_min, area_max;    // on livingArea, inclusive
  bool sort_by_address = false;  // otherwise a fixed order by ID
  bool ascending = true;
  int page = 1;  // 1-based
  int per_page = 50;
};

struct SearchPage {
  std::uint64_t total_hits = 0;
  std::vector<std::string> addresses;  // serialised address objects, identical to the details
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual SearchPage search(const SearchQuery& query) const = 0;
  // The address object; nullopt for an unknown or removed ID.
  virtual std::optional<std::string> address(std::string_view address_id) const = 0;
};

}  // namespace replica
