// `--shard K/N`: N processes split one area into disjoint parts by a stable hash of the
// address ID, so they can fill one database together without overlap.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace etl {

class Shard {
 public:
  static Shard parse(const std::string& text);  // "K/N", 1 <= K <= N; throws ConfigError
  static Shard whole() { return Shard{}; }

  bool owns(std::string_view address_id) const;
  bool is_whole() const { return count_ == 1; }
  std::string to_string() const { return std::to_string(index_ + 1) + "/" + std::to_string(count_); }

 private:
  std::uint32_t index_ = 0;  // zero-based
  std::uint32_t count_ = 1;
};

}  // namespace etl
