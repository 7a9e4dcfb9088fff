// The request rate shared by every transfer of one client: a token bucket whose rate
// halves on a 429 or 403 and grows back by 1 request/s per quiet interval, up to the configured
// maximum. Used only by the client's event-loop thread, so it has no locks.
#pragma once

#include <chrono>

namespace etl {

class AdaptiveRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // max_rps 0 = unlimited (every acquire succeeds, 429s change nothing).
  explicit AdaptiveRateLimiter(double max_rps, double min_rps = 0.5,
                               Clock::duration recovery_interval = std::chrono::seconds(10));

  // Takes a token if one is available now.
  bool try_acquire(Clock::time_point now);
  // When the next token will be available (now if one is).
  Clock::time_point next_token_at(Clock::time_point now) const;
  // A 429 or 403 (`status`) answered an attempt started at `sent_at`; attempts sent before
  // the last slow-down were sent at the old rate and do not halve it again.
  void on_throttled(Clock::time_point now, Clock::time_point sent_at, int status = 429);

  double rate() const { return rate_; }
  bool unlimited() const { return max_rps_ <= 0; }

 private:
  void refill(Clock::time_point now);
  void recover(Clock::time_point now);

  double max_rps_;
  double min_rps_;
  Clock::duration recovery_interval_;
  double rate_;
  double tokens_ = 1;
  Clock::time_point last_refill_;
  Clock::time_point last_change_;
};

}  // namespace etl
