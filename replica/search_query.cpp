#include "replica/search_query.hpp"

#include <charconv>
#include <optional>

namespace replica {
namespace {

std::optional<std::int64_t> parse_int(const std::string& text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

}  // namespace

std::variant<SearchQuery, QueryError> parse_search_query(const httplib::Request& req, int max_pages) {
  SearchQuery q;
  const auto integer = [&](const char* name, std::optional<std::int64_t>& out) -> std::optional<QueryError> {
    if (!req.has_param(name)) return std::nullopt;
    out = parse_int(req.get_param_value(name));
    if (!out) return QueryError{std::string("invalid ") + name};
    return std::nullopt;
  };

  if (req.has_param("municipalities")) {
    const std::string names = req.get_param_value("municipalities");
    if (names.find(',') != std::string::npos) q.matches_nothing = true;  // one name only
    q.municipality = names;
  }
  if (req.has_param("addressTypes")) q.address_types = split_commas(req.get_param_value("addressTypes"));
  // `zipCodes` filters; the singular `zipCode` is ignored, as by the real API.
  if (req.has_param("zipCodes")) {
    for (const auto& zip : split_commas(req.get_param_value("zipCodes"))) {
      const auto v = parse_int(zip);
      if (!v) return QueryError{"invalid zipCodes"};
      q.zip_codes.push_back(static_cast<int>(*v));
    }
  }
  for (const auto& [name, field] : {std::pair{"priceMin", &q.price_min}, std::pair{"priceMax", &q.price_max},
                                    std::pair{"areaMin", &q.area_min}, std::pair{"areaMax", &q.area_max}}) {
    if (auto err = integer(name, *field)) return *err;
  }
  std::optional<std::int64_t> page, per_page;
  if (auto err = integer("page", page)) return *err;
  if (auto err = integer("per_page", per_page)) return *err;
  if (per_page) {
    if (*per_page < 1) return QueryError{"per_page must be at least 1"};
    q.per_page = static_cast<int>(std::min<std::int64_t>(*per_page, kMaxPerPage));
  }
  if (page) {
    if (*page < 1 || *page > max_pages) {
      return QueryError{"page must be between 1 and " + std::to_string(max_pages)};
    }
    q.page = static_cast<int>(*page);
  }
  if (req.has_param("sortBy")) {
    const std::string by = req.get_param_value("sortBy");
    if (by != "address") return QueryError{"unsupported sortBy: " + by};
    q.sort_by_address = true;
  }
  if (req.has_param("sortAscending")) q.ascending = req.get_param_value("sortAscending") != "false";
  return q;
}

}  // namespace replica
