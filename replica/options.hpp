// replica-api's command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "replica/epoch_timeline.hpp"
#include "replica/fault_injector.hpp"

namespace replica {

struct Options {
  int port = 0;  // 0: any free port
  int threads = 512;  // injected latency sleeps in a worker thread, so keep plenty
  std::int64_t max_results = 10000;  // page x per_page may not exceed it
  bool full_search_items = false;     // --search-items full
  std::string payload_dir;  // empty: serve the generated dataset
  DatasetConfig dataset;
  FaultOptions faults;
};

// nullopt after printing help or an error; `exit_code` then says how to exit.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace replica
