#include "extractors/rate_limiter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace etl {
namespace {
// One token of burst: requests are paced evenly rather than sent in bursts at the limit.
constexpr double kBurst = 1.0;
}  // namespace

AdaptiveRateLimiter::AdaptiveRateLimiter(double max_rps, double min_rps, Clock::duration recovery_interval)
    : max_rps_(max_rps),
      min_rps_(std::min(min_rps, max_rps)),
      recovery_interval_(recovery_interval),
      rate_(max_rps),
      last_refill_(Clock::now()),
      last_change_(last_refill_) {}

void AdaptiveRateLimiter::refill(Clock::time_point now) {
  std::chrono::duration<double> elapsed = now - last_refill_;
  if (elapsed.count() > 0) {
    tokens_ = std::min(kBurst, tokens_ + elapsed.count() * rate_);
    last_refill_ = now;
  }
}

void AdaptiveRateLimiter::recover(Clock::time_point now) {
  if (rate_ >= max_rps_ || now - last_change_ < recovery_interval_) return;
  double before = rate_;
  rate_ = std::min(max_rps_, rate_ + 1.0);
  last_change_ = now;
  spdlog::info("no HTTP 429 for {}s: request rate raised from {:g} to {:g}/s",
               std::chrono::duration_cast<std::chrono::seconds>(recovery_interval_).count(), before, rate_);
}

bool AdaptiveRateLimiter::try_acquire(Clock::time_point now) {
  if (unlimited()) return true;
  refill(now);
  recover(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

AdaptiveRateLimiter::Clock::time_point AdaptiveRateLimiter::next_token_at(Clock::time_point now) const {
  if (unlimited() || tokens_ >= 1.0) return now;
  auto wait = std::chrono::duration<double>((1.0 - tokens_) / rate_);
  return last_refill_ + std::chrono::duration_cast<Clock::duration>(wait);
}

void AdaptiveRateLimiter::on_throttled(Clock::time_point now, Clock::time_point sent_at, int status) {
  if (unlimited() || sent_at < last_change_) return;
  refill(now);
  double before = rate_;
  rate_ = std::max(min_rps_, rate_ / 2);
  last_change_ = now;
  if (rate_ != before) spdlog::info("HTTP {} from the API: request rate lowered from {:g} to {:g}/s", status, before, rate_);
}

}  // namespace etl
