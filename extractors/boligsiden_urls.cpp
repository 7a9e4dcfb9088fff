#include "extractors/boligsiden_urls.hpp"

#include <fmt/format.h>

namespace etl {
namespace {

std::string_view trim_slash(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return base;
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

namespace {

std::string query_url(std::string_view base, std::string_view path, const SearchQuery& q) {
  std::string url = fmt::format("{}{}?municipalities={}", trim_slash(base), path, url_encode(q.municipality));
  if (!q.address_type.empty()) url += fmt::format("&addressTypes={}", url_encode(q.address_type));
  if (q.zip_code) url += fmt::format("&zipCodes={}", url_encode(*q.zip_code));
  if (q.price_min) url += fmt::format("&priceMin={}", *q.price_min);
  if (q.price_max) url += fmt::format("&priceMax={}", *q.price_max);
  if (q.area_min) url += fmt::format("&areaMin={}", *q.area_min);
  if (q.area_max) url += fmt::format("&areaMax={}", *q.area_max);
  if (!q.sort_by.empty()) url += fmt::format("&sortBy={}", url_encode(q.sort_by));
  url += fmt::format("&per_page={}&page={}", q.per_page, q.page);
  return url;
}

}  // namespace

std::string search_url(std::string_view base, const SearchQuery& q) { return query_url(base, "/search/addresses", q); }

std::string case_search_url(std::string_view base, const SearchQuery& q) { return query_url(base, "/search/cases", q); }

std::string detail_url(std::string_view base, std::string_view address_id) {
  return fmt::format("{}/addresses/{}", trim_slash(base), url_encode(address_id));
}

std::string municipalities_url(std::string_view base) { return fmt::format("{}/municipalities", trim_slash(base)); }

}  // namespace etl
