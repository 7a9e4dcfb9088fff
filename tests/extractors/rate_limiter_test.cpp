#include "extractors/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <random>

#include "extractors/retry_policy.hpp"

namespace etl {
namespace {

using namespace std::chrono_literals;
using Clock = AdaptiveRateLimiter::Clock;

TEST(AdaptiveRateLimiter, UnlimitedAlwaysAdmits) {
  AdaptiveRateLimiter limiter(0);
  auto now = Clock::now();
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.try_acquire(now));
  limiter.on_throttled(now, now);
  EXPECT_TRUE(limiter.try_acquire(now));
}

TEST(AdaptiveRateLimiter, PacesAtTheRate) {
  AdaptiveRateLimiter limiter(10);
  auto t = Clock::now();
  EXPECT_TRUE(limiter.try_acquire(t));
  EXPECT_FALSE(limiter.try_acquire(t));
  EXPECT_NEAR(std::chrono::duration<double>(limiter.next_token_at(t) - t).count(), 0.1, 0.001);
  EXPECT_FALSE(limiter.try_acquire(t + 50ms));
  EXPECT_TRUE(limiter.try_acquire(t + 101ms));
}

TEST(AdaptiveRateLimiter, HalvesOn429OncePerChangeThenRecoversAdditively) {
  AdaptiveRateLimiter limiter(10, 0.5, 10s);
  auto t0 = Clock::now();
  limiter.on_throttled(t0 + 1s, t0 + 500ms);
  EXPECT_DOUBLE_EQ(limiter.rate(), 5);
  limiter.on_throttled(t0 + 1100ms, t0 + 600ms);  // sent before the slow-down: ignored
  EXPECT_DOUBLE_EQ(limiter.rate(), 5);
  limiter.on_throttled(t0 + 2s, t0 + 1500ms);
  EXPECT_DOUBLE_EQ(limiter.rate(), 2.5);
  for (int i = 0; i < 10; ++i) limiter.on_throttled(t0 + 3s + i * 1s, t0 + 3s + i * 1s);
  EXPECT_DOUBLE_EQ(limiter.rate(), 0.5);  // floor
  limiter.try_acquire(t0 + 15s);
  EXPECT_DOUBLE_EQ(limiter.rate(), 0.5);  // not yet 10 s quiet
  limiter.try_acquire(t0 + 23s);
  EXPECT_DOUBLE_EQ(limiter.rate(), 1.5);
  limiter.try_acquire(t0 + 34s);
  EXPECT_DOUBLE_EQ(limiter.rate(), 2.5);
  for (int i = 4; i < 20; ++i) limiter.try_acquire(t0 + 34s + i * 11s);
  EXPECT_DOUBLE_EQ(limiter.rate(), 10);  // capped at max_rps
}

TEST(RetryPolicy, FullJitterWithinExponentialCeiling) {
  RetryPolicy policy{4, 500ms, 30'000ms};
  std::mt19937_64 rng(42);
  for (int retry = 1; retry <= 10; ++retry) {
    auto ceiling = std::min<std::int64_t>(500LL << (retry - 1), 30'000);
    for (int i = 0; i < 200; ++i) {
      auto d = policy.delay(retry, 0s, rng).count();
      EXPECT_GE(d, 0);
      EXPECT_LE(d, ceiling);
    }
  }
  EXPECT_GE(policy.delay(1, 3s, rng), 3000ms);  // Retry-After wins when longer
  EXPECT_LE(policy.delay(1000, 0s, rng), 30'000ms);
  EXPECT_TRUE(RetryPolicy::retryable_status(429));
  EXPECT_TRUE(RetryPolicy::retryable_status(503));
  EXPECT_FALSE(RetryPolicy::retryable_status(404));
  EXPECT_FALSE(RetryPolicy::retryable_status(400));
  EXPECT_FALSE(RetryPolicy::retryable_status(200));
}

}  // namespace
}  // namespace etl
