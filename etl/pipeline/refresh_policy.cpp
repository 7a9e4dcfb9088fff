#include "etl/pipeline/refresh_policy.hpp"

#include "etl/core/errors.hpp"

namespace etl {
namespace {

std::int64_t parse_duration_seconds(const std::string& text) {
  std::size_t used = 0;
  long long n = -1;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || n <= 0 || used + 1 != text.size()) return -1;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 'd': unit = 86400; break;
    case 'h': unit = 3600; break;
    case 'm': unit = 60; break;
    case 's': unit = 1; break;
    default: return -1;
  }
  constexpr std::int64_t kCentury = 100LL * 366 * 86400;  // longer is a typo, and would overflow
  return n > kCentury / unit ? -1 : n * unit;
}

}  // namespace

RefreshPolicy RefreshPolicy::parse(const std::string& text) {
  RefreshPolicy p;
  if (text == "none") return p;
  if (text == "on-market") {
    p.kind_ = Kind::OnMarket;
    return p;
  }
  if (text == "all") {
    p.kind_ = Kind::All;
    return p;
  }
  if (text.rfind("stale:", 0) == 0) {
    p.max_age_ = parse_duration_seconds(text.substr(6));
    if (p.max_age_ > 0) {
      p.kind_ = Kind::Stale;
      return p;
    }
  }
  throw ConfigError("--refresh: invalid value '" + text +
                    "' (expected none, on-market, all, or stale:DURATION such as stale:7d, stale:12h, at most 100 years)");
}

bool RefreshPolicy::wants(const StoredState& stored, UnixTime now) const {
  if (stored.removed) return true;
  switch (kind_) {
    case Kind::None: return false;
    case Kind::OnMarket: return false;
    case Kind::Stale: return !stored.fetched_at || *stored.fetched_at < now - max_age_;
    case Kind::All: return true;
  }
  return false;
}

std::string RefreshPolicy::to_string() const {
  switch (kind_) {
    case Kind::None: return "none";
    case Kind::OnMarket: return "on-market";
    case Kind::All: return "all";
    case Kind::Stale: break;
  }
  const std::int64_t s = max_age_;
  if (s % 86400 == 0) return "stale:" + std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return "stale:" + std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return "stale:" + std::to_string(s / 60) + "m";
  return "stale:" + std::to_string(s) + "s";
}

}  // namespace etl
