#include "etl/pipeline/refresh_policy.hpp"

#include "etl/core/duration.hpp"
#include "etl/core/errors.hpp"

namespace etl {
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
    const auto age = parse_duration(text.substr(6), "--refresh");
    if (age >= std::chrono::seconds(1)) {
      p.max_age_ = std::chrono::duration_cast<std::chrono::seconds>(age).count();
      p.kind_ = Kind::Stale;
      return p;
    }
  }
  throw ConfigError("--refresh: invalid value '" + text +
                    "' (expected none, on-market, all, or stale:DURATION such as stale:7d, stale:12h)");
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
