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

  // True when a stored property should be fetched again. Removed properties that show up in
  // search again are always fetched: they came back.
  bool wants(const StoredState& stored, UnixTime now) const;

  Kind kind() const { return kind_; }
  std::int64_t max_age_seconds() const { return max_age_; }
  std::string to_string() const;

 private:
  Kind kind_ = Kind::None;
  std::int64_t max_age_ = 0;
};

}  // namespace etl
