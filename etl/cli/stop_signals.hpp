#pragma once

#include <atomic>

namespace etl::cli {

// SIGINT/SIGTERM set the returned flag to the signal number; the run stops fetching, commits
// what it has and exits 130/143. A second signal exits at once.
const std::atomic<int>& install_stop_signals();

}  // namespace etl::cli
