#include "etl/pipeline/progress_reporter.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <deque>

#include "etl/pipeline/progress_line.hpp"
#include "etl/pipeline/run_progress.hpp"
#include "etl/pipeline/terminal_line.hpp"

namespace etl {
namespace {

using Clock = std::chrono::steady_clock;

struct Sample {
  Clock::time_point at;
  std::int64_t processed, checked;
};

// The rates over the samples of the last 10 s, once they span 3 s (before that the overall
// rates are steadier).
RecentRates recent_rates(const std::deque<Sample>& window) {
  if (window.size() < 2) return {};
  const double dt = std::chrono::duration<double>(window.back().at - window.front().at).count();
  if (dt < 3) return {};
  return {per_second(window.back().processed - window.front().processed, dt),
          per_second(window.back().checked - window.front().checked, dt)};
}

}  // namespace

ProgressReporter::ProgressReporter(const RunCounters& counters, const HttpClient& http, ProgressMode mode,
                                   std::int64_t limit)
    : counters_(counters), http_(http), mode_(mode), limit_(limit) {
  if (mode_ == ProgressMode::Auto) mode_ = isatty(STDERR_FILENO) ? ProgressMode::Tty : ProgressMode::Plain;
}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::start() {
  if (mode_ == ProgressMode::None || running_) return;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void ProgressReporter::stop() {
  if (!running_) return;
  running_ = false;
  thread_.join();
  if (mode_ == ProgressMode::Tty) TerminalLine::on_stderr().clear();
}

void ProgressReporter::loop() {
  const auto start = Clock::now();
  const bool tty = mode_ == ProgressMode::Tty;
  const auto period = tty ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000);
  std::deque<Sample> window;
  auto next = start + period;
  std::size_t width = 0;
  while (running_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto now = Clock::now();
    // The width is read every 50 ms rather than on SIGWINCH: a signal handler would make
    // other threads' blocking calls fail with EINTR, and this redraws a resize as soon.
    const std::size_t columns = tty ? terminal_columns(STDERR_FILENO) : 0;
    if (now < next && columns == width) continue;
    width = columns;
    next = now + period;
    window.push_back({now, processed_count(counters_), checked_count(counters_)});
    while (window.size() > 1 && now - window.front().at > std::chrono::seconds(10)) window.pop_front();
    const RunProgress p = run_progress(counters_, std::chrono::duration<double>(now - start).count(),
                                       recent_rates(window), limit_, http_.stats().retries);
    if (tty) {
      // One column short of the edge: some terminals wrap as soon as the last one is written.
      TerminalLine::on_stderr().show(progress_line(p, (width > 0 ? width : 80) - 1));
    } else {
      spdlog::info("progress: {}", progress_log_line(p));
    }
  }
}

}  // namespace etl
