#include "extractors/retry_policy.hpp"

#include <algorithm>

#include "extractors/http_outcome.hpp"

namespace etl {

bool RetryPolicy::retryable_status(long status) {
  switch (status_outcome(status)) {
    case HttpOutcome::throttled:
    case HttpOutcome::server_error:
      return true;
    case HttpOutcome::ok:
    case HttpOutcome::not_found:
    case HttpOutcome::other_status:
    case HttpOutcome::transport_error:  // a transport error's retry depends on what failed: the client's call
    case HttpOutcome::cancelled:
    case HttpOutcome::refused:
      return false;
  }
  return false;
}

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
