// The API's endpoints as a run's metrics name them (requests and answers by endpoint, in the
// summary and the metrics file): a request says which it is as an enum, named in one table.
#pragma once

#include <string_view>

#include "etl/core/enum_names.hpp"

namespace etl {

enum class ApiEndpoint {
  other,             // none of the API's: a tool's or a test's request
  municipalities,    // GET /municipalities, the check before a run
  addresses,         // GET /addresses/{id}, one property's details
  search_addresses,  // GET /search/addresses, the address search's pages
  search_cases,      // GET /search/cases, the listings' pages
};

inline constexpr EnumNames<ApiEndpoint, 5> kApiEndpointNames{
    {"other", "municipalities", "addresses", "search_addresses", "search_cases"}};

constexpr std::string_view to_string(ApiEndpoint e) { return kApiEndpointNames(e); }

}  // namespace etl
