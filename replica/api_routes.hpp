// The HTTP surface: the API's paths with injected faults, plus /healthz and /__stats.
#pragma once

#include <httplib.h>

#include "replica/dataset.hpp"
#include "replica/fault_injector.hpp"
#include "replica/shutdown_latch.hpp"
#include "replica/stats.hpp"

namespace replica {

struct Services {
  const Dataset& dataset;
  FaultInjector& faults;
  Stats& stats;
  const ShutdownLatch& shutdown;
  int max_pages;
};

void register_routes(httplib::Server& server, Services& services);

}  // namespace replica
