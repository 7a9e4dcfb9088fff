#include "replica/fault_injector.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "replica/hashing.hpp"

namespace replica {

FaultInjector::FaultInjector(std::uint64_t seed, FaultOptions options)
    : seed_(seed),
      options_(options),
      randomised_(options.jitter_ms > 0 || options.error_rate > 0 || options.hang_rate > 0 ||
                  options.malformed_rate > 0 || options.forbidden_rate > 0),
      tokens_(std::max(1.0, options.rate_limit_rps)),
      refilled_(std::chrono::steady_clock::now()) {}

FaultPlan FaultInjector::plan(const std::string& target) {
  FaultPlan plan;
  if (!randomised_) {
    plan.delay = std::chrono::milliseconds(options_.latency_ms);
    return plan;
  }
  const std::uint64_t key = hash_string(target);
  std::uint32_t attempt = 0;
  {
    std::lock_guard lock(attempts_mutex_);
    attempt = ++attempts_[key];
  }
  Draws d(hash_of(seed_, key, attempt, Salt::fault));
  const double jitter = (2.0 * d.uniform() - 1.0) * options_.jitter_ms;
  plan.delay = std::chrono::milliseconds(std::max(0L, std::lround(options_.latency_ms + jitter)));
  // One draw against stacked rates keeps the faults exclusive.
  const double u = d.uniform();
  if (u < options_.hang_rate) {
    plan.fault = Fault::hang;
  } else if (u < options_.hang_rate + options_.error_rate) {
    static constexpr std::array<int, 3> kStatuses = {500, 502, 503};
    plan.fault = Fault::error;
    plan.error_status = kStatuses[d.next() % kStatuses.size()];
  } else if (u < options_.hang_rate + options_.error_rate + options_.malformed_rate) {
    plan.fault = Fault::malformed;
    plan.malform_kind = static_cast<int>(d.next() % 3);
  } else if (u < options_.hang_rate + options_.error_rate + options_.malformed_rate + options_.forbidden_rate) {
    plan.fault = Fault::forbidden;
  }
  return plan;
}

bool FaultInjector::admit() {
  if (options_.rate_limit_rps <= 0) return true;
  std::lock_guard lock(bucket_mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - refilled_).count();
  refilled_ = now;
  // A burst of up to one second's worth, as a token bucket allows.
  tokens_ = std::min(std::max(1.0, options_.rate_limit_rps), tokens_ + elapsed * options_.rate_limit_rps);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

std::string FaultInjector::malform(std::string body, int kind) {
  switch (kind) {
    case 0:  // truncated, as by a dropped connection
      body.resize(body.size() / 2);
      break;
    case 1:  // invalid JSON
      if (const auto colon = body.find(':'); colon != std::string::npos) body[colon] = '=';
      break;
    default: {  // valid JSON with a wrong type: the ID as a number, or the hit count as a string
      // Recorded payloads (--payload-dir) may be pretty-printed: allow spaces around the colon.
      const auto key = body.find("\"addressID\"");
      const auto value =
          key == std::string::npos ? key : body.find_first_not_of(" \t\r\n:", key + std::strlen("\"addressID\""));
      if (value != std::string::npos && body[value] == '"') {
        const auto close = body.find('"', value + 1);
        body.replace(value, close - value + 1, std::to_string(hash_string(body.substr(value, close - value)) % 100000000));
      } else if (const auto hits = body.find("\"totalHits\":"); hits != std::string::npos) {
        const auto start = hits + 12;
        const auto stop = body.find_first_not_of("0123456789", start);
        body = body.substr(0, start) + '"' + body.substr(start, stop - start) + '"' + body.substr(stop);
      }
    }
  }
  return body;
}

}  // namespace replica
