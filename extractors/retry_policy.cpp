#include "extractors/retry_policy.hpp"

#include <algorithm>

namespace etl {

std::chrono::milliseconds RetryPolicy::delay(int retry, std::chrono::seconds retry_after,
                                             std::mt19937_64& rng) const {
  // Doubling stops at the cap, so the shift never overflows.
  std::int64_t ceiling = base.count();
  for (int i = 1; i < retry && ceiling < cap.count(); ++i) ceiling *= 2;
  ceiling = std::min<std::int64_t>(ceiling, cap.count());
  std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(ceiling, 0));
  std::chrono::milliseconds wait{jitter(rng)};
  return std::max<std::chrono::milliseconds>(wait, retry_after);
}

}  // namespace etl
