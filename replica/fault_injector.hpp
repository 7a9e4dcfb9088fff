// Injected latency and failures. Each decision is a pure function of (seed, request target,
// attempt number of that target), so a run is reproducible and a retry can succeed.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace replica {

struct FaultOptions {
  int latency_ms = 0;
  int jitter_ms = 0;           // latency varies uniformly by ± this
  double error_rate = 0;       // 500/502/503
  double hang_rate = 0;        // no answer for a minute
  double malformed_rate = 0;   // truncated JSON, invalid JSON or wrong types
  double forbidden_rate = 0;   // 403 with a JSON error body
  double rate_limit_rps = 0;   // 0: unlimited; past it 429 with Retry-After
};

enum class Fault { none, error, hang, malformed, forbidden };

struct FaultPlan {
  std::chrono::milliseconds delay{0};
  Fault fault = Fault::none;
  int error_status = 0;
  int malform_kind = 0;
};

class FaultInjector {
 public:
  static constexpr std::chrono::seconds kHang{60};

  FaultInjector(std::uint64_t seed, FaultOptions options);

  // Counts this attempt at `target` (path and query) and decides its fate.
  FaultPlan plan(const std::string& target);
  // The global token bucket; false means the request is over the rate limit.
  bool admit();
  // Spoils a JSON body in the way `kind` (from the plan) says.
  static std::string malform(std::string body, int kind);

 private:
  std::uint64_t seed_;
  FaultOptions options_;
  bool randomised_;  // without random faults every attempt is alike, so none are counted
  std::mutex attempts_mutex_;
  std::unordered_map<std::uint64_t, std::uint32_t> attempts_;  // by hash of the target: ~30 B each
  std::mutex bucket_mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
};

}  // namespace replica
