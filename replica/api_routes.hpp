// The HTTP surface: the API's paths with injected faults, plus /healthz and /__stats.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <httplib.h>

#include "replica/dataset.hpp"
#include "replica/fault_injector.hpp"
#include "replica/shutdown_latch.hpp"
#include "replica/stats.hpp"

namespace replica {

// How many times each exact request target (path and query) was searched: keys the order of
// unsorted answers, so the same request twice gets two orders.
class RequestCounter {
 public:
  std::uint32_t next(const std::string& target);

 private:
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::uint32_t> counts_;  // by hash of the target
};

struct Services {
  const Dataset& dataset;
  FaultInjector& faults;
  Stats& stats;
  const ShutdownLatch& shutdown;
  std::int64_t max_results;
  std::uint64_t seed;
  std::vector<std::string> extra_address_types;  // Dataset::extra_address_types(), read once
  RequestCounter searches;
};

void register_routes(httplib::Server& server, Services& services);

}  // namespace replica
