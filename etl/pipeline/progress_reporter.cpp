#include "etl/pipeline/progress_reporter.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <utility>

#include "etl/core/errors.hpp"

namespace etl {
namespace {

std::string format_duration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "?";
  const auto s = static_cast<std::int64_t>(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

// Properties settled: skipped as stored, loaded, or recorded as failed.
std::int64_t settled(const RunCounters& c) {
  return c.total(&MunicipalityCounters::skipped) + c.total(&MunicipalityCounters::loaded) +
         c.total(&MunicipalityCounters::failed) + c.total(&MunicipalityCounters::removed);
}

}  // namespace

ProgressMode parse_progress_mode(const std::string& text) {
  if (text == "auto") return ProgressMode::Auto;
  if (text == "tty") return ProgressMode::Tty;
  if (text == "plain") return ProgressMode::Plain;
  if (text == "none") return ProgressMode::None;
  throw ConfigError("--progress: invalid value '" + text + "' (expected auto, tty, plain or none)");
}

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
  if (mode_ == ProgressMode::Tty) std::fputs("\n", stderr);
}

std::string ProgressReporter::line(double elapsed_s, double current_rate) const {
  std::int64_t expected = 0;
  bool all_known = true;
  for (const auto& m : counters_.municipalities) {
    const std::int64_t h = m.hits.load(std::memory_order_relaxed);
    if (h >= 0) expected += h;
    else if (m.code != 0) all_known = false;
  }
  const std::int64_t discovered = counters_.total(&MunicipalityCounters::discovered);
  const std::int64_t done = settled(counters_);
  const std::int64_t loaded = counters_.total(&MunicipalityCounters::loaded);
  const double overall = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0;
  std::int64_t remaining = expected - done;
  if (limit_ > 0) remaining = limit_ - loaded - counters_.total(&MunicipalityCounters::failed);
  const double rate = current_rate > 0 ? current_rate : overall;
  const std::string eta = remaining <= 0 ? "0s" : (rate > 0 ? format_duration(remaining / rate) : "?");
  return fmt::format(
      "discovered {}/{}{} | skipped {} | fetched {} | loaded {} | failed {} | retries {} | {:.1f}/s now, {:.1f}/s overall | "
      "ETA {}",
      discovered, expected, all_known ? "" : "+", counters_.total(&MunicipalityCounters::skipped),
      counters_.total(&MunicipalityCounters::fetched), loaded, counters_.total(&MunicipalityCounters::failed),
      http_.stats().retries, current_rate, overall, eta);
}

void ProgressReporter::loop() {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto period = mode_ == ProgressMode::Tty ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000);
  std::deque<std::pair<clock::time_point, std::int64_t>> window;  // the last 10 s of samples
  auto next = start + period;
  while (running_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto now = clock::now();
    if (now < next) continue;
    next = now + period;
    window.emplace_back(now, settled(counters_));
    while (window.size() > 1 && now - window.front().first > std::chrono::seconds(10)) window.pop_front();
    double current = 0;
    if (window.size() > 1) {
      const double dt = std::chrono::duration<double>(window.back().first - window.front().first).count();
      if (dt > 0) current = static_cast<double>(window.back().second - window.front().second) / dt;
    }
    const std::string text = line(std::chrono::duration<double>(now - start).count(), current);
    if (mode_ == ProgressMode::Tty) {
      std::fprintf(stderr, "\r\033[K%s", text.c_str());
      std::fflush(stderr);
    } else {
      spdlog::info("progress: {}", text);
    }
  }
}

}  // namespace etl
