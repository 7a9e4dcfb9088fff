// How a run is asked to stop: SIGINT, SIGTERM, or its own --max-run-time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace etl::cli {

// SIGINT/SIGTERM set the returned flag to the signal number; the run stops fetching, commits
// what it has and exits 130/143. Signals within a second of the first are the same request
// (`timeout` and systemd signal the process, then its group); a later one exits at once.
const std::atomic<int>& install_stop_signals();

// Stops the run as signal `sig` would, unless a stop was requested already.
void request_stop(int sig);

// A run's wall-clock budget (--max-run-time): once it has passed, request_stop(SIGTERM).
class StopAfter {
 public:
  explicit StopAfter(std::chrono::milliseconds budget);
  ~StopAfter();
  StopAfter(const StopAfter&) = delete;
  StopAfter& operator=(const StopAfter&) = delete;
  bool expired() const { return expired_.load(); }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;  // guarded by mutex_
  std::atomic<bool> expired_{false};
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace etl::cli
