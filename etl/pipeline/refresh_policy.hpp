// Which already-stored properties a run fetches again (`--refresh`).
#pragma once

#include <cstdint>
#include <string>

#include "loaders/store.hpp"

namespace etl {

class RefreshPolicy {
 public:
  enum class Kind { None, OnMarket, Stale, All };

  // "none", "on-market", "all" or "stale:DURATION" with DURATION like 7d, 12h, 30m, 90s.
  // Throws ConfigError with the accepted forms.
  static RefreshPolicy parse(const std::string& text);

  // True when a stored property seen on an address page should be fetched again whatever
  // the searches show of it. Removed properties that show up again are always fetched:
  // they came back. (on-market pages no addresses: the listings say what to fetch.)
  bool wants(const StoredState& stored, UnixTime now) const;

  // Whether the run pages the address search; on-market reads only the listings.
  bool pages_addresses() const { return kind_ != Kind::OnMarket; }

  Kind kind() const { return kind_; }
  std::int64_t max_age_seconds() const { return max_age_; }
  std::string to_string() const;

 private:
  Kind kind_ = Kind::None;
  std::int64_t max_age_ = 0;
};

}  // namespace etl
