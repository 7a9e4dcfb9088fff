// When to retry an HTTP attempt and how long to wait first.
#pragma once

#include <chrono>
#include <random>

namespace etl {

struct RetryPolicy {
  int max_retries = 4;
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{30'000};

  // A throttled status, 429 or 403 (users report the API refusing a client for a while),
  // and a server error, 5xx, are worth another attempt; 400, 404 and the rest are final.
  static bool retryable_status(long status);

  // Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(retry-1))],
  // retry counting from 1; at least `retry_after` when the server asked for it.
  std::chrono::milliseconds delay(int retry, std::chrono::seconds retry_after, std::mt19937_64& rng) const;
};

}  // namespace etl
