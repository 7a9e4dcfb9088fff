// The stop flag of install_stop_signals(), its handler (async-signal-safe calls only) and the
// run's time budget.
#include "etl/cli/stop_signals.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>

namespace etl::cli {
namespace {

// A repeat within this window is the first request again, not the deliberate second one.
constexpr std::int64_t kSameRequestNs = 1'000'000'000;

std::atomic<int> g_stop{0};
std::atomic<std::int64_t> g_first_at_ns{0};

std::int64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// True for the first stop request.
bool first_request(int sig) {
  int none = 0;
  if (!g_stop.compare_exchange_strong(none, sig)) return false;
  g_first_at_ns = monotonic_ns();
  return true;
}

void on_signal(int sig) {
  if (first_request(sig)) {
    static const char msg[] =
        "\nstopping: finishing in-flight work and committing (interrupt again after a second to quit at once)\n";
    [[maybe_unused]] const auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
    return;
  }
  const std::int64_t first = g_first_at_ns.load();  // 0: request_stop() is still setting it
  if (first != 0 && monotonic_ns() - first >= kSameRequestNs) _exit(128 + sig);
}

}  // namespace

const std::atomic<int>& install_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  // One handler at a time: a SIGTERM arriving inside the SIGINT handler waits for it.
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return g_stop;
}

void request_stop(int sig) { first_request(sig); }

StopAfter::StopAfter(std::chrono::milliseconds budget)
    : thread_([this, budget] {
        std::unique_lock lock(mutex_);
        if (!done_cv_.wait_for(lock, budget, [this] { return done_; })) {
          expired_ = true;
          spdlog::warn("--max-run-time reached: stopping as on SIGTERM, committing what is parsed");
          request_stop(SIGTERM);
        }
      }) {}

StopAfter::~StopAfter() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_cv_.notify_all();
  thread_.join();
}

}  // namespace etl::cli
