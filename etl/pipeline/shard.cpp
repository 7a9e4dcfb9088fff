#include "etl/pipeline/shard.hpp"

#include <charconv>

#include "etl/core/errors.hpp"
#include "etl/core/payload_hash.hpp"

namespace etl {

Shard Shard::parse(const std::string& text) {
  const auto slash = text.find('/');
  std::uint32_t k = 0, n = 0;
  const bool ok = slash != std::string::npos &&
                  std::from_chars(text.data(), text.data() + slash, k).ptr == text.data() + slash &&
                  std::from_chars(text.data() + slash + 1, text.data() + text.size(), n).ptr == text.data() + text.size() &&
                  n >= 1 && k >= 1 && k <= n;
  if (!ok) throw ConfigError("--shard: invalid value '" + text + "' (expected K/N with 1 <= K <= N, e.g. 1/2)");
  Shard s;
  s.index_ = k - 1;
  s.count_ = n;
  return s;
}

bool Shard::owns(std::string_view address_id) const {
  // payload_hash is stable across processes and machines, unlike std::hash.
  return count_ == 1 || payload_hash(address_id) % count_ == index_;
}

}  // namespace etl
