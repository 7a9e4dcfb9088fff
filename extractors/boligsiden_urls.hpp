// Building the Boligsiden API's URLs: the paged address and case searches, the address detail
// and the list of municipalities (what the run's health check asks for).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace etl {

// One search query. Absent filters are left out of the URL; ranges are inclusive and an
// absent upper bound means "no upper limit".
struct SearchQuery {
  std::string municipality;  // one name, e.g. "København" (the API takes no lists)
  std::string address_type = "villa";  // empty: every address type
  std::optional<std::string> zip_code;
  std::optional<std::int64_t> price_min, price_max;  // filter latestValuation (kroner)
  std::optional<std::int64_t> area_min, area_max;    // filter livingArea (m²)
  // The API's default order is not known to be stable between pages, so every query names
  // a stable sort; empty: the API's default order.
  std::string sort_by = "address";
  int per_page = 50;  // the most every report agrees the API serves
  int page = 1;
};

// base without a trailing slash is expected but one is tolerated.
std::string search_url(std::string_view base, const SearchQuery& query);
// The same query against /search/cases: the open listings (cases) instead of addresses.
std::string case_search_url(std::string_view base, const SearchQuery& query);
std::string detail_url(std::string_view base, std::string_view address_id);
std::string municipalities_url(std::string_view base);

// RFC 3986 percent-encoding of every byte except the unreserved characters (UTF-8 safe).
std::string url_encode(std::string_view text);

}  // namespace etl
