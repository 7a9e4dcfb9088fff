#include "replica/search_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

namespace replica {
namespace {

constexpr std::array<std::string_view, 11> kAddressTypes = {
    "villa", "condo", "terraced house", "holiday house", "farm", "hobby farm", "full year plot", "holiday plot",
    "villa apartment", "cooperative", "houseboat"};

constexpr std::array<std::pair<std::string_view, SortBy>, 14> kSortBy = {{
    {"address", SortBy::address}, {"livingArea", SortBy::living_area}, {"lotArea", SortBy::lot_area},
    {"monthlyExpense", SortBy::monthly_expense}, {"numRooms", SortBy::num_rooms},
    {"perAreaPrice", SortBy::per_area_price}, {"price", SortBy::price}, {"priceChange", SortBy::price_change},
    {"road", SortBy::road}, {"soldDate", SortBy::sold_date}, {"soldPrice", SortBy::sold_price},
    {"timeOnMarket", SortBy::time_on_market}, {"zipCode", SortBy::zip_code}, {"distance", SortBy::distance},
}};

template <class Range, class Name>
std::string joined(const Range& items, Name name) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + std::string(name(item));
  return out;
}

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

// Every value of a parameter that may be repeated.
std::vector<std::string> values(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  const std::size_t n = req.get_param_value_count(name);
  for (std::size_t i = 0; i < n; ++i) out.push_back(req.get_param_value(name, i));
  return out;
}

}  // namespace

std::variant<SearchQuery, QueryError> parse_search_query(const httplib::Request& req, QueryLimits limits) {
  SearchQuery q;
  const auto integer = [&](const char* name, std::optional<std::int64_t>& out) -> std::optional<QueryError> {
    if (!req.has_param(name)) return std::nullopt;
    out = parse_int(req.get_param_value(name));
    if (!out) return QueryError{std::string("invalid ") + name};
    return std::nullopt;
  };

  // One name per value; a comma list finds nothing; repeated parameters combine.
  for (auto& name : values(req, "municipalities")) {
    if (name.find(',') != std::string::npos) q.matches_nothing = true;
    q.municipalities.push_back(std::move(name));
  }
  for (const auto& list : values(req, "addressTypes")) {
    for (auto& type : split_commas(list)) {
      const bool extra = limits.extra_address_types &&
                         std::find(limits.extra_address_types->begin(), limits.extra_address_types->end(), type) !=
                             limits.extra_address_types->end();
      if (!extra && std::find(kAddressTypes.begin(), kAddressTypes.end(), type) == kAddressTypes.end()) {
        return QueryError{"invalid addressTypes value '" + type + "'; allowed values: " +
                          joined(kAddressTypes, [](std::string_view t) { return t; })};
      }
      q.address_types.push_back(std::move(type));
    }
  }
  // `zipCodes` filters (a comma list finds nothing, repeated values are a union); the singular
  // `zipCode` is ignored, as by the real API.
  for (const auto& zip : values(req, "zipCodes")) {
    if (zip.find(',') != std::string::npos) {
      q.matches_nothing = true;
      continue;
    }
    const auto v = parse_int(zip);
    if (!v) return QueryError{"invalid zipCodes"};
    q.zip_codes.push_back(static_cast<int>(*v));
  }
  for (const auto& [name, field] : {std::pair{"priceMin", &q.price_min}, std::pair{"priceMax", &q.price_max},
                                    std::pair{"areaMin", &q.area_min}, std::pair{"areaMax", &q.area_max}}) {
    if (auto err = integer(name, *field)) return *err;
  }
  std::optional<std::int64_t> page, per_page;
  if (auto err = integer("page", page)) return *err;
  if (auto err = integer("per_page", per_page)) return *err;
  if (per_page) {
    if (*per_page < 1 || *per_page > limits.max_per_page) {
      return QueryError{"per_page must be between 1 and " + std::to_string(limits.max_per_page)};
    }
    q.per_page = static_cast<int>(*per_page);
  }
  if (page) {
    if (*page < 1) return QueryError{"page must be at least 1"};
    q.page = static_cast<int>(std::min<std::int64_t>(*page, 1'000'000'000));
  }
  if (static_cast<std::int64_t>(q.page) * q.per_page > limits.max_results) {
    return QueryError{"page x per_page may not exceed " + std::to_string(limits.max_results) + " results"};
  }
  if (req.has_param("sortBy")) {
    const std::string by = req.get_param_value("sortBy");
    const auto it = std::find_if(kSortBy.begin(), kSortBy.end(), [&](const auto& s) { return s.first == by; });
    if (it == kSortBy.end()) {
      return QueryError{"invalid sortBy value '" + by + "'; allowed values: " +
                        joined(kSortBy, [](const auto& s) { return s.first; })};
    }
    q.sort_by = it->second;
  }
  if (req.has_param("sortAscending")) q.ascending = req.get_param_value("sortAscending") != "false";
  return q;
}

}  // namespace replica
