// Reads /search/addresses parameters the way the real API does (see DESIGN.md).
#pragma once

#include <string>
#include <variant>

#include <httplib.h>

#include "replica/dataset.hpp"

namespace replica {

struct QueryError {
  std::string message;  // for a 400 answer
};

constexpr int kMaxPerPage = 50;

std::variant<SearchQuery, QueryError> parse_search_query(const httplib::Request& req, int max_pages);

}  // namespace replica
