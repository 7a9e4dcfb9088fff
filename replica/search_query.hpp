// Reads /search/addresses and /search/cases parameters the way the real API does (see DESIGN.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include <variant>

#include <httplib.h>

#include "replica/dataset.hpp"

namespace replica {

struct QueryError {
  std::string message;  // for a 400 answer
};

struct QueryLimits {
  int max_per_page = 100;        // /search/addresses: 100, /search/cases: 500
  std::int64_t max_results = 10000;  // page x per_page may not exceed it
  const std::vector<std::string>* extra_address_types = nullptr;  // accepted besides the known list
};

constexpr int kDefaultPerPage = 50;
constexpr int kMaxPerPageAddresses = 100;
constexpr int kMaxPerPageCases = 500;

std::variant<SearchQuery, QueryError> parse_search_query(const httplib::Request& req, QueryLimits limits);

}  // namespace replica
